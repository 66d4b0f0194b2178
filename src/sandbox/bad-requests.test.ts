import assert from 'node:assert/strict';
import {test} from 'node:test';
import {resourceRows} from './bad-requests-apis';
import {authorizationRows} from './bad-requests-authorize';
import {deviceRows} from './bad-requests-device';
import {parRows} from './bad-requests-par';
import {dpopRows} from './bad-requests-dpop';
import {basic, CALENDAR, FORM, I, M2M, SPA_REDIRECT, token, spaAuthorize, type Row} from './bad-requests-fixture';
import {createTestSandbox, loginWithPkce} from './test-fixture';
import {TEST_ISSUER} from './testing';

const rows: Row[] = [
  // RFC 6749 §5.2, token endpoint
  {
    name: 'RFC 6749 §5.2 invalid_request: grant_type missing',
    request: () => token('audience=x'),
    status: 400,
    error: 'invalid_request',
    where: 'json',
  },
  {
    name: 'RFC 6749 §3.1 invalid_request: a repeated parameter',
    request: () => token('grant_type=client_credentials&grant_type=client_credentials'),
    status: 400,
    error: 'invalid_request',
    where: 'json',
  },
  {
    name: 'RFC 6749 §3.2 invalid_request: a JSON body',
    request: () =>
      new Request(`${I}/token`, {
        method: 'POST',
        headers: {'content-type': 'application/json', authorization: M2M},
        body: '{"grant_type":"client_credentials"}',
      }),
    status: 400,
    error: 'invalid_request',
    where: 'json',
  },
  {
    name: 'RFC 6749 §2.3 invalid_request: two client authentication methods',
    request: () => token('grant_type=client_credentials&client_id=m2m-cron&client_secret=m2m-cron-secret-5bd1e8'),
    status: 400,
    error: 'invalid_request',
    where: 'json',
  },
  {
    name: 'RFC 6749 §5.2 invalid_request: authorization_code without code',
    request: () => token('grant_type=authorization_code&client_id=spa&redirect_uri=x', {}),
    status: 400,
    error: 'invalid_request',
    where: 'json',
  },
  {
    name: 'RFC 6749 §5.2 invalid_client: wrong Basic secret (with the Basic challenge)',
    request: () => token('grant_type=client_credentials', {authorization: basic('m2m-cron', 'wrong')}),
    status: 401,
    error: 'invalid_client',
    where: 'json',
    header: /^Basic realm=/,
  },
  {
    name: 'RFC 6749 §5.2 invalid_client: malformed Basic credentials',
    request: () => token('grant_type=client_credentials', {authorization: 'Basic %%%'}),
    status: 401,
    error: 'invalid_client',
    where: 'json',
    header: /^Basic realm=/,
  },
  {
    name: 'RFC 6749 §5.2 invalid_client: an unsupported authentication scheme',
    request: () => token('grant_type=client_credentials', {authorization: 'Digest username="m2m-cron"'}),
    status: 401,
    error: 'invalid_client',
    where: 'json',
    header: /^Basic realm=/,
  },
  {
    name: 'RFC 6749 §5.2 invalid_client: Basic without a colon',
    request: () => token('grant_type=client_credentials', {authorization: `Basic ${btoa('m2m-cron')}`}),
    status: 401,
    error: 'invalid_client',
    where: 'json',
    header: /^Basic/,
  },
  {
    name: 'RFC 6749 §3.2.1 invalid_client: a confidential client without its secret',
    request: () => token('grant_type=client_credentials&client_id=m2m-cron', {}),
    status: 401,
    error: 'invalid_client',
    where: 'json',
  },
  {
    name: 'RFC 6749 §5.2 invalid_client: an unknown client',
    request: () => token('grant_type=client_credentials&client_id=ghost', {}),
    status: 401,
    error: 'invalid_client',
    where: 'json',
  },
  {
    name: 'RFC 6749 §5.2 invalid_client: the registered method not used (post for a basic client)',
    request: () => token('grant_type=client_credentials&client_id=m2m-cron&client_secret=m2m-cron-secret-5bd1e8', {}),
    status: 401,
    error: 'invalid_client',
    where: 'json',
  },
  {
    name: 'RFC 6749 §5.2 invalid_grant: an unknown code',
    request: () =>
      token(
        `grant_type=authorization_code&client_id=spa&code=nope&redirect_uri=${encodeURIComponent(SPA_REDIRECT)}&code_verifier=${'a'.repeat(43)}`,
        {},
      ),
    status: 400,
    error: 'invalid_grant',
    where: 'json',
  },
  {
    name: 'RFC 6749 §5.2 invalid_grant: an unknown refresh token',
    request: () => token('grant_type=refresh_token&client_id=spa&refresh_token=nope', {}),
    status: 400,
    error: 'invalid_grant',
    where: 'json',
  },
  {
    name: 'RFC 6749 §5.2 unauthorized_client: a grant type the client is not registered for',
    request: () => token('grant_type=password&username=alice&password=wonderland-42'),
    status: 400,
    error: 'unauthorized_client',
    where: 'json',
  },
  {
    name: 'RFC 6749 §4.4 unauthorized_client: client_credentials by a public client',
    request: () => token(`grant_type=client_credentials&client_id=spa&audience=${encodeURIComponent(CALENDAR)}`, {}),
    status: 400,
    error: 'unauthorized_client',
    where: 'json',
  },
  {
    name: 'RFC 6749 §5.2 unsupported_grant_type: an unknown grant',
    request: () => token('grant_type=urn:example:magic'),
    status: 400,
    error: 'unsupported_grant_type',
    where: 'json',
  },
  {
    name: 'RFC 6749 §5.2 unsupported_grant_type: a prototype property name',
    request: () => token('grant_type=__proto__'),
    status: 400,
    error: 'unsupported_grant_type',
    where: 'json',
  },
  {
    name: 'RFC 6749 §5.2 invalid_scope: a scope of another API',
    request: () => token(`grant_type=client_credentials&audience=${encodeURIComponent(CALENDAR)}&scope=contacts:read`),
    status: 400,
    error: 'invalid_scope',
    where: 'json',
  },
  {
    name: 'RFC 6749 §5.2 invalid_scope: an unknown scope in the password grant',
    request: () =>
      token(
        'grant_type=password&client_id=trusted-first-party&client_secret=trusted-first-party-secret-3e7a61&username=alice&password=wonderland-42&scope=admin',
        {},
      ),
    status: 400,
    error: 'invalid_scope',
    where: 'json',
  },
  // RFC 8707
  {
    name: 'RFC 8707 §2 invalid_target: client_credentials without any audience',
    request: () => token('grant_type=client_credentials'),
    status: 400,
    error: 'invalid_target',
    where: 'json',
  },
  {
    name: 'RFC 8707 §2 invalid_target: an unknown audience',
    request: () => token('grant_type=client_credentials&audience=https://elsewhere.test/api'),
    status: 400,
    error: 'invalid_target',
    where: 'json',
  },
  {
    name: 'RFC 8707 §2 invalid_target: a resource with a fragment',
    request: () => token(`grant_type=client_credentials&resource=${encodeURIComponent(`${CALENDAR}#x`)}`),
    status: 400,
    error: 'invalid_target',
    where: 'json',
  },
  {
    name: 'RFC 8707 §2 invalid_target: a relative resource',
    request: () => token('grant_type=client_credentials&resource=api/calendar'),
    status: 400,
    error: 'invalid_target',
    where: 'json',
  },
  {
    name: 'RFC 8707 §2 invalid_target: two audiences at once',
    request: () =>
      token(
        `grant_type=client_credentials&resource=${encodeURIComponent(CALENDAR)}&resource=${encodeURIComponent(`${I}/api/contacts`)}`,
      ),
    status: 400,
    error: 'invalid_target',
    where: 'json',
  },
  {
    name: 'RFC 8707 §2 invalid_target at /authorize goes back to the redirect_uri',
    request: () => spaAuthorize({audience: 'https://elsewhere.test/api'}),
    status: 303,
    error: 'invalid_target',
    where: 'redirect',
  },
  ...authorizationRows,
  ...resourceRows,
  ...deviceRows,
  ...parRows,
  ...dpopRows,
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
  const paths = [
    '/.well-known/openid-configuration',
    '/jwks',
    '/catalog',
    '/authorize',
    '/token',
    '/userinfo',
    '/revoke',
    '/introspect',
    '/device_authorization',
    '/par',
    '/device',
    '/device/x/login',
    '/interaction/x/login',
    '/interaction/x/consent',
    '/api/calendar/events',
    '/api/contacts/people',
    '/x',
  ];
  const bodies: [string | undefined, BodyInit | undefined][] = [
    [undefined, undefined],
    [FORM, 'a=%ZZ&&=&b'],
    [FORM, 'state=1&state=2&code=x&client_id=spa&grant_type=authorization_code'],
    ['application/json', '{"a":'],
    ['text/plain', '\u0000\uffff'],
    [FORM, new Uint8Array([0xc3, 0x28])],
    // RFC 7523 §2.2: an assertion that is no JWT, and one whose header and payload are empty objects.
    [FORM, 'client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=x'],
    [
      FORM,
      'client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=e30.e30.e30',
    ],
    // RFC 9126 §4: a request_uri at /authorize that was never handed out.
    [FORM, 'request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Ax&response_type=code'],
  ];
  const authorizations = [
    undefined,
    'Bearer',
    `Bearer ${tokens.access_token}`,
    'Basic',
    'Basic Og==',
    'Digest x',
    'Basic ' + btoa('spa:\u00ff'),
    'DPoP',
    `DPoP ${tokens.access_token}`,
  ];
  let count = 0;
  for (const path of paths) {
    for (const method of ['GET', 'POST', 'PUT', 'OPTIONS']) {
      for (const [type, body] of method === 'GET' || method === 'OPTIONS'
        ? [[undefined, undefined] as const]
        : bodies) {
        for (const authorization of authorizations) {
          const headers: Record<string, string> = {};
          if (type) headers['content-type'] = type;
          if (authorization) headers.authorization = authorization;
          const response = await sandbox.app.fetch(
            new Request(`${I}${path}?client_id=spa&x=%E0%A4%A`, {
              method,
              headers,
              ...(body !== undefined ? {body} : {}),
            }),
          );
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
  const flow = await loginWithPkce(sandbox).then(() =>
    sandbox.fetch(
      token(
        `grant_type=authorization_code&client_id=spa&code=x&redirect_uri=${encodeURIComponent(SPA_REDIRECT)}&code_verifier=short`,
        {},
      ),
    ),
  );
  const body = (await flow.json()) as {error: string; error_description: string};
  assert.equal(body.error, 'invalid_grant');
  assert.match(body.error_description, allowed);
  const scope = (await (await sandbox.fetch(token('grant_type=client_credentials&scope=caf%C3%A9'))).json()) as {
    error: string;
    error_description: string;
  };
  assert.equal(scope.error, 'invalid_scope');
  assert.match(scope.error_description, allowed);
});
