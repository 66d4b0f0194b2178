/**
 * Generates a Postman collection (format v2.1) for the Node sandbox (`npm run sandbox`) from its OpenAPI
 * description and its demo world. Every request is an operation of the description: its path and method
 * must exist there, the status its tests expect must be one the description documents, and a JSON
 * answer is checked against the description's schema for that status. The demo clients, users, APIs and
 * API operations come from the catalog, so a new API operation gets its requests without editing this file.
 *
 * The output is deterministic (ids are derived from names), so a unit test can compare the committed file
 * with a fresh generation. `npm run postman:generate` writes it.
 */
import {createHash} from 'node:crypto';
import {buildCatalog, type ApiOperation, type Catalog, type CatalogApi, type CatalogClient} from '../sandbox/catalog';
import {buildOpenApi, type OpenApiDocument, type Operation, type Schema} from '../sandbox/openapi';

export const POSTMAN_SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';
/** The issuer of `npm run sandbox` at its default port; the `issuer` variable retargets every request. */
export const DEFAULT_ISSUER = 'http://localhost:4000/sandbox';
export const DEFAULT_SITE_URL = 'http://localhost:3000/';
/** Where the collection is committed, and so served from by the site. */
export const COLLECTION_PATH = 'static/postman/oauth-flows-sandbox.postman_collection.json';
/** A loopback redirect URI of the native-app client: any port matches (RFC 8252 §7.3), nothing listens. */
const LOOPBACK_REDIRECT = 'http://127.0.0.1:8765/callback';

interface KeyValue {
  key: string;
  value: string;
  description?: string;
}

interface PostmanUrl {
  raw: string;
  host: string[];
  path?: string[];
  query?: KeyValue[];
}

interface PostmanEvent {
  listen: 'prerequest' | 'test';
  script: {type: 'text/javascript'; exec: string[]};
}

interface PostmanRequestItem {
  id: string;
  name: string;
  event: PostmanEvent[];
  protocolProfileBehavior?: {followRedirects: boolean};
  request: {
    method: 'GET' | 'POST';
    description: string;
    header: KeyValue[];
    url: PostmanUrl;
    auth?:
      | {type: 'basic'; basic: {key: 'username' | 'password'; value: string; type: 'string'}[]}
      | {type: 'bearer'; bearer: {key: 'token'; value: string; type: 'string'}[]}
      | {type: 'noauth'};
    body?: {mode: 'urlencoded'; urlencoded: KeyValue[]} | {mode: 'raw'; raw: string; options: {raw: {language: 'json'}}};
  };
}

interface PostmanFolder {
  id: string;
  name: string;
  description: string;
  item: PostmanRequestItem[];
}

export interface PostmanCollection {
  info: {_postman_id: string; name: string; description: string; schema: typeof POSTMAN_SCHEMA};
  item: PostmanFolder[];
  auth: {type: 'noauth'};
  variable: (KeyValue & {type: 'string'})[];
}

/** A request of the collection, before it is turned into Postman's shape. */
interface RequestSpec {
  name: string;
  description: string;
  method: 'GET' | 'POST';
  /** The OpenAPI path (relative to the issuer) this request is an instance of. */
  operation: string;
  /** The URL when it is not `{{issuer}}` + the operation's path (a page reached by redirect, the origin). */
  url?: string;
  query?: [string, string][];
  basic?: [string, string];
  bearer?: string;
  form?: [string, string][];
  json?: unknown;
  headers?: [string, string][];
  /** Redirects are answers to check, not to follow (the authorization code flow). */
  noRedirects?: boolean;
  status: number;
  prerequest?: string[];
  tests: string[];
}

