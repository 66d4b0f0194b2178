/** The token endpoint's errors (RFC 6749 §5.2, RFC 8707 §2), each with the status the RFC names. */
import type {Folder, RequestSpec, Scenario} from '../scenario';
import {jsonContent, noStore, oauthError, status} from '../scripts';

export function tokenErrorFolders(scenario: Scenario): Folder[] {
  const {catalog, templated, m2mBasic} = scenario;
  const folders: Folder[] = [];
  const folder = (name: string, text: string, requests: RequestSpec[]) =>
    folders.push({name, description: text, requests});

  folder('Token endpoint errors', 'The errors of RFC 6749 §5.2 and RFC 8707 §2, each with the status the RFC names.', [
    {
      name: 'Unsupported grant type',
      description: 'RFC 6749 §5.2: unsupported_grant_type.',
      operation: 'postToken',
      basic: m2mBasic,
      form: [['grant_type', 'urn:example:no-such-grant']],
      status: 400,
      tests: [...status(400), ...jsonContent(), ...oauthError('unsupported_grant_type')],
    },
    {
      name: 'Missing grant_type',
      description: 'RFC 6749 §5.2: a missing required parameter is invalid_request.',
      operation: 'postToken',
      basic: m2mBasic,
      form: [['scope', 'calendar:read']],
      status: 400,
      tests: [...status(400), ...jsonContent(), ...oauthError('invalid_request')],
    },
    {
      name: 'Wrong client secret (HTTP Basic)',
      description:
        'RFC 6749 §5.2: invalid_client with 401, and a `WWW-Authenticate: Basic` challenge because the client used HTTP Basic.',
      operation: 'postToken',
      basic: ['{{m2m_client_id}}', 'not-the-secret'],
      form: [
        ['grant_type', 'client_credentials'],
        ['resource', templated(catalog.apis[0].identifier)],
      ],
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
      operation: 'postToken',
      basic: m2mBasic,
      form: [
        ['grant_type', 'password'],
        ['username', '{{username}}'],
        ['password', '{{password}}'],
      ],
      status: 400,
      tests: [...status(400), ...jsonContent(), ...oauthError('unauthorized_client')],
    },
    {
      name: 'Scope of another API',
      description: "RFC 6749 §5.2: a scope that is not the audience's is invalid_scope.",
      operation: 'postToken',
      basic: m2mBasic,
      form: [
        ['grant_type', 'client_credentials'],
        ['resource', templated(catalog.apis[0].identifier)],
        ['scope', catalog.apis[1].scopes[0].value],
      ],
      status: 400,
      tests: [...status(400), ...jsonContent(), ...oauthError('invalid_scope')],
    },
    {
      name: 'Unknown resource',
      description: 'RFC 8707 §2: a resource the server does not know is invalid_target.',
      operation: 'postToken',
      basic: m2mBasic,
      form: [
        ['grant_type', 'client_credentials'],
        ['resource', '{{issuer}}/api/no-such-api'],
      ],
      status: 400,
      tests: [...status(400), ...jsonContent(), ...oauthError('invalid_target')],
    },
    {
      name: 'No resource for client credentials',
      description:
        'RFC 8707 §2: invalid_target also covers a missing resource; a client_credentials token is for one named API.',
      operation: 'postToken',
      basic: m2mBasic,
      form: [['grant_type', 'client_credentials']],
      status: 400,
      tests: [...status(400), ...jsonContent(), ...oauthError('invalid_target')],
    },
    {
      name: 'Wrong client secret (client_secret_post)',
      description: 'RFC 6749 §5.2: invalid_client with 401, for credentials sent in the body too.',
      operation: 'postToken',
      form: [
        ['grant_type', 'password'],
        ['client_id', '{{password_client_id}}'],
        ['client_secret', 'not-the-secret'],
        ['username', '{{username}}'],
        ['password', '{{password}}'],
      ],
      status: 401,
      tests: [...status(401), ...jsonContent(), ...noStore(), ...oauthError('invalid_client')],
    },
    {
      name: 'Two client authentication methods',
      description:
        'RFC 6749 §2.3: a client must not use more than one authentication method in a request; invalid_request.',
      operation: 'postToken',
      basic: m2mBasic,
      form: [
        ['grant_type', 'client_credentials'],
        ['client_id', '{{m2m_client_id}}'],
        ['client_secret', '{{m2m_client_secret}}'],
        ['resource', templated(catalog.apis[0].identifier)],
      ],
      status: 400,
      tests: [...status(400), ...jsonContent(), ...oauthError('invalid_request')],
    },
    {
      name: 'Repeated parameter',
      description: 'RFC 6749 §3.2: request parameters must not be included more than once; invalid_request.',
      operation: 'postToken',
      basic: m2mBasic,
      form: [
        ['grant_type', 'client_credentials'],
        ['grant_type', 'client_credentials'],
        ['resource', templated(catalog.apis[0].identifier)],
      ],
      status: 400,
      tests: [...status(400), ...jsonContent(), ...oauthError('invalid_request')],
    },
    {
      name: 'JSON instead of a form',
      description:
        'RFC 6749 §3.2: the token request is application/x-www-form-urlencoded; anything else is invalid_request.',
      operation: 'postToken',
      basic: m2mBasic,
      json: {grant_type: 'client_credentials'},
      status: 400,
      tests: [...status(400), ...jsonContent(), ...oauthError('invalid_request')],
    },
  ]);
  return folders;
}
