import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createTestSandbox, loginWithPkce, type TestSandbox} from './test-fixture';
import {TEST_ISSUER} from './testing';

const I = TEST_ISSUER;
const CALENDAR = `${I}/api/calendar`;
const SPA_REDIRECT = 'https://docs.test/flows/authorization-code-pkce';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const basic = (id: string, secret: string) => `Basic ${btoa(`${id}:${secret}`)}`;
const M2M = basic('m2m-cron', 'm2m-cron-secret-5bd1e8');
const FORM = 'application/x-www-form-urlencoded';

type Where = 'json' | 'redirect' | 'fragment' | 'form_post' | 'page' | 'challenge-only';

interface Row {
  name: string;
  request: (sandbox: TestSandbox) => Promise<Request> | Request;
  status: number;
  error?: string;
  where: Where;
  header?: RegExp;
}

const token = (body: string, headers: Record<string, string> = {authorization: M2M}) =>
  new Request(`${I}/token`, {method: 'POST', headers: {'content-type': FORM, ...headers}, body});
const authorize = (params: Record<string, string>) => new Request(`${I}/authorize?${new URLSearchParams(params)}`);
const spaAuthorize = (params: Record<string, string>) =>
  authorize({client_id: 'spa', redirect_uri: SPA_REDIRECT, response_type: 'code', code_challenge: CHALLENGE, code_challenge_method: 'S256', state: 'xyz', ...params});
const m2mToken = async (sandbox: TestSandbox, scope: string) => {
  const response = await sandbox.fetch(token(`grant_type=client_credentials&audience=${encodeURIComponent(CALENDAR)}&scope=${scope}`));
  return ((await response.json()) as {access_token: string}).access_token;
};