/** A UUID-shaped id derived from a name, so that generating twice gives the same file. */
function stableId(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const literal = (value: unknown) => JSON.stringify(value);

/**
 * Inlines `#/components/schemas/…` references and drops what only documents (descriptions, examples,
 * formats), and the `const` and `enum` values that spell URLs of the issuer the description was built
 * for: `issuer` retargets the collection, and the tests compare those URLs with it instead.
 */
function resolveSchema(schema: unknown, document: OpenApiDocument): unknown {
  if (Array.isArray(schema)) return schema.map((entry) => resolveSchema(entry, document));
  if (!schema || typeof schema !== 'object') return schema;
  const record = schema as Schema;
  if (typeof record.$ref === 'string') {
    const name = record.$ref.replace('#/components/schemas/', '');
    const target = document.components.schemas[name];
    if (!target) throw new Error(`unknown schema reference ${record.$ref}`);
    return resolveSchema(target, document);
  }
  const out: Schema = {};
  for (const [key, value] of Object.entries(record)) {
    if (key === 'description' || key === 'examples' || key === 'format') continue;
    if ((key === 'const' || key === 'enum') && JSON.stringify(value).includes(document.servers[0]!.url)) continue;
    // `properties` maps names to schemas: keep every name, resolve each schema.
    out[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(value as Schema).map(([name, property]) => [name, resolveSchema(property, document)]))
        : resolveSchema(value, document);
  }
  return out;
}

// ---- Test script snippets, run by Postman's sandbox (pm.*) ----

const status = (code: number) => [`pm.test('status is ${code}', () => pm.response.to.have.status(${code}));`];
const jsonContent = () => [
  `pm.test('Content-Type is application/json', () => pm.expect(pm.response.headers.get('Content-Type')).to.match(/^application\\/json\\b/));`,
];
const htmlContent = () => [`pm.test('Content-Type is text/html', () => pm.expect(pm.response.headers.get('Content-Type')).to.match(/^text\\/html\\b/));`];
const noStore = () => [
  `pm.test('Cache-Control: no-store (RFC 6749 §5.1)', () => pm.expect(pm.response.headers.get('Cache-Control')).to.include('no-store'));`,
];
const pragma = () => [`pm.test('Pragma: no-cache (RFC 6749 §5.1)', () => pm.expect(pm.response.headers.get('Pragma')).to.eql('no-cache'));`];
const oauthError = (code: string) => [
  `pm.test('error is ${code}', () => {`,
  `  const body = pm.response.json();`,
  `  pm.expect(body.error).to.eql('${code}');`,
  `  pm.expect(body.error_description).to.be.a('string');`,
  `});`,
];
const save = (variable: string, expression: string) => [`pm.collectionVariables.set('${variable}', ${expression});`];
/** Decodes a JWT's header (0) or payload (1); what a test reads, not a verification. */
const JWT_PART = [
  `const jwtPart = (jwt, index) => {`,
  `  const cryptoJs = require('crypto-js');`,
  `  let b64 = jwt.split('.')[index].replace(/-/g, '+').replace(/_/g, '/');`,
  `  while (b64.length % 4) b64 += '=';`,
  `  return JSON.parse(cryptoJs.enc.Utf8.stringify(cryptoJs.enc.Base64.parse(b64)));`,
  `};`,
];

interface TokenExpectations {
  scope: string;
  refresh: boolean;
  idToken: boolean;
  /** The access token's `aud`, an expression in the test script. */
  aud: string;
  sub: string;
  clientId: string;
}

/** RFC 6749 §5.1 response fields, and the RFC 9068 access token and OIDC Core §2 ID token they carry. */
function tokenResponse(expect: TokenExpectations): string[] {
  return [
    ...status(200),
    ...jsonContent(),
    ...noStore(),
    ...pragma(),
    ...JWT_PART,
    `const tokens = pm.response.json();`,
    `pm.test('token_type is Bearer, expires_in is positive (RFC 6749 §5.1)', () => {`,
    `  pm.expect(tokens.token_type).to.match(/^Bearer$/i);`,
    `  pm.expect(tokens.expires_in).to.be.a('number').above(0);`,
    `});`,
    `pm.test('scope is ${expect.scope}', () => pm.expect(tokens.scope).to.eql(${literal(expect.scope)}));`,
    `pm.test('the access token is a JWT access token (RFC 9068 §2)', () => {`,
    `  pm.expect(tokens.access_token.split('.')).to.have.lengthOf(3);`,
    `  pm.expect(jwtPart(tokens.access_token, 0).typ).to.eql('at+jwt');`,
    `  const claims = jwtPart(tokens.access_token, 1);`,
    `  pm.expect(claims.iss).to.eql(pm.variables.get('issuer'));`,
    `  pm.expect(claims.aud).to.eql(${expect.aud});`,
    `  pm.expect(claims.sub).to.eql(${literal(expect.sub)});`,
    `  pm.expect(claims.client_id).to.eql(${literal(expect.clientId)});`,
    `  pm.expect(claims.scope).to.eql(${literal(expect.scope)});`,
    `});`,
    expect.refresh
      ? `pm.test('a refresh token is issued', () => pm.expect(tokens.refresh_token).to.be.a('string').and.not.empty);`
      : `pm.test('no refresh token', () => pm.expect(tokens).to.not.have.property('refresh_token'));`,
    ...(expect.idToken
      ? [
          `pm.test('an ID token for the client (OIDC Core §2)', () => {`,
          `  const claims = jwtPart(tokens.id_token, 1);`,
          `  pm.expect(claims.iss).to.eql(pm.variables.get('issuer'));`,
          `  pm.expect(claims.aud).to.eql(${literal(expect.clientId)});`,
          `  pm.expect(claims.sub).to.eql(${literal(expect.sub)});`,
          `});`,
        ]
      : [`pm.test('no ID token without openid', () => pm.expect(tokens).to.not.have.property('id_token'));`]),
  ];
}

/** A resource server's challenge (RFC 6750 §3). */
function bearerChallenge(error?: string, scope?: string): string[] {
  return [
    `pm.test('WWW-Authenticate: Bearer${error ? ` with error="${error}"` : ' without an error code'} (RFC 6750 §3)', () => {`,
    `  const challenge = pm.response.headers.get('WWW-Authenticate');`,
    `  pm.expect(challenge).to.match(/^Bearer /);`,
    error ? `  pm.expect(challenge).to.include('error="${error}"');` : `  pm.expect(challenge).to.not.include('error=');`,
    ...(scope ? [`  pm.expect(challenge).to.include('scope="${scope}"');`] : []),
    `});`,
  ];
}

/** The Location of a redirect, made absolute against the issuer's origin. */
const LOCATION = [
  `const location = pm.response.headers.get('Location');`,
  `const origin = pm.variables.get('issuer').match(/^https?:\\/\\/[^/]+/)[0];`,
  `const next = location.startsWith('/') ? origin + location : location;`,
];
/** The authorization response at the redirect URI (RFC 6749 §4.1.2, RFC 9207 §2), read from the Location header. */
const CALLBACK = [
  `const callback = pm.response.headers.get('Location');`,
  `const param = (name) => { const match = callback.match(new RegExp('[?&]' + name + '=([^&]*)')); return match ? decodeURIComponent(match[1]) : undefined; };`,
  `pm.test('to the redirect URI', () => pm.expect(callback.split('?')[0]).to.eql(pm.variables.get('native_redirect_uri')));`,
  `pm.test('state comes back unchanged (RFC 6749 §4.1.2)', () => pm.expect(param('state')).to.eql(pm.variables.get('state')));`,
  `pm.test('iss is the issuer (RFC 9207 §2)', () => pm.expect(param('iss')).to.eql(pm.variables.get('issuer')));`,
  `pm.test('a code', () => pm.expect(param('code')).to.be.a('string').and.not.empty);`,
];
/** The hidden `csrf` field of the sandbox's sign-in and consent forms. */
const CSRF = [
  `const csrf = (pm.response.text().match(/name="csrf" value="([^"]*)"/) || [])[1];`,
  `pm.test('the form carries a CSRF value', () => pm.expect(csrf).to.be.a('string').and.not.empty);`,
  `pm.collectionVariables.set('csrf', csrf);`,
];

export function buildPostmanCollection(openapi: OpenApiDocument, catalog: Catalog): PostmanCollection {
  const issuer = catalog.issuer;
  if (openapi.servers[0]?.url !== issuer) throw new Error('the OpenAPI description and the catalog are for different issuers');
  /** A catalog URL with the issuer replaced by the `issuer` variable. */
  const templated = (url: string) => (url.startsWith(issuer) ? `{{issuer}}${url.slice(issuer.length)}` : url);
  const relative = (url: string) => url.slice(issuer.length);
  const audience = (api: CatalogApi) => `pm.variables.get('issuer') + ${literal(relative(api.identifier))}`;

  const client = (find: (candidate: CatalogClient) => boolean, what: string) => {
    const found = catalog.clients.find(find);
    if (!found) throw new Error(`the catalog has no ${what} client`);
    return found;
  };
  const m2m = client((candidate) => candidate.grant_types.includes('client_credentials'), 'client_credentials');
  const passwordClient = client((candidate) => candidate.grant_types.includes('password') && candidate.grant_types.includes('refresh_token'), 'password');
  const native = client((candidate) => candidate.guide_case === 'native-app', 'native-app');
  const introspector = client((candidate) => candidate.guide_case === 'resource-server', 'resource-server');
  const user = catalog.users[0];
  if (!user) throw new Error('the catalog has no user');
  if (passwordClient.token_endpoint_auth_method !== 'client_secret_post') throw new Error('the password client is expected to use client_secret_post');
  const userinfoScope = 'openid profile email offline_access';

  const variables: [string, string, string][] = [
    ['issuer', issuer, 'The sandbox issuer. `npm run sandbox -- --port N` serves http://localhost:N/sandbox; newman --env-var issuer=… retargets the collection.'],
    ['m2m_client_id', m2m.client_id, `${m2m.client_name}: client_credentials, client_secret_basic.`],
    ['m2m_client_secret', m2m.client_secret ?? '', 'Its secret (sandbox only, listed in the catalog).'],
    ['password_client_id', passwordClient.client_id, `${passwordClient.client_name}: password and refresh_token, client_secret_post.`],
    ['password_client_secret', passwordClient.client_secret ?? '', 'Its secret.'],
    ['resource_server_client_id', introspector.client_id, `${introspector.client_name}: authenticates at the introspection endpoint.`],
    ['resource_server_client_secret', introspector.client_secret ?? '', 'Its secret.'],
    ['native_client_id', native.client_id, `${native.client_name}: a public client, authorization code with PKCE.`],
    ['native_redirect_uri', LOOPBACK_REDIRECT, 'A loopback redirect URI: any port matches (RFC 8252 §7.3); nothing needs to listen, the code is read from the Location header.'],
    ['username', user.username, `A demo user (${user.name}).`],
    ['password', user.password, 'Their password.'],
  ];

  const specs = new Map<string, RequestSpec[]>();
  const folderDescriptions = new Map<string, string>();
  const folder = (name: string, description: string, requests: RequestSpec[]) => {
    folderDescriptions.set(name, description);
    specs.set(name, requests);
  };

  const m2mBasic: [string, string] = ['{{m2m_client_id}}', '{{m2m_client_secret}}'];
  const passwordAuth: [string, string][] = [
    ['client_id', '{{password_client_id}}'],
    ['client_secret', '{{password_client_secret}}'],
  ];
  const introspectorBasic: [string, string] = ['{{resource_server_client_id}}', '{{resource_server_client_secret}}'];

  folder('Sandbox', 'Starts from a clean sandbox, and reads its demo world and its OpenAPI description.', [
    {
      name: 'Reset without confirmation is refused',
      description: '`POST /reset` needs `Sandbox-Reset: confirm`, which no HTML form can send.',
      method: 'POST',
      operation: '/reset',
      status: 403,
      tests: [...status(403), ...jsonContent(), ...oauthError('access_denied')],
    },
    {
      name: 'Reset the sandbox',
      description: 'Wipes sessions, codes, tokens, consents and signing keys, so the run starts from scratch.',
      method: 'POST',
      operation: '/reset',
      headers: [['Sandbox-Reset', 'confirm']],
      status: 200,
      tests: [...status(200), ...jsonContent(), `pm.test('reset is true', () => pm.expect(pm.response.json().reset).to.eql(true));`],
    },
    {
      name: 'Demo world (catalog)',
      description: 'The registered clients with their secrets, the users with their passwords, and the APIs.',
      method: 'GET',
      operation: '/catalog',
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
      method: 'GET',
      operation: '/openapi.json',
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
  const base = new URL(issuer).pathname.replace(/\/+$/, '');
  folder('Discovery', 'Server metadata (OpenID Connect Discovery §4, RFC 8414 §3) and the signing keys.', [
    {
      name: 'OpenID Connect discovery',
      description: 'OpenID Connect Discovery §4.',
      method: 'GET',
      operation: '/.well-known/openid-configuration',
      status: 200,
      tests: [...metadataTests, `pm.test('the userinfo endpoint', () => pm.expect(pm.response.json().userinfo_endpoint).to.eql(pm.variables.get('issuer') + '/userinfo'));`],
    },
    {
      name: 'OAuth 2.0 authorization server metadata',
      description: 'RFC 8414 §3, at the well-known URI relative to the issuer.',
      method: 'GET',
      operation: '/.well-known/oauth-authorization-server',
      status: 200,
      tests: metadataTests,
    },
    {
      name: 'OAuth 2.0 authorization server metadata (path-inserted URL)',
      description: 'RFC 8414 §3.1: for an issuer with a path, the well-known segment goes first, at the origin.',
      method: 'GET',
      operation: `/.well-known/oauth-authorization-server${base}`,
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
      method: 'GET',
      operation: '/jwks',
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

  // ---- Client credentials and every API operation ----
  const apiRequests: RequestSpec[] = [];
  const tokenFor = (api: CatalogApi, scopes: string[], variable: string, purpose: string): RequestSpec => ({
    name: `Client credentials: ${api.name}, ${scopes.join(' ')}`,
    description: `RFC 6749 §4.4 with client_secret_basic, for the audience \`${templated(api.identifier)}\` (RFC 8707 §2). ${purpose}`,
    method: 'POST',
    operation: '/token',
    basic: m2mBasic,
    form: [
      ['grant_type', 'client_credentials'],
      ['resource', templated(api.identifier)],
      ['scope', scopes.join(' ')],
    ],
    status: 200,
    tests: [
      ...tokenResponse({scope: scopes.join(' '), refresh: false, idToken: false, aud: audience(api), sub: m2m.client_id, clientId: m2m.client_id}),
      ...save(variable, 'tokens.access_token'),
    ],
  });
  // Every API's token first: an operation's requests also use another API's token (the wrong audience).
  for (const api of catalog.apis) {
    apiRequests.push(tokenFor(api, api.scopes.map((scope) => scope.value), `${api.id}_token`, 'Every scope of the API: its operations below use it.'));
  }
  for (const api of catalog.apis) {
    const allScopes = api.scopes.map((scope) => scope.value);
    apiRequests.push({
      name: `${api.name}: its operations`,
      description: 'Public: what the API offers and the scope each operation needs.',
      method: 'GET',
      operation: relative(api.base_url),
      status: 200,
      tests: [
        ...status(200),
        ...jsonContent(),
        `pm.test('lists ${api.operations.length} operations', () => pm.expect(pm.response.json().operations).to.have.lengthOf(${api.operations.length}));`,
      ],
    });
    for (const operation of api.operations) apiRequests.push(...operationRequests(api, operation, allScopes));
  }
  function operationRequests(api: CatalogApi, operation: ApiOperation, allScopes: string[]): RequestSpec[] {
    const path = relative(operation.url);
    const item = openapi.paths[path]?.[operation.method === 'GET' ? 'get' : 'post'];
    if (!item) throw new Error(`${operation.method} ${path} is in the catalog but not in the OpenAPI description`);
    const success = Number(Object.keys(item.responses).find((code) => code.startsWith('2')));
    const example = item.requestBody?.content['application/json']?.examples;
    const json = example ? Object.values(example)[0]?.value : undefined;
    const label = `${operation.method} ${path.slice(relative(api.base_url).length)}`;
    const base: Omit<RequestSpec, 'name' | 'description' | 'status' | 'tests'> = {method: operation.method, operation: path, ...(json ? {json} : {})};
    const others = allScopes.filter((scope) => scope !== operation.scope);
    const requests: RequestSpec[] = [
      {
        ...base,
        name: `${api.name}: ${label}`,
        description: `${operation.description}, with a token carrying \`${operation.scope}\` (RFC 6750 §2.1).`,
        bearer: `{{${api.id}_token}}`,
        status: success,
        tests: [
          ...status(success),
          ...jsonContent(),
          `pm.test('the API saw the client as the caller (RFC 9068 §2.2)', () => {`,
          `  const caller = pm.response.json().caller;`,
          `  pm.expect(caller.client_id).to.eql(pm.variables.get('m2m_client_id'));`,
          `  pm.expect(caller.sub).to.eql(pm.variables.get('m2m_client_id'));`,
          `});`,
        ],
      },
      {
        ...base,
        name: `${api.name}: ${label} without a token`,
        description: 'No access token: 401 with a Bearer challenge and no error code (RFC 6750 §3.1).',
        status: 401,
        tests: [...status(401), ...jsonContent(), ...bearerChallenge()],
      },
    ];
    if (others.length > 0) {
      const variable = `${api.id}_without_${operation.scope.replace(/[^A-Za-z0-9]+/g, '_')}`;
      requests.push(tokenFor(api, others, variable, `A token without \`${operation.scope}\`, for the insufficient_scope case below.`), {
        ...base,
        name: `${api.name}: ${label} with a token lacking ${operation.scope}`,
        description: `The token lacks \`${operation.scope}\`: 403 insufficient_scope, and the challenge names the scope (RFC 6750 §3.1).`,
        bearer: `{{${variable}}}`,
        status: 403,
        tests: [...status(403), ...jsonContent(), ...oauthError('insufficient_scope'), ...bearerChallenge('insufficient_scope', operation.scope)],
      });
    }
    const other = catalog.apis.find((candidate) => candidate.id !== api.id);
    if (other)
      requests.push({
        ...base,
        name: `${api.name}: ${label} with a token for ${other.name}`,
        description: `A token whose \`aud\` is another API: 401 invalid_token (RFC 6750 §3.1, RFC 9068 §4).`,
        bearer: `{{${other.id}_token}}`,
        status: 401,
        tests: [...status(401), ...jsonContent(), ...oauthError('invalid_token'), ...bearerChallenge('invalid_token')],
      });
    return requests;
  }
  folder(
    'Client credentials and the APIs',
    'A machine-to-machine token per API (RFC 6749 §4.4), then every operation of every API: with the scope it needs, without a token, with a token lacking the scope, and with a token for another API (RFC 6750 §3.1).',
    apiRequests,
  );

  // ---- Password grant, userinfo, refresh tokens ----
  const passwordGrant = (scope: string, refreshVariable: string, accessVariable: string, name: string, purpose: string): RequestSpec => ({
    name,
    description: `RFC 6749 §4.3 with client_secret_post (RFC 6749 §2.3.1). ${purpose}`,
    method: 'POST',
    operation: '/token',
    form: [['grant_type', 'password'], ...passwordAuth, ['username', '{{username}}'], ['password', '{{password}}'], ['scope', scope]],
    status: 200,
    tests: [
      ...tokenResponse({
        scope,
        refresh: scope.split(' ').includes('offline_access'),
        idToken: scope.split(' ').includes('openid'),
        aud: `pm.variables.get('issuer') + '/userinfo'`,
        sub: user.sub,
        clientId: passwordClient.client_id,
      }),
      ...save(accessVariable, 'tokens.access_token'),
      ...save(refreshVariable, 'tokens.refresh_token'),
    ],
  });
  const refresh = (name: string, description: string, variable: string, expectation: 'ok' | 'invalid_grant', saves: [string, string][] = []): RequestSpec => ({
    name,
    description,
    method: 'POST',
    operation: '/token',
    form: [['grant_type', 'refresh_token'], ...passwordAuth, ['refresh_token', `{{${variable}}}`]],
    status: expectation === 'ok' ? 200 : 400,
    tests:
      expectation === 'ok'
        ? [
            ...tokenResponse({
              scope: userinfoScope,
              refresh: true,
              idToken: true,
              aud: `pm.variables.get('issuer') + '/userinfo'`,
              sub: user.sub,
              clientId: passwordClient.client_id,
            }),
            `pm.test('the refresh token is rotated (RFC 9700 §4.14.2)', () => pm.expect(tokens.refresh_token).to.not.eql(pm.variables.get('${variable}')));`,
            ...saves.flatMap(([saved, field]) => save(saved, `tokens.${field}`)),
          ]
        : [...status(400), ...jsonContent(), ...noStore(), ...oauthError('invalid_grant')],
  });
  // RFC 7662 §4: the server decides whom it answers about a token. The sandbox answers the client the
  // token was issued to, and an API's resource server about tokens for that API; these tokens are the
  // password client's, for UserInfo, so that client asks (client_secret_post, its registered method).
  const introspect = (name: string, description: string, variable: string, active: boolean): RequestSpec => ({
    name,
    description,
    method: 'POST',
    operation: '/introspect',
    form: [['token', `{{${variable}}}`], ...passwordAuth],
    status: 200,
    tests: [
      ...status(200),
      ...jsonContent(),
      ...noStore(),
      active
        ? [
            `pm.test('active, with the token\\'s client, subject and scope (RFC 7662 §2.2)', () => {`,
            `  const body = pm.response.json();`,
            `  pm.expect(body.active).to.eql(true);`,
            `  pm.expect(body.client_id).to.eql(pm.variables.get('password_client_id'));`,
            `  pm.expect(body.sub).to.eql(${literal(user.sub)});`,
            `  pm.expect(body.scope).to.eql(${literal(userinfoScope)});`,
            `  pm.expect(body.exp).to.be.a('number');`,
            `});`,
          ].join('\n')
        : `pm.test('inactive, and nothing else said (RFC 7662 §2.2)', () => pm.expect(pm.response.json()).to.eql({active: false}));`,
    ],
  });

  folder('Password grant and userinfo', 'The resource owner password grant (RFC 6749 §4.3; RFC 9700 §2.4 says not to use it) and the UserInfo endpoint (OIDC Core §5.3).', [
    passwordGrant(userinfoScope, 'password_refresh_token', 'password_access_token', 'Password grant', 'With openid and offline_access: an ID token and a refresh token.'),
    {
      name: 'UserInfo',
      description: 'OIDC Core §5.3, with the access token from the password grant.',
      method: 'GET',
      operation: '/userinfo',
      bearer: '{{password_access_token}}',
      status: 200,
      tests: [
        ...status(200),
        ...jsonContent(),
        `pm.test('the signed-in user\\'s claims for profile and email', () => {`,
        `  const claims = pm.response.json();`,
        `  pm.expect(claims.sub).to.eql(${literal(user.sub)});`,
        `  pm.expect(claims.name).to.eql(${literal(user.name)});`,
        `  pm.expect(claims.email).to.eql(${literal(user.email)});`,
        `});`,
      ],
    },
    {
      name: 'UserInfo (POST)',
      description: 'OIDC Core §5.3: the UserInfo endpoint answers POST too, with the token in the Authorization header (RFC 6750 §2.1).',
      method: 'POST',
      operation: '/userinfo',
      bearer: '{{password_access_token}}',
      status: 200,
      tests: [...status(200), ...jsonContent(), `pm.test('the signed-in user', () => pm.expect(pm.response.json().sub).to.eql(${literal(user.sub)}));`],
    },
    {
      name: 'UserInfo without a token',
      description: 'RFC 6750 §3.1: 401 with a Bearer challenge.',
      method: 'GET',
      operation: '/userinfo',
      status: 401,
      tests: [...status(401), ...bearerChallenge()],
    },
    {
      name: 'UserInfo with a malformed token',
      description: 'RFC 6750 §3.1: a token the server cannot validate is invalid_token, named in the challenge.',
      method: 'GET',
      operation: '/userinfo',
      bearer: 'not-a-jwt',
      status: 401,
      tests: [...status(401), ...jsonContent(), ...oauthError('invalid_token'), ...bearerChallenge('invalid_token')],
    },
    {
      name: 'Password grant with a wrong password',
      description: 'RFC 6749 §5.2: wrong resource owner credentials are invalid_grant.',
      method: 'POST',
      operation: '/token',
      form: [['grant_type', 'password'], ...passwordAuth, ['username', '{{username}}'], ['password', 'not-the-password'], ['scope', 'openid']],
      status: 400,
      tests: [...status(400), ...jsonContent(), ...noStore(), ...oauthError('invalid_grant')],
    },
  ]);

  folder(
    'Refresh tokens: rotation and reuse',
    'RFC 6749 §6 with rotation on every use. Presenting a rotated refresh token again is reuse: the sandbox revokes the whole token family, so the newest refresh token and its access token stop working too (RFC 9700 §4.14.2).',
    [
      {
        name: 'Refresh asking for a scope not granted',
        description: 'RFC 6749 §6: the scope may be narrowed, never widened; invalid_scope. A refused request does not use the refresh token up: the next request still refreshes with it.',
        method: 'POST',
        operation: '/token',
        form: [['grant_type', 'refresh_token'], ...passwordAuth, ['refresh_token', '{{password_refresh_token}}'], ['scope', `${userinfoScope} ${catalog.apis[0]!.scopes[0]!.value}`]],
        status: 400,
        tests: [...status(400), ...jsonContent(), ...oauthError('invalid_scope')],
      },
      refresh('Refresh', 'Uses the refresh token from the password grant: new tokens and a new refresh token.', 'password_refresh_token', 'ok', [
        ['rotated_refresh_token', 'refresh_token'],
        ['rotated_access_token', 'access_token'],
      ]),
      introspect('Introspect the new access token', 'RFC 7662 §2.1: the client the token was issued to authenticates as it does at the token endpoint.', 'rotated_access_token', true),
      refresh('Reuse the old refresh token', 'The first refresh token was rotated away: invalid_grant, and the token family is revoked.', 'password_refresh_token', 'invalid_grant'),
      refresh('Use the rotated refresh token after the reuse', 'Revoked with its family: invalid_grant.', 'rotated_refresh_token', 'invalid_grant'),
      introspect('Introspect the access token of the revoked family', 'Revoked with its family: inactive.', 'rotated_access_token', false),
    ],
  );

  folder('Introspection and revocation', 'RFC 7662 introspection by a resource server, and RFC 7009 revocation by the client.', [
    passwordGrant(userinfoScope, 'revocable_refresh_token', 'revocable_access_token', 'Password grant (tokens to revoke)', 'A fresh grant to introspect and revoke.'),
    introspect('Introspect an active access token', 'RFC 7662 §2.2: active, with its claims.', 'revocable_access_token', true),
    {
      name: 'Introspect a token for UserInfo as the calendar API',
      description: "RFC 7662 §4: a resource server learns about tokens for its own API only; of another client's token for UserInfo it learns nothing but inactive.",
      method: 'POST',
      operation: '/introspect',
      basic: introspectorBasic,
      form: [['token', '{{revocable_access_token}}']],
      status: 200,
      tests: [...status(200), ...jsonContent(), ...noStore(), `pm.test('inactive, and nothing else said (RFC 7662 §4)', () => pm.expect(pm.response.json()).to.eql({active: false}));`],
    },
    {
      name: 'Revoke the refresh token',
      description: 'RFC 7009 §2.1: revoking a refresh token revokes its grant, including the access tokens issued from it.',
      method: 'POST',
      operation: '/revoke',
      form: [['token', '{{revocable_refresh_token}}'], ['token_type_hint', 'refresh_token'], ...passwordAuth],
      status: 200,
      tests: [...status(200), ...noStore(), `pm.test('no body (RFC 7009 §2.2)', () => pm.expect(pm.response.text()).to.eql(''));`],
    },
    introspect('Introspect the access token after revocation', 'Revoked with its grant: inactive (RFC 7662 §2.2).', 'revocable_access_token', false),
    {
      name: 'UserInfo with the revoked access token',
      description: 'RFC 6750 §3.1: a revoked token is invalid_token.',
      method: 'GET',
      operation: '/userinfo',
      bearer: '{{revocable_access_token}}',
      status: 401,
      tests: [...status(401), ...jsonContent(), ...oauthError('invalid_token'), ...bearerChallenge('invalid_token')],
    },
    {
      name: 'Revoke an unknown token',
      description: 'RFC 7009 §2.2: an invalid token is no error; the answer is still 200.',
      method: 'POST',
      operation: '/revoke',
      form: [['token', 'not-a-token-this-server-issued'], ...passwordAuth],
      status: 200,
      tests: [...status(200), ...noStore()],
    },
    {
      name: 'Revoke with a token type hint the server cannot revoke',
      description: 'RFC 7009 §2.2.1: unsupported_token_type for a token type the server does not revoke (an ID token).',
      method: 'POST',
      operation: '/revoke',
      form: [['token', 'not-a-token-this-server-issued'], ['token_type_hint', 'id_token'], ...passwordAuth],
      status: 400,
      tests: [...status(400), ...jsonContent(), ...oauthError('unsupported_token_type')],
    },
    {
      name: 'Introspect without client authentication',
      description: 'RFC 7662 §2.1: the caller must authenticate; a public client cannot. 401 invalid_client.',
      method: 'POST',
      operation: '/introspect',
      form: [['token', '{{revocable_access_token}}'], ['client_id', '{{native_client_id}}']],
      status: 401,
      tests: [...status(401), ...jsonContent(), ...noStore(), ...oauthError('invalid_client')],
    },
  ]);

  folder('Token endpoint errors', 'The errors of RFC 6749 §5.2 and RFC 8707 §2, each with the status the RFC names.', [
    {
      name: 'Unsupported grant type',
      description: 'RFC 6749 §5.2: unsupported_grant_type.',
      method: 'POST',
      operation: '/token',
      basic: m2mBasic,
      form: [['grant_type', 'urn:example:no-such-grant']],
      status: 400,
      tests: [...status(400), ...jsonContent(), ...oauthError('unsupported_grant_type')],
    },
    {
      name: 'Missing grant_type',
      description: 'RFC 6749 §5.2: a missing required parameter is invalid_request.',
      method: 'POST',
      operation: '/token',
      basic: m2mBasic,
      form: [['scope', 'calendar:read']],
      status: 400,
      tests: [...status(400), ...jsonContent(), ...oauthError('invalid_request')],
    },
    {
      name: 'Wrong client secret (HTTP Basic)',
      description: 'RFC 6749 §5.2: invalid_client with 401, and a `WWW-Authenticate: Basic` challenge because the client used HTTP Basic.',
      method: 'POST',
      operation: '/token',
      basic: ['{{m2m_client_id}}', 'not-the-secret'],
      form: [['grant_type', 'client_credentials'], ['resource', templated(catalog.apis[0]!.identifier)]],
      status: 401,
      tests: [
        ...status(401),
        ...jsonContent(),
        ...noStore(),
        ...oauthError('invalid_client'),
        `pm.test('WWW-Authenticate: Basic (RFC 6749 §5.2)', () => pm.expect(pm.response.headers.get('WWW-Authenticate')).to.match(/^Basic /));`,
      ],
    },
    {
      name: 'Grant type the client is not registered for',
      description: 'RFC 6749 §5.2: unauthorized_client.',
      method: 'POST',
      operation: '/token',
      basic: m2mBasic,
      form: [['grant_type', 'password'], ['username', '{{username}}'], ['password', '{{password}}']],
      status: 400,
      tests: [...status(400), ...jsonContent(), ...oauthError('unauthorized_client')],
    },
    {
      name: 'Scope of another API',
      description: 'RFC 6749 §5.2: a scope that is not the audience\'s is invalid_scope.',
      method: 'POST',
      operation: '/token',
      basic: m2mBasic,
      form: [['grant_type', 'client_credentials'], ['resource', templated(catalog.apis[0]!.identifier)], ['scope', catalog.apis[1]!.scopes[0]!.value]],
      status: 400,
      tests: [...status(400), ...jsonContent(), ...oauthError('invalid_scope')],
    },
    {
      name: 'Unknown resource',
      description: 'RFC 8707 §2: a resource the server does not know is invalid_target.',
      method: 'POST',
      operation: '/token',
      basic: m2mBasic,
      form: [['grant_type', 'client_credentials'], ['resource', '{{issuer}}/api/no-such-api']],
      status: 400,
      tests: [...status(400), ...jsonContent(), ...oauthError('invalid_target')],
    },
    {
      name: 'No resource for client credentials',
      description: 'RFC 8707 §2: invalid_target also covers a missing resource; a client_credentials token is for one named API.',
      method: 'POST',
      operation: '/token',
      basic: m2mBasic,
      form: [['grant_type', 'client_credentials']],
      status: 400,
      tests: [...status(400), ...jsonContent(), ...oauthError('invalid_target')],
    },
    {
      name: 'Wrong client secret (client_secret_post)',
      description: 'RFC 6749 §5.2: invalid_client with 401, for credentials sent in the body too.',
      method: 'POST',
      operation: '/token',
      form: [['grant_type', 'password'], ['client_id', '{{password_client_id}}'], ['client_secret', 'not-the-secret'], ['username', '{{username}}'], ['password', '{{password}}']],
      status: 401,
      tests: [...status(401), ...jsonContent(), ...noStore(), ...oauthError('invalid_client')],
    },
    {
      name: 'Two client authentication methods',
      description: 'RFC 6749 §2.3: a client must not use more than one authentication method in a request; invalid_request.',
      method: 'POST',
      operation: '/token',
      basic: m2mBasic,
      form: [['grant_type', 'client_credentials'], ['client_id', '{{m2m_client_id}}'], ['client_secret', '{{m2m_client_secret}}'], ['resource', templated(catalog.apis[0]!.identifier)]],
      status: 400,
      tests: [...status(400), ...jsonContent(), ...oauthError('invalid_request')],
    },
    {
      name: 'Repeated parameter',
      description: 'RFC 6749 §3.2: request parameters must not be included more than once; invalid_request.',
      method: 'POST',
      operation: '/token',
      basic: m2mBasic,
      form: [['grant_type', 'client_credentials'], ['grant_type', 'client_credentials'], ['resource', templated(catalog.apis[0]!.identifier)]],
      status: 400,
      tests: [...status(400), ...jsonContent(), ...oauthError('invalid_request')],
    },
    {
      name: 'JSON instead of a form',
      description: 'RFC 6749 §3.2: the token request is application/x-www-form-urlencoded; anything else is invalid_request.',
      method: 'POST',
      operation: '/token',
      basic: m2mBasic,
      json: {grant_type: 'client_credentials'},
      status: 400,
      tests: [...status(400), ...jsonContent(), ...oauthError('invalid_request')],
    },
  ]);

  // ---- Authorization code with PKCE, the browser played by requests ----
  const pkce = [
    `const cryptoJs = require('crypto-js');`,
    `const base64url = (words) => cryptoJs.enc.Base64.stringify(words).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');`,
    `// RFC 7636 §4.1-4.2: a random verifier (32 random octets, base64url) and its S256 challenge.`,
    `const verifier = base64url(cryptoJs.lib.WordArray.random(32));`,
    `pm.collectionVariables.set('code_verifier', verifier);`,
    `pm.collectionVariables.set('code_challenge', base64url(cryptoJs.SHA256(verifier)));`,
    `pm.collectionVariables.set('state', base64url(cryptoJs.lib.WordArray.random(16)));`,
  ];
  folder(
    'Authorization code with PKCE',
    'The flow of a native app (RFC 8252) as the public client `native-app`, with requests playing the browser: the sign-in session is a cookie, which newman and Postman keep within a run; each form\'s CSRF value is read from the page, and the code is read from the last redirect instead of following it.',
    [
      {
        name: 'Authorization request',
        description: 'RFC 6749 §4.1.1 with PKCE (RFC 7636 §4.3). The sandbox redirects to its sign-in page.',
        method: 'GET',
        operation: '/authorize',
        query: [
          ['response_type', 'code'],
          ['client_id', '{{native_client_id}}'],
          ['redirect_uri', '{{native_redirect_uri}}'],
          ['scope', userinfoScope],
          ['state', '{{state}}'],
          ['code_challenge', '{{code_challenge}}'],
          ['code_challenge_method', 'S256'],
        ],
        noRedirects: true,
        prerequest: pkce,
        status: 303,
        tests: [...status(303), ...LOCATION, `pm.test('to the sign-in page', () => pm.expect(next).to.match(/\\/interaction\\/[^/]+\\/login$/));`, ...save('login_page', 'next')],
      },
      {
        name: 'Sign-in page',
        description: 'The sandbox\'s own sign-in form; it carries a value against login CSRF.',
        method: 'GET',
        operation: '/interaction/{id}/login',
        url: '{{login_page}}',
        noRedirects: true,
        status: 200,
        tests: [...status(200), ...htmlContent(), ...CSRF],
      },
      {
        name: 'Sign in',
        description: 'Posts the form as a person would. The sandbox redirects to its consent page.',
        method: 'POST',
        operation: '/interaction/{id}/login',
        url: '{{login_page}}',
        form: [['csrf', '{{csrf}}'], ['username', '{{username}}'], ['password', '{{password}}'], ['action', 'login']],
        noRedirects: true,
        status: 303,
        tests: [...status(303), ...LOCATION, `pm.test('to the consent page', () => pm.expect(next).to.match(/\\/interaction\\/[^/]+\\/consent$/));`, ...save('consent_page', 'next')],
      },
      {
        name: 'Consent page',
        description: 'The scopes the app asks for, and a form to allow or deny them.',
        method: 'GET',
        operation: '/interaction/{id}/consent',
        url: '{{consent_page}}',
        noRedirects: true,
        status: 200,
        tests: [...status(200), ...htmlContent(), ...CSRF],
      },
      {
        name: 'Allow',
        description: 'The sandbox redirects to the redirect URI with code, state and iss (RFC 6749 §4.1.2, RFC 9207 §2).',
        method: 'POST',
        operation: '/interaction/{id}/consent',
        url: '{{consent_page}}',
        form: [['csrf', '{{csrf}}'], ['decision', 'allow']],
        noRedirects: true,
        status: 303,
        tests: [...status(303), ...CALLBACK, ...save('code', `param('code')`)],
      },
      {
        name: 'Redeem the code',
        description: 'RFC 6749 §4.1.3 with the PKCE verifier (RFC 7636 §4.5); a public client sends its client_id and no secret.',
        method: 'POST',
        operation: '/token',
        form: [
          ['grant_type', 'authorization_code'],
          ['code', '{{code}}'],
          ['redirect_uri', '{{native_redirect_uri}}'],
          ['client_id', '{{native_client_id}}'],
          ['code_verifier', '{{code_verifier}}'],
        ],
        status: 200,
        tests: [
          ...tokenResponse({scope: userinfoScope, refresh: true, idToken: true, aud: `pm.variables.get('issuer') + '/userinfo'`, sub: user.sub, clientId: native.client_id}),
          ...save('native_access_token', 'tokens.access_token'),
        ],
      },
      {
        name: 'UserInfo as the signed-in user',
        description: 'OIDC Core §5.3 with the code flow\'s access token.',
        method: 'GET',
        operation: '/userinfo',
        bearer: '{{native_access_token}}',
        status: 200,
        tests: [...status(200), ...jsonContent(), `pm.test('the signed-in user', () => pm.expect(pm.response.json().sub).to.eql(${literal(user.sub)}));`],
      },
      {
        name: 'Redeem the code again',
        description: 'RFC 6749 §4.1.2: a code is used once; a second use is invalid_grant, and the sandbox revokes the tokens issued for it.',
        method: 'POST',
        operation: '/token',
        form: [
          ['grant_type', 'authorization_code'],
          ['code', '{{code}}'],
          ['redirect_uri', '{{native_redirect_uri}}'],
          ['client_id', '{{native_client_id}}'],
          ['code_verifier', '{{code_verifier}}'],
        ],
        status: 400,
        tests: [...status(400), ...jsonContent(), ...noStore(), ...oauthError('invalid_grant')],
      },
      {
        name: 'UserInfo after the code was replayed',
        description: 'RFC 6749 §4.1.2: the tokens issued for a replayed code are revoked, so the access token is invalid_token (RFC 6750 §3.1).',
        method: 'GET',
        operation: '/userinfo',
        bearer: '{{native_access_token}}',
        status: 401,
        tests: [...status(401), ...jsonContent(), ...oauthError('invalid_token'), ...bearerChallenge('invalid_token')],
      },
      {
        name: 'Authorization request (form post), already signed in',
        description: 'OIDC Core §3.1.2.1: the same request sent as a form. The browser is signed in and the scopes were granted, so the sandbox answers at once with a new code (RFC 6749 §4.1.2).',
        method: 'POST',
        operation: '/authorize',
        form: [
          ['response_type', 'code'],
          ['client_id', '{{native_client_id}}'],
          ['redirect_uri', '{{native_redirect_uri}}'],
          ['scope', userinfoScope],
          ['state', '{{state}}'],
          ['code_challenge', '{{code_challenge}}'],
          ['code_challenge_method', 'S256'],
        ],
        noRedirects: true,
        prerequest: pkce,
        status: 303,
        tests: [...status(303), ...CALLBACK, ...save('code', `param('code')`)],
      },
      {
        name: 'Redeem the new code',
        description: 'RFC 6749 §4.1.3 with the new PKCE verifier.',
        method: 'POST',
        operation: '/token',
        form: [
          ['grant_type', 'authorization_code'],
          ['code', '{{code}}'],
          ['redirect_uri', '{{native_redirect_uri}}'],
          ['client_id', '{{native_client_id}}'],
          ['code_verifier', '{{code_verifier}}'],
        ],
        status: 200,
        tests: tokenResponse({scope: userinfoScope, refresh: true, idToken: true, aud: `pm.variables.get('issuer') + '/userinfo'`, sub: user.sub, clientId: native.client_id}),
      },
    ],
  );

  const items: PostmanFolder[] = [...specs].map(([name, requests]) => ({
    id: stableId(`folder ${name}`),
    name,
    description: folderDescriptions.get(name)!,
    item: requests.map((request) => toPostman(`${name} / ${request.name}`, request)),
  }));

  function toPostman(key: string, spec: RequestSpec): PostmanRequestItem {
    const method = spec.method.toLowerCase() as 'get' | 'post';
    const operation: Operation | undefined = openapi.paths[spec.operation]?.[method];
    if (!operation) throw new Error(`${spec.method} ${spec.operation} is not an operation of the OpenAPI description`);
    const response = operation.responses[String(spec.status)];
    if (!response) throw new Error(`${operation.operationId} does not document ${spec.status} (${spec.name})`);
    const schema = response.content?.['application/json']?.schema;
    const schemaTest = schema
      ? [`pm.test('the body matches the OpenAPI schema of ${operation.operationId} ${spec.status}', () => pm.response.to.have.jsonSchema(${literal(resolveSchema(schema, openapi))}));`]
      : [];
    const raw = spec.url ?? `{{issuer}}${spec.operation}`;
    const query = spec.query?.map(([key, value]) => ({key, value}));
    const url: PostmanUrl = {
      raw: query ? `${raw}?${query.map(({key, value}) => `${key}=${value}`).join('&')}` : raw,
      host: [raw.split('/')[0]!],
      ...(raw.includes('/') ? {path: raw.split('/').slice(1)} : {}),
      ...(query ? {query} : {}),
    };
    if (spec.url === undefined) {
      url.host = ['{{issuer}}'];
      url.path = spec.operation.split('/').slice(1);
    }
    const header: KeyValue[] = (spec.headers ?? []).map(([key, value]) => ({key, value}));
    let body: PostmanRequestItem['request']['body'];
    if (spec.form) {
      header.push({key: 'Content-Type', value: 'application/x-www-form-urlencoded'});
      body = {mode: 'urlencoded', urlencoded: spec.form.map(([key, value]) => ({key, value}))};
    } else if (spec.json !== undefined) {
      header.push({key: 'Content-Type', value: 'application/json'});
      body = {mode: 'raw', raw: JSON.stringify(spec.json, null, 2), options: {raw: {language: 'json'}}};
    }
    const auth: PostmanRequestItem['request']['auth'] = spec.basic
      ? {
          type: 'basic',
          basic: [
            {key: 'username', value: spec.basic[0], type: 'string'},
            {key: 'password', value: spec.basic[1], type: 'string'},
          ],
        }
      : spec.bearer
        ? {type: 'bearer', bearer: [{key: 'token', value: spec.bearer, type: 'string'}]}
        : {type: 'noauth'};
    const event: PostmanEvent[] = [];
    if (spec.prerequest) event.push({listen: 'prerequest', script: {type: 'text/javascript', exec: spec.prerequest}});
    event.push({listen: 'test', script: {type: 'text/javascript', exec: [...spec.tests, ...schemaTest].flatMap((line) => line.split('\n'))}});
    return {
      id: stableId(key),
      name: spec.name,
      event,
      ...(spec.noRedirects ? {protocolProfileBehavior: {followRedirects: false}} : {}),
      request: {
        method: spec.method,
        description: `${spec.description}\n\nOpenAPI operation \`${operation.operationId}\`.`,
        header,
        url,
        auth,
        ...(body ? {body} : {}),
      },
    };
  }

  return {
    info: {
      _postman_id: stableId(`collection ${openapi.info.title}`),
      name: 'OAuth 2.0 Flows, Live: sandbox',
      description: [
        `Every endpoint of the sandbox authorization server of "OAuth 2.0 Flows, Live" and every operation of its demo APIs, with tests. Generated from the sandbox's OpenAPI description (\`{{issuer}}/openapi.json\`) and demo world (\`{{issuer}}/catalog\`).`,
        '',
        `Start the sandbox from a checkout of the site with \`npm run sandbox\` (issuer \`${DEFAULT_ISSUER}\`). On another port, set the collection variable \`issuer\`, or run \`newman run <file> --env-var issuer=http://localhost:N/sandbox\`.`,
        '',
        'Run the folders in order: the first request resets the sandbox, and later requests use the tokens earlier ones saved in collection variables. The authorization code flow is included, with requests playing the browser (its sign-in session is a cookie kept within the run).',
      ].join('\n'),
      schema: POSTMAN_SCHEMA,
    },
    item: items,
    auth: {type: 'noauth'},
    variable: variables.map(([key, value, description]) => ({key, value, type: 'string', description})),
  };
}

/** The committed file's text: the collection for the default issuer, as formatted JSON. */
export function renderPostmanCollection(): string {
  const catalog = buildCatalog(DEFAULT_ISSUER, DEFAULT_SITE_URL);
  return `${JSON.stringify(buildPostmanCollection(buildOpenApi(DEFAULT_ISSUER, catalog), catalog), null, 2)}\n`;
}
