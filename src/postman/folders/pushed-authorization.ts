/**
 * Pushed authorization requests (RFC 9126): a confidential web app pushes its request, the browser carries
 * only the request_uri, which works once; the refusals of §2.1, §4 and §6.
 */
import type {Folder, RequestSpec} from '../scenario';
import {htmlContent, jsonContent, LOCATION, noStore, oauthError, PKCE, save, status} from '../scripts';

/** The pushed request's parameters; `prompt=login` so the sandbox's answer is its sign-in page, signed in or not. */
const PUSHED: [string, string][] = [
  ['response_type', 'code'],
  ['redirect_uri', '{{par_redirect_uri}}'],
  ['scope', 'openid profile'],
  ['state', '{{state}}'],
  ['code_challenge', '{{code_challenge}}'],
  ['code_challenge_method', 'S256'],
  ['prompt', 'login'],
];

export function pushedAuthorizationFolders(): Folder[] {
  const basic: [string, string] = ['{{par_client_id}}', '{{par_client_secret}}'];
  const authorize = (name: string, description: string, expected: number, tests: string[]): RequestSpec => ({
    name,
    description,
    operation: 'getAuthorize',
    query: [
      ['client_id', '{{par_client_id}}'],
      ['request_uri', '{{request_uri}}'],
    ],
    noRedirects: true,
    status: expected,
    tests: [...status(expected), ...tests],
  });
  return [
    {
      name: 'Pushed authorization requests',
      description:
        'RFC 9126 as the confidential web app `web-app-par`, which is registered with require_pushed_authorization_requests (§6): it pushes its request with HTTP Basic and sends the browser with the request_uri alone.',
      requests: [
        {
          name: 'Push an authorization request',
          description: 'RFC 9126 §2: 201 with a request_uri and expires_in, not to be cached (§2.2).',
          operation: 'postPushedAuthorizationRequest',
          basic,
          form: PUSHED,
          prerequest: PKCE,
          status: 201,
          tests: [
            ...status(201),
            ...jsonContent(),
            ...noStore(),
            `const pushed = pm.response.json();`,
            `pm.test('a request_uri URN (RFC 9126 §2.2)', () => pm.expect(pushed.request_uri).to.match(/^urn:ietf:params:oauth:request_uri:/));`,
            `pm.test('expires_in', () => pm.expect(pushed.expires_in).to.be.a('number').above(0));`,
            ...save('request_uri', 'pushed.request_uri'),
          ],
        },
        authorize(
          'Authorization request by reference',
          'RFC 9126 §4: client_id and request_uri only; the pushed request (prompt=login) goes on to the sign-in page.',
          303,
          [
            ...LOCATION,
            `pm.test('to the sign-in page', () => pm.expect(next).to.match(/\\/interaction\\/[^/]+\\/login$/));`,
          ],
        ),
        authorize(
          'The same request_uri again',
          'RFC 9126 §4: a request_uri is used once; the second use is invalid_request_uri (RFC 9101 §6.2), on the sandbox page.',
          400,
          [
            ...htmlContent(),
            `pm.test('invalid_request_uri', () => pm.expect(pm.response.text()).to.include('invalid_request_uri'));`,
          ],
        ),
        {
          name: 'A plain request from a client that must push',
          description:
            'RFC 9126 §6: refused with invalid_request on the sandbox page, never redirected to the unverified redirect_uri.',
          operation: 'getAuthorize',
          query: [['client_id', '{{par_client_id}}'], ...PUSHED],
          noRedirects: true,
          status: 400,
          tests: [
            ...status(400),
            ...htmlContent(),
            `pm.test('no redirect', () => pm.expect(pm.response.headers.get('Location')).to.not.be.ok);`,
          ],
        },
        {
          name: 'A pushed request_uri',
          description: 'RFC 9126 §2.1: request_uri must not be pushed: invalid_request.',
          operation: 'postPushedAuthorizationRequest',
          basic,
          form: [...PUSHED, ['request_uri', 'urn:ietf:params:oauth:request_uri:nested']],
          status: 400,
          tests: [...status(400), ...jsonContent(), ...oauthError('invalid_request')],
        },
        {
          name: 'A push with a wrong secret',
          description: 'RFC 9126 §2: client authentication as at the token endpoint: invalid_client (RFC 6749 §5.2).',
          operation: 'postPushedAuthorizationRequest',
          basic: ['{{par_client_id}}', 'wrong-secret'],
          form: PUSHED,
          status: 401,
          tests: [...status(401), ...jsonContent(), ...noStore(), ...oauthError('invalid_client')],
        },
      ],
    },
  ];
}
