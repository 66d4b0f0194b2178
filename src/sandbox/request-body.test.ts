/**
 * Request bodies as every engine hands them over. Firefox's Request has no `body` stream (not even the
 * one a Service Worker's fetch event carries), so the sandbox must read form and JSON bodies without it:
 * these tests hide the stream, as Firefox does, and run the requests that failed there.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import * as oauth from 'oauth4webapi';
import {MAX_BODY_BYTES, readBodyText} from './checks/params';
import {createTestBrowser} from './testing';
import {createTestSandbox, type TestSandbox} from './test-fixture';

const FORM = {'content-type': 'application/x-www-form-urlencoded'};

/** The request as Firefox gives it to a worker: the same body, but no `body` attribute to stream it from. */
function withoutBodyStream(request: Request): Request {
  Object.defineProperty(request, 'body', {value: undefined});
  return request;
}

/** Calls the sandbox in-process with every request stripped of its body stream. */
function firefoxLike(sandbox: TestSandbox) {
  return (input: string, init?: RequestInit) => sandbox.app.fetch(withoutBodyStream(new Request(input, init)));
}

/** HTTP Basic credentials of a confidential client (RFC 6749 §2.3.1). */
function basic(sandbox: TestSandbox, clientId: string): string {
  const client = sandbox.client(clientId);
  return `Basic ${btoa(`${client.client_id}:${client.client_secret}`)}`;
}

/** RFC 6749 §4.4: m2m-cron asks for a calendar token with HTTP Basic, its body read without a stream. */
async function clientCredentials(sandbox: TestSandbox, extra: Record<string, string> = {}): Promise<Response> {
  const calendar = sandbox.catalog.apis.find((api) => api.id === 'calendar')!;
  return await firefoxLike(sandbox)(`${sandbox.issuer}/token`, {
    method: 'POST',
    headers: {...FORM, authorization: basic(sandbox, 'm2m-cron')},
    body: new URLSearchParams({grant_type: 'client_credentials', resource: calendar.identifier, ...extra}),
  });
}

test('a form body is read without a body stream: RFC 6749 §4.4 client credentials with HTTP Basic', async () => {
  const sandbox = await createTestSandbox();
  const response = await clientCredentials(sandbox);
  assert.equal(response.status, 200, await response.clone().text());
  assert.equal(((await response.json()) as {token_type: string}).token_type, 'Bearer');
});

test('client credentials in the form body (RFC 6749 §2.3.1 client_secret_post) are read without a body stream', async () => {
  const sandbox = await createTestSandbox();
  const client = sandbox.client('trusted-first-party');
  const user = sandbox.catalog.users[0]!;
  const response = await firefoxLike(sandbox)(`${sandbox.issuer}/token`, {
    method: 'POST',
    headers: FORM,
    body: new URLSearchParams({
      grant_type: 'password',
      username: user.username,
      password: user.password,
      client_id: client.client_id,
      client_secret: client.client_secret!,
    }),
  });
  assert.equal(response.status, 200, await response.clone().text());
});

test('the sign-in and consent forms are read without a body stream, and the code is redeemed (RFC 6749 §4.1, RFC 7636)', async () => {
  const sandbox = await createTestSandbox();
  const browser = createTestBrowser((request) => sandbox.app.fetch(withoutBodyStream(request)), sandbox.issuer);
  const client: oauth.Client = {client_id: 'spa'};
  const redirectUri = sandbox.client('spa').redirect_uris[0]!;
  const verifier = oauth.generateRandomCodeVerifier();
  const url = new URL(sandbox.as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: client.client_id,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: 'openid',
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  }).toString();
  const user = sandbox.catalog.users[0]!;
  const outcome = await browser.authorize(url, {username: user.username, password: user.password});
  assert.deepEqual(outcome.pages, ['login', 'consent']);
  assert.ok(outcome.callbackUrl?.searchParams.get('code'), `came back without a code: ${outcome.response.status}`);

  const options = {
    [oauth.customFetch]: async (target: string, init: oauth.CustomFetchOptions<string, unknown>) =>
      firefoxLike(sandbox)(target, init as RequestInit),
  };
  const params = oauth.validateAuthResponse(sandbox.as, client, outcome.callbackUrl!);
  const response = await oauth.authorizationCodeGrantRequest(
    sandbox.as,
    client,
    oauth.None(),
    params,
    redirectUri,
    verifier,
    options,
  );
  assert.equal(response.status, 200, await response.clone().text());
});

test('a JSON body is read without a body stream: POST /events on the Calendar API', async () => {
  const sandbox = await createTestSandbox();
  const calendar = sandbox.catalog.apis.find((api) => api.id === 'calendar')!;
  const token = await clientCredentials(sandbox, {scope: 'calendar:write'});
  assert.equal(token.status, 200, await token.clone().text());
  const {access_token} = (await token.json()) as {access_token: string};
  const response = await firefoxLike(sandbox)(`${calendar.base_url}/events`, {
    method: 'POST',
    headers: {'content-type': 'application/json', authorization: `Bearer ${access_token}`},
    body: JSON.stringify({title: 'Tea party', start: '2030-05-04T16:00:00Z'}),
  });
  assert.equal(response.status, 201, await response.clone().text());
});

test('without a body stream the body limit holds: 413, and an empty body is still missing its grant_type (RFC 6749 §5.2)', async () => {
  const oversized = withoutBodyStream(
    new Request('https://sandbox.test/', {method: 'POST', body: 'a'.repeat(MAX_BODY_BYTES + 1)}),
  );
  await assert.rejects(readBodyText(oversized), {status: 413});
  assert.equal(await readBodyText(withoutBodyStream(new Request('https://sandbox.test/', {method: 'POST'}))), '');

  const sandbox = await createTestSandbox();
  const response = await firefoxLike(sandbox)(`${sandbox.issuer}/token`, {
    method: 'POST',
    headers: {...FORM, authorization: basic(sandbox, 'm2m-cron')},
    body: '',
  });
  assert.equal(response.status, 400);
  assert.equal(((await response.json()) as {error: string}).error, 'invalid_request');
});
