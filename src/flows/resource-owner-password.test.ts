import {describe, it, before} from 'node:test';
import assert from 'node:assert/strict';
import * as jose from 'jose';
import * as oauth from 'oauth4webapi';
import {callApi, discover, requestToken, type PasswordGrantConfig} from './resource-owner-password';
import {createTestSandbox} from '../sandbox/test_fixture';

interface Recorded {
  url: string;
  headers: Headers;
  body: URLSearchParams;
}

/** The first-party client's configuration from the catalog, with a fetch that records what it sends. */
async function setUp() {
  const sandbox = await createTestSandbox();
  const client = sandbox.catalog.clients.find((candidate) => candidate.guide_case === 'trusted-first-party')!;
  const calendar = sandbox.catalog.apis.find((api) => api.id === 'calendar')!;
  const alice = sandbox.catalog.users.find((user) => user.username === 'alice')!;
  const sent: Recorded[] = [];
  const config: PasswordGrantConfig = {
    issuer: sandbox.issuer,
    clientId: client.client_id,
    clientSecret: client.client_secret!,
    scope: 'openid offline_access calendar:read',
    audience: calendar.identifier,
    fetch: async (url, init) => {
      sent.push({url, headers: new Headers(init.headers), body: new URLSearchParams(typeof init.body === 'string' ? init.body : String(init.body ?? ''))});
      return sandbox.fetch(url, init);
    },
  };
  const as = await discover(config);
  return {sandbox, client, calendar, alice, config, sent, as};
}

function assertRefused(expected: {error: string; status: number}) {
  return (error: unknown) => {
    assert.ok(error instanceof oauth.ResponseBodyError);
    assert.equal(error.error, expected.error);
    assert.equal(error.status, expected.status);
    assert.ok(error.error_description, 'the server says why');
    return true;
  };
}

describe('RFC 6749 §4.3: the password grant against the sandbox', () => {
  let context: Awaited<ReturnType<typeof setUp>>;
  let tokens: oauth.TokenEndpointResponse;

  before(async () => {
    context = await setUp();
    tokens = await requestToken(context.as, context.config, {username: context.alice.username, password: context.alice.password});
  });

  it('§4.3.2 / §2.3.1: sends grant_type=password with the user\'s credentials, and the client secret in the body', () => {
    const request = context.sent.find((sent) => sent.url === context.as.token_endpoint)!;
    assert.equal(request.body.get('grant_type'), 'password');
    assert.equal(request.body.get('username'), 'alice');
    assert.equal(request.body.get('password'), context.alice.password);
    assert.equal(request.body.get('scope'), context.config.scope);
    assert.equal(request.body.get('resource'), context.calendar.identifier);
    assert.equal(request.body.get('client_id'), context.client.client_id);
    assert.equal(request.body.get('client_secret'), context.client.client_secret);
    assert.equal(request.headers.has('authorization'), false, 'client_secret_post: no Basic header as well (§2.3)');
  });

  it('§4.3.3: an access token, an ID token and (offline_access) a refresh token', () => {
    assert.equal(tokens.token_type, 'bearer');
    assert.ok(tokens.id_token);
    assert.ok(tokens.refresh_token);
  });

  it('RFC 9068 §2: the access token verifies and is alice\'s, for the calendar API', async () => {
    const jwks = jose.createLocalJWKSet((await (await context.sandbox.fetch(context.as.jwks_uri!)).json()) as jose.JSONWebKeySet);
    const {payload} = await jose.jwtVerify(tokens.access_token, jwks, {
      issuer: context.sandbox.issuer,
      audience: context.calendar.identifier,
      typ: 'at+jwt',
    });
    assert.equal(payload.sub, context.alice.sub);
    assert.equal(payload.client_id, context.client.client_id);
    assert.match(String(payload.scope), /\bcalendar:read\b/);
  });

  it('OIDC Core §3.1.3.7: the ID token is alice\'s, for this client', () => {
    const claims = oauth.getValidatedIdTokenClaims(tokens)!;
    assert.equal(claims.sub, context.alice.sub);
    assert.equal(claims.aud, context.client.client_id);
  });

  it('RFC 6750 §2.1: the calendar API answers 200 with alice\'s events', async () => {
    const response = await callApi(`${context.calendar.base_url}/events`, tokens.access_token, context.config);
    assert.equal(response.status, 200);
    const body = response.body as {caller: {sub: string}; events: unknown[]};
    assert.equal(body.caller.sub, context.alice.sub);
    assert.ok(Array.isArray(body.events));
  });
});

describe('RFC 6749 §5.2: what the token endpoint refuses', () => {
  it('a wrong password is invalid_grant (400)', async () => {
    const {as, config, alice} = await setUp();
    await assert.rejects(requestToken(as, config, {username: alice.username, password: 'not-her-password'}), assertRefused({error: 'invalid_grant', status: 400}));
  });

  it('an unknown user is the same invalid_grant, revealing nothing about which part was wrong', async () => {
    const {as, config, alice} = await setUp();
    const unknown = await requestToken(as, config, {username: 'mallory', password: alice.password}).catch((error: unknown) => error);
    const wrong = await requestToken(as, config, {username: alice.username, password: 'nope'}).catch((error: unknown) => error);
    assert.ok(unknown instanceof oauth.ResponseBodyError && wrong instanceof oauth.ResponseBodyError);
    assert.equal(unknown.error, 'invalid_grant');
    assert.equal(unknown.error_description, wrong.error_description);
  });

  it('a wrong client secret is invalid_client (401), before the user\'s password is even looked at', async () => {
    const {as, config, alice} = await setUp();
    await assert.rejects(requestToken(as, {...config, clientSecret: 'not-the-secret'}, alice), assertRefused({error: 'invalid_client', status: 401}));
  });

  it('the client must use the method it is registered with: Basic is invalid_client', async () => {
    const {as, config, alice} = await setUp();
    await assert.rejects(requestToken(as, {...config, authMethod: 'client_secret_basic'}, alice), (error: unknown) => {
      assert.ok(error instanceof oauth.WWWAuthenticateChallengeError);
      assert.equal(error.status, 401);
      return true;
    });
  });

  it('a client not registered for the grant is unauthorized_client', async () => {
    const {sandbox, as, config, alice} = await setUp();
    const webApp = sandbox.catalog.clients.find((client) => client.guide_case === 'regular-web-app')!;
    await assert.rejects(
      requestToken(as, {...config, clientId: webApp.client_id, clientSecret: webApp.client_secret!, authMethod: 'client_secret_basic'}, alice),
      assertRefused({error: 'unauthorized_client', status: 400}),
    );
  });
});
