/**
 * Bad requests of RFC 9126 (pushed authorization requests) and RFC 7523 §2.2 (private_key_jwt client
 * authentication): at the PAR endpoint, answered as the token endpoint answers (§2.3); at the authorization
 * endpoint with a request_uri, on the sandbox's page (§4); and client assertions at the token endpoint.
 */
import {importJWK, SignJWT} from 'jose';
import {basic, CALENDAR, CHALLENGE, FORM, I, token, authorize, type Row} from './bad-requests-fixture';
import type {TestSandbox} from './test-fixture';

const WEB_APP_PAR = basic('web-app-par', 'web-app-par-secret-62e0c9');
const WEB_APP_REDIRECT = `${I}/webapp/callback`;
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

const pushed = (fields: Record<string, string>, headers: Record<string, string> = {authorization: WEB_APP_PAR}) =>
  new Request(`${I}/par`, {
    method: 'POST',
    headers: {'content-type': FORM, ...headers},
    body: new URLSearchParams({
      response_type: 'code',
      redirect_uri: WEB_APP_REDIRECT,
      scope: 'openid',
      code_challenge: CHALLENGE,
      code_challenge_method: 'S256',
      state: 'xyz',
      ...fields,
    }).toString(),
  });

/** A request_uri the sandbox handed out to web-app-par. */
async function pushedRequestUri(sandbox: TestSandbox): Promise<string> {
  const response = await sandbox.app.fetch(pushed({}));
  return ((await response.json()) as {request_uri: string}).request_uri;
}

/** A client assertion of the private_key_jwt demo client, signed with its catalog key, with claims overridden. */
async function clientAssertion(sandbox: TestSandbox, claims: Record<string, unknown> = {}): Promise<string> {
  const client = sandbox.client('m2m-private-key-jwt');
  const now = Math.floor(sandbox.now() / 1000);
  return new SignJWT({
    iss: client.client_id,
    sub: client.client_id,
    aud: I,
    jti: crypto.randomUUID(),
    iat: now,
    exp: now + 60,
    ...claims,
  })
    .setProtectedHeader({alg: 'ES256', kid: client.private_jwk!.kid})
    .sign(await importJWK(client.private_jwk!, 'ES256'));
}

const assertionToken = (assertion: string, extra = '') =>
  token(
    `grant_type=client_credentials&audience=${encodeURIComponent(CALENDAR)}&client_assertion_type=${encodeURIComponent(JWT_BEARER)}&client_assertion=${assertion}${extra}`,
    {},
  );

