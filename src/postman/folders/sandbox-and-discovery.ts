/** The first folders: a clean sandbox, its demo world and description, then discovery and the signing keys. */
import type {Folder, RequestSpec} from '../scenario';
import {jsonContent, oauthError, status} from '../scripts';

export function sandboxFolders(): Folder[] {
  const folders: Folder[] = [];
  const folder = (name: string, text: string, requests: RequestSpec[]) =>
    folders.push({name, description: text, requests});

  folder('Sandbox', 'Starts from a clean sandbox, and reads its demo world and its OpenAPI description.', [
    {
      name: 'Reset without confirmation is refused',
      description: '`POST /reset` needs `Sandbox-Reset: confirm`, which no HTML form can send.',
      operation: 'postReset',
      status: 403,
      tests: [...status(403), ...jsonContent(), ...oauthError('access_denied')],
    },
    {
      name: 'Reset the sandbox',
      description: 'Wipes sessions, codes, tokens, consents and signing keys, so the run starts from scratch.',
      operation: 'postReset',
      headers: [['Sandbox-Reset', 'confirm']],
      status: 200,
      tests: [
        ...status(200),
        ...jsonContent(),
        `pm.test('reset is true', () => pm.expect(pm.response.json().reset).to.eql(true));`,
      ],
    },
    {
      name: 'Demo world (catalog)',
      description: 'The registered clients with their secrets, the users with their passwords, and the APIs.',
      operation: 'getCatalog',
      status: 200,
      tests: [
        ...status(200),
        ...jsonContent(),
        `pm.test('the catalog is for this issuer', () => pm.expect(pm.response.json().issuer).to.eql(pm.variables.get('issuer')));`,
        `pm.test('the collection\\'s clients are registered', () => {`,
        `  const ids = pm.response.json().clients.map((client) => client.client_id);`,
        `  for (const name of ['m2m_client_id', 'password_client_id', 'resource_server_client_id', 'native_client_id']) pm.expect(ids).to.include(pm.variables.get(name));`,
        `});`,
      ],
    },
    {
      name: 'OpenAPI description',
      description: 'The description this collection is generated from, for this issuer.',
      operation: 'getOpenapi',
      status: 200,
      tests: [
        ...status(200),
        ...jsonContent(),
        `pm.test('an OpenAPI 3.1 document for this issuer', () => {`,
        `  const document = pm.response.json();`,
        `  pm.expect(document.openapi).to.eql('3.1.0');`,
        `  pm.expect(document.servers[0].url).to.eql(pm.variables.get('issuer'));`,
        `});`,
      ],
    },
  ]);

  const metadataTests = [
    ...status(200),
    ...jsonContent(),
    `pm.test('issuer is exactly the issuer asked (RFC 8414 §3.3)', () => pm.expect(pm.response.json().issuer).to.eql(pm.variables.get('issuer')));`,
    `pm.test('endpoints are under the issuer', () => {`,
    `  const metadata = pm.response.json();`,
    `  pm.expect(metadata.token_endpoint).to.eql(pm.variables.get('issuer') + '/token');`,
    `  pm.expect(metadata.jwks_uri).to.eql(pm.variables.get('issuer') + '/jwks');`,
    `});`,
    `pm.test('PKCE with S256 only, iss in authorization responses', () => {`,
    `  const metadata = pm.response.json();`,
    `  pm.expect(metadata.code_challenge_methods_supported).to.eql(['S256']);`,
    `  pm.expect(metadata.authorization_response_iss_parameter_supported).to.eql(true);`,
    `});`,
  ];
  folder('Discovery', 'Server metadata (OpenID Connect Discovery §4, RFC 8414 §3) and the signing keys.', [
    {
      name: 'OpenID Connect discovery',
      description: 'OpenID Connect Discovery §4.',
      operation: 'getOpenidConfiguration',
      status: 200,
      tests: [
        ...metadataTests,
        `pm.test('the userinfo endpoint', () => pm.expect(pm.response.json().userinfo_endpoint).to.eql(pm.variables.get('issuer') + '/userinfo'));`,
      ],
    },
    {
      name: 'OAuth 2.0 authorization server metadata',
      description: 'RFC 8414 §3, at the well-known URI relative to the issuer.',
      operation: 'getOauthAuthorizationServer',
      status: 200,
      tests: metadataTests,
    },
    {
      name: 'OAuth 2.0 authorization server metadata (path-inserted URL)',
      description: 'RFC 8414 §3.1: for an issuer with a path, the well-known segment goes first, at the origin.',
      operation: 'getOauthAuthorizationServerAtOrigin',
      url: '{{issuer_origin}}/.well-known/oauth-authorization-server{{issuer_path}}',
      prerequest: [
        `const issuer = pm.variables.get('issuer');`,
        `const origin = issuer.match(/^https?:\\/\\/[^/]+/)[0];`,
        `pm.variables.set('issuer_origin', origin);`,
        `pm.variables.set('issuer_path', issuer.slice(origin.length));`,
      ],
      status: 200,
      tests: metadataTests,
    },
    {
      name: 'Signing keys (JWK Set)',
      description: 'RFC 7517 §5: the public keys that verify ID tokens and access tokens.',
      operation: 'getJwks',
      status: 200,
      tests: [
        ...status(200),
        ...jsonContent(),
        `pm.test('public keys only, each with a kid', () => {`,
        `  const keys = pm.response.json().keys;`,
        `  pm.expect(keys).to.be.an('array').and.not.empty;`,
        `  for (const key of keys) {`,
        `    pm.expect(key.kid).to.be.a('string');`,
        `    for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) pm.expect(key).to.not.have.property(secret);`,
        `  }`,
        `});`,
      ],
    },
  ]);
  return folders;
}