const rows: Row[] = [
  // RFC 6749 §5.2, token endpoint
  {name: 'RFC 6749 §5.2 invalid_request: grant_type missing', request: () => token('audience=x'), status: 400, error: 'invalid_request', where: 'json'},
  {name: 'RFC 6749 §3.1 invalid_request: a repeated parameter', request: () => token('grant_type=client_credentials&grant_type=client_credentials'), status: 400, error: 'invalid_request', where: 'json'},
  {name: 'RFC 6749 §3.2 invalid_request: a JSON body', request: () => new Request(`${I}/token`, {method: 'POST', headers: {'content-type': 'application/json', authorization: M2M}, body: '{"grant_type":"client_credentials"}'}), status: 400, error: 'invalid_request', where: 'json'},
  {name: 'RFC 6749 §2.3 invalid_request: two client authentication methods', request: () => token('grant_type=client_credentials&client_id=m2m-cron&client_secret=m2m-cron-secret-5bd1e8'), status: 400, error: 'invalid_request', where: 'json'},
  {name: 'RFC 6749 §5.2 invalid_request: authorization_code without code', request: () => token('grant_type=authorization_code&client_id=spa&redirect_uri=x', {}), status: 400, error: 'invalid_request', where: 'json'},
  {name: 'RFC 6749 §5.2 invalid_client: wrong Basic secret (with the Basic challenge)', request: () => token('grant_type=client_credentials', {authorization: basic('m2m-cron', 'wrong')}), status: 401, error: 'invalid_client', where: 'json', header: /^Basic realm=/},
  {name: 'RFC 6749 §5.2 invalid_client: malformed Basic credentials', request: () => token('grant_type=client_credentials', {authorization: 'Basic %%%'}), status: 401, error: 'invalid_client', where: 'json', header: /^Basic realm=/},
  {name: 'RFC 6749 §5.2 invalid_client: an unsupported authentication scheme', request: () => token('grant_type=client_credentials', {authorization: 'Digest username="m2m-cron"'}), status: 401, error: 'invalid_client', where: 'json', header: /^Basic realm=/},
  {name: 'RFC 6749 §5.2 invalid_client: Basic without a colon', request: () => token('grant_type=client_credentials', {authorization: `Basic ${btoa('m2m-cron')}`}), status: 401, error: 'invalid_client', where: 'json', header: /^Basic/},
  {name: 'RFC 6749 §3.2.1 invalid_client: a confidential client without its secret', request: () => token('grant_type=client_credentials&client_id=m2m-cron', {}), status: 401, error: 'invalid_client', where: 'json'},
  {name: 'RFC 6749 §5.2 invalid_client: an unknown client', request: () => token('grant_type=client_credentials&client_id=ghost', {}), status: 401, error: 'invalid_client', where: 'json'},
  {name: 'RFC 6749 §5.2 invalid_client: the registered method not used (post for a basic client)', request: () => token('grant_type=client_credentials&client_id=m2m-cron&client_secret=m2m-cron-secret-5bd1e8', {}), status: 401, error: 'invalid_client', where: 'json'},
  {name: 'RFC 6749 §5.2 invalid_grant: an unknown code', request: () => token(`grant_type=authorization_code&client_id=spa&code=nope&redirect_uri=${encodeURIComponent(SPA_REDIRECT)}&code_verifier=${'a'.repeat(43)}`, {}), status: 400, error: 'invalid_grant', where: 'json'},
  {name: 'RFC 6749 §5.2 invalid_grant: an unknown refresh token', request: () => token('grant_type=refresh_token&client_id=spa&refresh_token=nope', {}), status: 400, error: 'invalid_grant', where: 'json'},
  {name: 'RFC 6749 §5.2 unauthorized_client: a grant type the client is not registered for', request: () => token('grant_type=password&username=alice&password=wonderland-42'), status: 400, error: 'unauthorized_client', where: 'json'},
  {name: 'RFC 6749 §4.4 unauthorized_client: client_credentials by a public client', request: () => token(`grant_type=client_credentials&client_id=spa&audience=${encodeURIComponent(CALENDAR)}`, {}), status: 400, error: 'unauthorized_client', where: 'json'},
  {name: 'RFC 6749 §5.2 unsupported_grant_type: an unknown grant', request: () => token('grant_type=urn:example:magic'), status: 400, error: 'unsupported_grant_type', where: 'json'},
  {name: 'RFC 6749 §5.2 unsupported_grant_type: a prototype property name', request: () => token('grant_type=__proto__'), status: 400, error: 'unsupported_grant_type', where: 'json'},
  {name: 'RFC 6749 §5.2 invalid_scope: a scope of another API', request: () => token(`grant_type=client_credentials&audience=${encodeURIComponent(CALENDAR)}&scope=contacts:read`), status: 400, error: 'invalid_scope', where: 'json'},
  {name: 'RFC 6749 §5.2 invalid_scope: an unknown scope in the password grant', request: () => token('grant_type=password&client_id=trusted-first-party&client_secret=trusted-first-party-secret-3e7a61&username=alice&password=wonderland-42&scope=admin', {}), status: 400, error: 'invalid_scope', where: 'json'},
  // RFC 8707
  {name: 'RFC 8707 §2 invalid_target: client_credentials without any audience', request: () => token('grant_type=client_credentials'), status: 400, error: 'invalid_target', where: 'json'},
  {name: 'RFC 8707 §2 invalid_target: an unknown audience', request: () => token('grant_type=client_credentials&audience=https://elsewhere.test/api'), status: 400, error: 'invalid_target', where: 'json'},
  {name: 'RFC 8707 §2 invalid_target: a resource with a fragment', request: () => token(`grant_type=client_credentials&resource=${encodeURIComponent(`${CALENDAR}#x`)}`), status: 400, error: 'invalid_target', where: 'json'},
  {name: 'RFC 8707 §2 invalid_target: a relative resource', request: () => token('grant_type=client_credentials&resource=api/calendar'), status: 400, error: 'invalid_target', where: 'json'},
  {name: 'RFC 8707 §2 invalid_target: two audiences at once', request: () => token(`grant_type=client_credentials&resource=${encodeURIComponent(CALENDAR)}&resource=${encodeURIComponent(`${I}/api/contacts`)}`), status: 400, error: 'invalid_target', where: 'json'},
  {name: 'RFC 8707 §2 invalid_target at /authorize goes back to the redirect_uri', request: () => spaAuthorize({audience: 'https://elsewhere.test/api'}), status: 303, error: 'invalid_target', where: 'redirect'},
  // RFC 6749 §4.1.2.1, authorization endpoint, returned to the client
  {name: 'RFC 6749 §4.1.2.1 invalid_request: response_type missing', request: () => spaAuthorize({response_type: ''}), status: 303, error: 'invalid_request', where: 'redirect'},
  {name: 'RFC 9700 §2.1.1 invalid_request: PKCE plain', request: () => spaAuthorize({code_challenge_method: 'plain'}), status: 303, error: 'invalid_request', where: 'redirect'},
  {name: 'RFC 9700 §2.1.1 invalid_request: a public client without PKCE', request: () => spaAuthorize({code_challenge: '', code_challenge_method: ''}), status: 303, error: 'invalid_request', where: 'redirect'},
  {name: 'RFC 9700 §2.1.1 invalid_request: a confidential client without PKCE', request: () => authorize({client_id: 'regular-web-app', redirect_uri: `${I}/webapp/callback`, response_type: 'code', scope: 'openid', state: 'xyz'}), status: 303, error: 'invalid_request', where: 'redirect'},
  {name: 'RFC 7636 §4.2 invalid_request: a challenge of the wrong length', request: () => spaAuthorize({code_challenge: 'abc'}), status: 303, error: 'invalid_request', where: 'redirect'},
  {name: 'OIDC Core §3.1.2.1 invalid_request: prompt=none with login', request: () => spaAuthorize({prompt: 'none login'}), status: 303, error: 'invalid_request', where: 'redirect'},
  {name: 'RFC 6749 §4.1.2.1 invalid_request: an unknown response_mode', request: () => spaAuthorize({response_mode: 'web_message'}), status: 303, error: 'invalid_request', where: 'redirect'},
  {name: 'RFC 6749 §4.1.2.1 unauthorized_client: a response type the client is not registered for', request: () => authorize({client_id: 'form-post-app', redirect_uri: `${I}/webapp/form-post/callback`, response_type: 'code', state: 'xyz'}), status: 303, error: 'unauthorized_client', where: 'redirect'},
  {name: 'RFC 6749 §4.1.2.1 unsupported_response_type: response_type=token', request: () => spaAuthorize({response_type: 'token'}), status: 303, error: 'unsupported_response_type', where: 'fragment'},
  {name: 'OAuth 2.0 Multiple Response Types §2.1: an implicit request\'s error goes in the fragment even when response_mode=query is asked', request: () => authorize({client_id: 'form-post-app', redirect_uri: `${I}/webapp/form-post/callback`, response_type: 'id_token', response_mode: 'query', scope: 'openid', nonce: 'n', state: 'xyz'}), status: 303, error: 'invalid_request', where: 'fragment'},
  {name: 'RFC 6749 §4.2.2.1 unsupported_response_type: response_type=token with response_mode=query still answers in the fragment', request: () => spaAuthorize({response_type: 'token', response_mode: 'query'}), status: 303, error: 'unsupported_response_type', where: 'fragment'},
  {name: 'RFC 6749 §4.1.2.1 invalid_scope: an unknown scope', request: () => spaAuthorize({scope: 'openid admin'}), status: 303, error: 'invalid_scope', where: 'redirect'},
  {name: 'RFC 6749 §4.1.2.1 invalid_scope: an API scope without that API as audience', request: () => spaAuthorize({scope: 'calendar:read'}), status: 303, error: 'invalid_scope', where: 'redirect'},
  {name: 'OIDC Core §3.1.2.6 login_required: prompt=none and no session', request: () => spaAuthorize({prompt: 'none'}), status: 303, error: 'login_required', where: 'redirect'},
  {name: 'OIDC Core §6.1 request_not_supported: a request object', request: () => spaAuthorize({request: 'eyJ.x.y'}), status: 303, error: 'request_not_supported', where: 'redirect'},
  {name: 'Form Post Response Mode: errors go back by form_post when asked', request: () => spaAuthorize({response_mode: 'form_post', scope: 'nope'}), status: 200, error: 'invalid_scope', where: 'form_post'},
  // RFC 6749 §4.1.2.1, shown at the server
  {name: 'RFC 6749 §4.1.2.1: client_id missing is an error page', request: () => authorize({response_type: 'code'}), status: 400, where: 'page'},
  {name: 'RFC 6749 §4.1.2.1: a client without redirect URIs is an error page', request: () => authorize({client_id: 'm2m-cron', redirect_uri: 'https://x.test/cb', response_type: 'code'}), status: 400, where: 'page'},
  {name: 'RFC 6749 §4.1.2.1: the resource server credential (no redirect URIs) at /authorize is an error page', request: () => authorize({client_id: 'calendar-api', redirect_uri: 'https://x.test/cb', response_type: 'code'}), status: 400, where: 'page'},
  {name: 'RFC 6749 §4.1.2.1: redirect_uri missing is an error page', request: () => authorize({client_id: 'spa', response_type: 'code'}), status: 400, where: 'page'},
  {name: 'OIDC Core §3.1.2.1: a JSON-bodied POST to /authorize is an error page', request: () => new Request(`${I}/authorize`, {method: 'POST', headers: {'content-type': 'application/json'}, body: '{}'}), status: 400, where: 'page'},
  {name: 'An unknown interaction id is an error page', request: () => new Request(`${I}/interaction/nope/login`), status: 400, where: 'page'},
  // RFC 6750
  {name: 'RFC 6750 §3.1: no token is 401 with only the challenge', request: () => new Request(`${CALENDAR}/events`), status: 401, where: 'challenge-only'},
  {name: 'RFC 6750 §3.1 invalid_token: garbage', request: () => new Request(`${CALENDAR}/events`, {headers: {authorization: 'Bearer abc.def.ghi'}}), status: 401, error: 'invalid_token', where: 'json', header: /error="invalid_token"/},
  {name: 'RFC 6750 §3.1 invalid_request: a malformed Bearer header', request: () => new Request(`${CALENDAR}/events`, {headers: {authorization: 'Bearer a b c'}}), status: 400, error: 'invalid_request', where: 'json', header: /error="invalid_request"/},
  {name: 'RFC 6750 §3.1 invalid_request: the token in two places', request: () => new Request(`${I}/userinfo`, {method: 'POST', headers: {authorization: 'Bearer abc', 'content-type': FORM}, body: 'access_token=abc'}), status: 400, error: 'invalid_request', where: 'json'},
  {name: 'RFC 6750 §3.1 insufficient_scope', request: async (sandbox) => new Request(`${CALENDAR}/events`, {method: 'POST', headers: {authorization: `Bearer ${await m2mToken(sandbox, 'calendar:read')}`, 'content-type': 'application/json'}, body: '{}'}), status: 403, error: 'insufficient_scope', where: 'json', header: /scope="calendar:write"/},
  // RFC 7009 / RFC 7662
  {name: 'RFC 7009 §2.2.1 unsupported_token_type: an unknown token_type_hint', request: () => new Request(`${I}/revoke`, {method: 'POST', headers: {'content-type': FORM, authorization: M2M}, body: 'token=x&token_type_hint=id_token'}), status: 400, error: 'unsupported_token_type', where: 'json'},
  {name: 'RFC 7009 §2.1 invalid_request: revoke without token', request: () => new Request(`${I}/revoke`, {method: 'POST', headers: {'content-type': FORM, authorization: M2M}, body: ''}), status: 400, error: 'invalid_request', where: 'json'},
  {name: 'RFC 7009 §2.1 invalid_client: revoke without client authentication', request: () => new Request(`${I}/revoke`, {method: 'POST', headers: {'content-type': FORM}, body: 'token=x'}), status: 401, error: 'invalid_client', where: 'json'},
  {name: 'RFC 7662 §2.1 invalid_request: introspect without token', request: () => new Request(`${I}/introspect`, {method: 'POST', headers: {'content-type': FORM, authorization: M2M}, body: ''}), status: 400, error: 'invalid_request', where: 'json'},
  // Transport-level bad input
  {name: 'RFC 9110 §15.5.6: a wrong method is 405 with Allow', request: () => new Request(`${I}/token`), status: 405, error: 'invalid_request', where: 'json'},
  {name: 'RFC 9110 §15.5.6: DELETE on the JWKS is 405', request: () => new Request(`${I}/jwks`, {method: 'DELETE'}), status: 405, error: 'invalid_request', where: 'json'},
  {name: 'Unknown paths are 404 JSON', request: () => new Request(`${I}/nope`), status: 404, error: 'not_found', where: 'json'},
  {name: 'Paths outside the issuer are 404 JSON', request: () => new Request('https://sandbox.test/elsewhere'), status: 404, error: 'not_found', where: 'json'},
  {name: 'A body over 64 KiB is 413', request: () => token(`grant_type=client_credentials&x=${'a'.repeat(70_000)}`), status: 413, error: 'invalid_request', where: 'json'},
  {name: 'A body over 64 KiB without Content-Length is 413', request: () => new Request(`${I}/token`, {method: 'POST', headers: {'content-type': FORM, authorization: M2M}, body: new Blob(['a'.repeat(70_000)]).stream(), duplex: 'half'} as RequestInit), status: 413, error: 'invalid_request', where: 'json'},
  {name: 'A parameter over 4096 characters is invalid_request', request: () => token(`grant_type=client_credentials&scope=${'a'.repeat(5000)}`), status: 400, error: 'invalid_request', where: 'json'},
  {name: 'A form body that is not UTF-8 is invalid_request', request: () => new Request(`${I}/token`, {method: 'POST', headers: {'content-type': FORM, authorization: M2M}, body: new Uint8Array([0x67, 0x3d, 0xff, 0xfe])}), status: 400, error: 'invalid_request', where: 'json'},
  {name: 'Malformed JSON to an API is invalid_request', request: async (sandbox) => new Request(`${CALENDAR}/events`, {method: 'POST', headers: {authorization: `Bearer ${await m2mToken(sandbox, 'calendar:write')}`, 'content-type': 'application/json'}, body: '{"title":'}), status: 400, error: 'invalid_request', where: 'json'},
];

for (const row of rows) {
  test(row.name, async () => {
    const sandbox = await createTestSandbox();
    const response = await sandbox.app.fetch(await row.request(sandbox));
    assert.equal(response.status, row.status);
    if (row.header) assert.match(response.headers.get('www-authenticate') ?? '', row.header);
    switch (row.where) {
      case 'json': {
        assert.match(response.headers.get('content-type') ?? '', /application\/json/);
        const body = (await response.json()) as {error: string; error_description: string};
        assert.equal(body.error, row.error);
        assert.equal(typeof body.error_description, 'string');
        break;
      }
      case 'redirect':
      case 'fragment': {
        const location = new URL(response.headers.get('location')!);
        const params = row.where === 'fragment' ? new URLSearchParams(location.hash.slice(1)) : location.searchParams;
        assert.equal(params.get('error'), row.error);
        assert.equal(params.get('state'), 'xyz');
        assert.equal(params.get('iss'), TEST_ISSUER, 'RFC 9207 §2');
        break;
      }
      case 'form_post': {
        const page = await response.text();
        assert.match(page, new RegExp(`name="error" value="${row.error}"`));
        assert.match(page, /name="iss" value="https:\/\/sandbox.test\/sandbox"/);
        break;
      }
      case 'page':
        assert.equal(response.headers.get('location'), null, 'never redirected');
        assert.match(response.headers.get('content-type') ?? '', /text\/html/);
        break;
      case 'challenge-only':
        assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="calendar"');
        break;
    }
  });
}

test('405 responses name the allowed methods', async () => {
  const sandbox = await createTestSandbox();
  const response = await sandbox.fetch(`${I}/token`);
  assert.equal(response.headers.get('allow'), 'POST');
});

test('No input makes any endpoint answer 5xx', async () => {
  const sandbox = await createTestSandbox();
  const {tokens} = await loginWithPkce(sandbox);
  const paths = ['/.well-known/openid-configuration', '/jwks', '/catalog', '/authorize', '/token', '/userinfo', '/revoke', '/introspect', '/interaction/x/login', '/interaction/x/consent', '/api/calendar/events', '/api/contacts/people', '/x'];
  const bodies: [string | undefined, BodyInit | undefined][] = [
    [undefined, undefined],
    [FORM, 'a=%ZZ&&=&b'],
    [FORM, 'state=1&state=2&code=x&client_id=spa&grant_type=authorization_code'],
    ['application/json', '{"a":'],
    ['text/plain', '\u0000\uffff'],
    [FORM, new Uint8Array([0xc3, 0x28])],
  ];
  const authorizations = [undefined, 'Bearer', `Bearer ${tokens.access_token}`, 'Basic', 'Basic Og==', 'Digest x', 'Basic ' + btoa('spa:\u00ff')];
  let count = 0;
  for (const path of paths) {
    for (const method of ['GET', 'POST', 'PUT', 'OPTIONS']) {
      for (const [type, body] of method === 'GET' || method === 'OPTIONS' ? [[undefined, undefined] as const] : bodies) {
        for (const authorization of authorizations) {
          const headers: Record<string, string> = {};
          if (type) headers['content-type'] = type;
          if (authorization) headers.authorization = authorization;
          const response = await sandbox.app.fetch(new Request(`${I}${path}?client_id=spa&x=%E0%A4%A`, {method, headers, ...(body !== undefined ? {body} : {})}));
          assert.ok(response.status < 500, `${method} ${path} ${type} ${authorization}: ${response.status}`);
          count++;
        }
      }
    }
  }
  assert.ok(count > 1000);
});

test('RFC 6749 §4.1.2.1 / §5.2: error_description never has characters outside %x20-21 / %x23-5B / %x5D-7E', async () => {
  const sandbox = await createTestSandbox();
  const allowed = /^[\x20\x21\x23-\x5B\x5D-\x7E]*$/;
  const redirected = await sandbox.fetch(spaAuthorize({response_type: 'cöde "x" \\'}));
  const location = new URL(redirected.headers.get('location')!);
  assert.equal(location.searchParams.get('error'), 'unsupported_response_type');
  assert.match(location.searchParams.get('error_description')!, allowed);
  const challenge = await sandbox.fetch(spaAuthorize({code_challenge: 'short'}));
  assert.match(new URL(challenge.headers.get('location')!).searchParams.get('error_description')!, allowed);
  const flow = await loginWithPkce(sandbox).then(() => sandbox.fetch(token(`grant_type=authorization_code&client_id=spa&code=x&redirect_uri=${encodeURIComponent(SPA_REDIRECT)}&code_verifier=short`, {})));
  const body = (await flow.json()) as {error: string; error_description: string};
  assert.equal(body.error, 'invalid_grant');
  assert.match(body.error_description, allowed);
  const scope = (await (await sandbox.fetch(token('grant_type=client_credentials&scope=caf%C3%A9'))).json()) as {error: string; error_description: string};
  assert.equal(scope.error, 'invalid_scope');
  assert.match(scope.error_description, allowed);
});