export const parRows: Row[] = [
  {
    name: 'RFC 9126 §2.1 invalid_request: a request_uri in a pushed request',
    request: () => pushed({request_uri: 'urn:ietf:params:oauth:request_uri:x'}),
    status: 400,
    error: 'invalid_request',
    where: 'json',
  },
  {
    name: 'RFC 9126 §2.3 invalid_request: an unregistered redirect_uri, answered as JSON',
    request: () => pushed({redirect_uri: 'https://attacker.test/cb'}),
    status: 400,
    error: 'invalid_request',
    where: 'json',
  },
  {
    name: 'RFC 9126 §2.3 / RFC 7636 §4.4.1 invalid_request: no PKCE challenge',
    request: () => pushed({code_challenge: ''}),
    status: 400,
    error: 'invalid_request',
    where: 'json',
  },
  {
    name: 'RFC 9126 §2.3 unsupported_response_type: response_type=token',
    request: () => pushed({response_type: 'token'}),
    status: 400,
    error: 'unsupported_response_type',
    where: 'json',
  },
  {
    name: 'RFC 9126 §2.3 invalid_scope: an unknown scope',
    request: () => pushed({scope: 'openid admin'}),
    status: 400,
    error: 'invalid_scope',
    where: 'json',
  },
  {
    name: 'RFC 9126 §2 / RFC 6749 §5.2 invalid_client: a wrong secret (with the Basic challenge)',
    request: () => pushed({}, {authorization: basic('web-app-par', 'wrong')}),
    status: 401,
    error: 'invalid_client',
    where: 'json',
    header: /^Basic realm=/,
  },
  {
    name: 'RFC 9126 §2 / RFC 6749 §3.2.1 invalid_client: a confidential client without its secret',
    request: () => pushed({client_id: 'web-app-par'}, {}),
    status: 401,
    error: 'invalid_client',
    where: 'json',
  },
  {
    name: 'RFC 9126 §2 invalid_request: a JSON body',
    request: () =>
      new Request(`${I}/par`, {
        method: 'POST',
        headers: {'content-type': 'application/json', authorization: WEB_APP_PAR},
        body: '{"response_type":"code"}',
      }),
    status: 400,
    error: 'invalid_request',
    where: 'json',
  },
  {
    name: 'RFC 9126 §6 invalid_request: a plain request from a client that must push, on the page',
    request: () =>
      authorize({
        client_id: 'web-app-par',
        redirect_uri: WEB_APP_REDIRECT,
        response_type: 'code',
        code_challenge: CHALLENGE,
        code_challenge_method: 'S256',
        state: 'xyz',
      }),
    status: 400,
    where: 'page',
  },
  {
    name: 'RFC 9126 §4 invalid_request_uri: an unknown request_uri, on the page',
    request: () => authorize({client_id: 'web-app-par', request_uri: 'urn:ietf:params:oauth:request_uri:nope'}),
    status: 400,
    where: 'page',
  },
  {
    name: 'RFC 9126 §4 invalid_request_uri: a request_uri used twice, on the page',
    request: async (sandbox) => {
      const requestUri = await pushedRequestUri(sandbox);
      await sandbox.app.fetch(authorize({client_id: 'web-app-par', request_uri: requestUri}));
      return authorize({client_id: 'web-app-par', request_uri: requestUri});
    },
    status: 400,
    where: 'page',
  },
  {
    name: "RFC 9126 §4 invalid_request_uri: another client's request_uri, on the page",
    request: async (sandbox) => authorize({client_id: 'regular-web-app', request_uri: await pushedRequestUri(sandbox)}),
    status: 400,
    where: 'page',
  },
  {
    name: 'RFC 9126 §4 invalid_request: a request_uri without client_id, on the page',
    request: async (sandbox) => authorize({request_uri: await pushedRequestUri(sandbox)}),
    status: 400,
    where: 'page',
  },
  {
    name: 'RFC 7523 §3 / RFC 7521 §4.2.1 invalid_client: an assertion for another audience',
    request: async (sandbox) => assertionToken(await clientAssertion(sandbox, {aud: 'https://elsewhere.test'})),
    status: 401,
    error: 'invalid_client',
    where: 'json',
  },
  {
    name: 'RFC 7523 §3 invalid_client: an expired assertion',
    request: async (sandbox) => {
      const now = Math.floor(sandbox.now() / 1000);
      return assertionToken(await clientAssertion(sandbox, {iat: now - 600, exp: now - 300}));
    },
    status: 401,
    error: 'invalid_client',
    where: 'json',
  },
  {
    name: 'RFC 7523 §3 / OIDC Core §9 invalid_client: a replayed jti',
    request: async (sandbox) => {
      const assertion = await clientAssertion(sandbox);
      await sandbox.app.fetch(assertionToken(assertion));
      return assertionToken(assertion);
    },
    status: 401,
    error: 'invalid_client',
    where: 'json',
  },
  {
    name: 'RFC 7521 §4.2.1 invalid_client: an assertion that is not a JWT',
    request: () => assertionToken('e30.e30.x'),
    status: 401,
    error: 'invalid_client',
    where: 'json',
  },
  {
    name: 'RFC 6749 §2.3 invalid_request: an assertion and a client secret in one request',
    request: async (sandbox) => assertionToken(await clientAssertion(sandbox), '&client_secret=x'),
    status: 400,
    error: 'invalid_request',
    where: 'json',
  },
  {
    name: 'RFC 7521 §4.2 invalid_request: client_assertion_type without client_assertion',
    request: () =>
      token(`grant_type=client_credentials&client_id=m2m-private-key-jwt&client_assertion_type=${JWT_BEARER}`, {}),
    status: 400,
    error: 'invalid_request',
    where: 'json',
  },
  {
    name: 'RFC 6749 §5.2 invalid_client: the private_key_jwt client with a secret instead of an assertion',
    request: () => token('grant_type=client_credentials&client_id=m2m-private-key-jwt&client_secret=guess', {}),
    status: 401,
    error: 'invalid_client',
    where: 'json',
  },
  {
    name: 'RFC 6749 §5.2 invalid_client: a client_secret_basic client with an assertion',
    request: async (sandbox) => assertionToken(await clientAssertion(sandbox, {iss: 'm2m-cron', sub: 'm2m-cron'})),
    status: 401,
    error: 'invalid_client',
    where: 'json',
  },
];
