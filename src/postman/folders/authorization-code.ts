/** The authorization code flow with PKCE, with requests playing the browser. */
import type {Folder, RequestSpec, Scenario} from '../scenario';
import {
  bearerChallenge,
  CALLBACK,
  CSRF,
  htmlContent,
  jsonContent,
  literal,
  LOCATION,
  noStore,
  oauthError,
  PKCE,
  save,
  status,
  tokenResponse,
} from '../scripts';

export function authorizationCodeFolders(scenario: Scenario): Folder[] {
  const {native, user, userinfoScope} = scenario;
  const folders: Folder[] = [];
  const folder = (name: string, text: string, requests: RequestSpec[]) =>
    folders.push({name, description: text, requests});

  folder(
    'Authorization code with PKCE',
    "The flow of a native app (RFC 8252) as the public client `native-app`, with requests playing the browser: the sign-in session is a cookie, which newman and Postman keep within a run; each form's CSRF value is read from the page, and the code is read from the last redirect instead of following it.",
    [
      {
        name: 'Authorization request',
        description: 'RFC 6749 §4.1.1 with PKCE (RFC 7636 §4.3). The sandbox redirects to its sign-in page.',
        operation: 'getAuthorize',
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
        prerequest: PKCE,
        status: 303,
        tests: [
          ...status(303),
          ...LOCATION,
          `pm.test('to the sign-in page', () => pm.expect(next).to.match(/\\/interaction\\/[^/]+\\/login$/));`,
          ...save('login_page', 'next'),
        ],
      },
      {
        name: 'Sign-in page',
        description: "The sandbox's own sign-in form; it carries a value against login CSRF.",
        operation: 'getLoginPage',
        url: '{{login_page}}',
        noRedirects: true,
        status: 200,
        tests: [...status(200), ...htmlContent(), ...CSRF],
      },
      {
        name: 'Sign in',
        description: 'Posts the form as a person would. The sandbox redirects to its consent page.',
        operation: 'postLoginPage',
        url: '{{login_page}}',
        form: [
          ['csrf', '{{csrf}}'],
          ['username', '{{username}}'],
          ['password', '{{password}}'],
          ['action', 'login'],
        ],
        noRedirects: true,
        status: 303,
        tests: [
          ...status(303),
          ...LOCATION,
          `pm.test('to the consent page', () => pm.expect(next).to.match(/\\/interaction\\/[^/]+\\/consent$/));`,
          ...save('consent_page', 'next'),
        ],
      },
      {
        name: 'Consent page',
        description: 'The scopes the app asks for, and a form to allow or deny them.',
        operation: 'getConsentPage',
        url: '{{consent_page}}',
        noRedirects: true,
        status: 200,
        tests: [...status(200), ...htmlContent(), ...CSRF],
      },
      {
        name: 'Allow',
        description:
          'The sandbox redirects to the redirect URI with code, state and iss (RFC 6749 §4.1.2, RFC 9207 §2).',
        operation: 'postConsentPage',
        url: '{{consent_page}}',
        form: [
          ['csrf', '{{csrf}}'],
          ['decision', 'allow'],
        ],
        noRedirects: true,
        status: 303,
        tests: [...status(303), ...CALLBACK, ...save('code', `param('code')`)],
      },
      {
        name: 'Redeem the code',
        description:
          'RFC 6749 §4.1.3 with the PKCE verifier (RFC 7636 §4.5); a public client sends its client_id and no secret.',
        operation: 'postToken',
        form: [
          ['grant_type', 'authorization_code'],
          ['code', '{{code}}'],
          ['redirect_uri', '{{native_redirect_uri}}'],
          ['client_id', '{{native_client_id}}'],
          ['code_verifier', '{{code_verifier}}'],
        ],
        status: 200,
        tests: [
          ...tokenResponse({
            scope: userinfoScope,
            refresh: true,
            idToken: true,
            aud: `pm.variables.get('issuer') + '/userinfo'`,
            sub: user.sub,
            clientId: native.client_id,
          }),
          ...save('native_access_token', 'tokens.access_token'),
        ],
      },
      {
        name: 'UserInfo as the signed-in user',
        description: "OIDC Core §5.3 with the code flow's access token.",
        operation: 'getUserinfo',
        bearer: '{{native_access_token}}',
        status: 200,
        tests: [
          ...status(200),
          ...jsonContent(),
          `pm.test('the signed-in user', () => pm.expect(pm.response.json().sub).to.eql(${literal(user.sub)}));`,
        ],
      },
      {
        name: 'Redeem the code again',
        description:
          'RFC 6749 §4.1.2: a code is used once; a second use is invalid_grant, and the sandbox revokes the tokens issued for it.',
        operation: 'postToken',
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
        description:
          'RFC 6749 §4.1.2: the tokens issued for a replayed code are revoked, so the access token is invalid_token (RFC 6750 §3.1).',
        operation: 'getUserinfo',
        bearer: '{{native_access_token}}',
        status: 401,
        tests: [...status(401), ...jsonContent(), ...oauthError('invalid_token'), ...bearerChallenge('invalid_token')],
      },
      {
        name: 'Authorization request (form post), already signed in',
        description:
          'OIDC Core §3.1.2.1: the same request sent as a form. The browser is signed in and the scopes were granted, so the sandbox answers at once with a new code (RFC 6749 §4.1.2).',
        operation: 'postAuthorize',
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
        prerequest: PKCE,
        status: 303,
        tests: [...status(303), ...CALLBACK, ...save('code', `param('code')`)],
      },
      {
        name: 'Redeem the new code',
        description: 'RFC 6749 §4.1.3 with the new PKCE verifier.',
        operation: 'postToken',
        form: [
          ['grant_type', 'authorization_code'],
          ['code', '{{code}}'],
          ['redirect_uri', '{{native_redirect_uri}}'],
          ['client_id', '{{native_client_id}}'],
          ['code_verifier', '{{code_verifier}}'],
        ],
        status: 200,
        tests: tokenResponse({
          scope: userinfoScope,
          refresh: true,
          idToken: true,
          aud: `pm.variables.get('issuer') + '/userinfo'`,
          sub: user.sub,
          clientId: native.client_id,
        }),
      },
    ],
  );
  return folders;
}
