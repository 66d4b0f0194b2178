import {describe, it, before} from 'node:test';
import assert from 'node:assert/strict';
import * as jose from 'jose';
import * as oauth from 'oauth4webapi';
import {
  discover,
  introspect,
  isRefreshFailure,
  refresh,
  revoke,
  whatToDoWhenRefreshFails,
  type PublicClientConfig,
  type ResourceServerConfig,
} from './refresh-tokens';
import {createTestSandbox, loginWithPkce, type TestSandbox} from '../sandbox/test-fixture';

interface Recorded {
  url: string;
  headers: Headers;
  body: URLSearchParams;
}

/** A sandbox, alice signed in to the SPA (tokens with offline_access), and the resource server's credentials. */
async function setUp() {
  const sandbox = await createTestSandbox();
  const spa = sandbox.catalog.clients.find((client) => client.guide_case === 'single-page-app')!;
  const calendar = sandbox.catalog.apis.find((api) => api.id === 'calendar')!;
  const redirectUri = spa.redirect_uris.find((uri) => uri.endsWith('/concepts/refresh-tokens'))!;
  const {tokens} = await loginWithPkce(sandbox, {
    clientId: spa.client_id,
    redirectUri,
    scope: 'openid profile offline_access calendar:read',
    audience: calendar.identifier,
  });
  assert.ok(tokens.refresh_token, 'offline_access was granted');
  const sent: Recorded[] = [];
  const config: PublicClientConfig = {
    issuer: sandbox.issuer,
    clientId: spa.client_id,
    fetch: async (url, init) => {
      sent.push({
        url,
        headers: new Headers(init.headers),
        body: new URLSearchParams(
          typeof init.body === 'string' || init.body instanceof URLSearchParams ? init.body : '',
        ),
      });
      return sandbox.fetch(url, init);
    },
  };
  // The calendar API introspects with its own confidential client, `calendar-api`. Until the catalog
  // registers it, a confidential client the sandbox already has stands in for the resource server.
  const resourceServerClient =
    sandbox.catalog.clients.find((client) => client.client_id === 'calendar-api') ??
    sandbox.catalog.clients.find((client) => client.client_id === 'regular-web-app')!;
  const resourceServer: ResourceServerConfig = {
    clientId: resourceServerClient.client_id,
    clientSecret: resourceServerClient.client_secret!,
    authMethod:
      resourceServerClient.token_endpoint_auth_method === 'client_secret_post'
        ? 'client_secret_post'
        : 'client_secret_basic',
    fetch: sandbox.fetch,
  };
  const as = await discover(config);
  return {sandbox, spa, calendar, tokens, config, resourceServer, sent, as};
}

async function verifyAccessToken(sandbox: TestSandbox, token: string, audience: string) {
  const jwks = jose.createLocalJWKSet((await (await sandbox.fetch(sandbox.as.jwks_uri!)).json()) as jose.JSONWebKeySet);
  return jose.jwtVerify(token, jwks, {issuer: sandbox.issuer, audience, typ: 'at+jwt'});
}

/** Runs `promise`, which must be rejected, and returns what it was rejected with. */
async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => assert.fail('expected the request to be refused'),
    (error: unknown) => error,
  );
}

describe('RFC 6749 §6: refreshing', () => {
  let context: Awaited<ReturnType<typeof setUp>>;
  let refreshed: oauth.TokenEndpointResponse;

  before(async () => {
    context = await setUp();
    refreshed = await refresh(context.as, context.config, context.tokens.refresh_token!);
  });

  it('sends grant_type=refresh_token with the client_id and no secret (a public client, §2.1)', () => {
    const request = context.sent.find((sent) => sent.url === context.as.token_endpoint)!;
    assert.equal(request.body.get('grant_type'), 'refresh_token');
    assert.equal(request.body.get('refresh_token'), context.tokens.refresh_token);
    assert.equal(request.body.get('client_id'), context.spa.client_id);
    assert.equal(request.body.has('client_secret'), false);
    assert.equal(request.headers.has('authorization'), false);
  });

  it('RFC 9700 §4.14.2: the response carries a new refresh token (rotation)', () => {
    assert.ok(refreshed.refresh_token);
    assert.notEqual(refreshed.refresh_token, context.tokens.refresh_token);
  });

  it('RFC 9068 §2: the new access token verifies, for the same API as before', async () => {
    assert.notEqual(refreshed.access_token, context.tokens.access_token);
    const {payload} = await verifyAccessToken(context.sandbox, refreshed.access_token, context.calendar.identifier);
    assert.equal(payload.client_id, context.spa.client_id);
    assert.equal(payload.sub, 'user-alice');
  });

  it('§6: scope may be narrowed on refresh', async () => {
    const narrowed = await refresh(context.as, context.config, refreshed.refresh_token!, {scope: 'calendar:read'});
    assert.equal(narrowed.scope, 'calendar:read');
    const {payload} = await verifyAccessToken(context.sandbox, narrowed.access_token, context.calendar.identifier);
    assert.equal(payload.scope, 'calendar:read');
  });

  it('§6: scope may not be widened (invalid_scope), and that refusal does not use up the token', async () => {
    const {as, config, tokens} = await setUp();
    const error = await refusal(refresh(as, config, tokens.refresh_token!, {scope: 'calendar:read calendar:write'}));
    assert.ok(error instanceof oauth.ResponseBodyError);
    assert.equal(error.error, 'invalid_scope');
    assert.equal(isRefreshFailure(error), false);
    assert.equal(whatToDoWhenRefreshFails(error).action, 'report');
    assert.ok((await refresh(as, config, tokens.refresh_token!)).access_token);
  });
});

describe('RFC 9700 §4.14.2: reuse of a rotated refresh token revokes the family', () => {
  it('the old token is refused with invalid_grant, and then so is the newest one and its access token', async () => {
    const {as, config, tokens, resourceServer} = await setUp();
    const first = tokens.refresh_token!;
    const second = await refresh(as, config, first);
    assert.equal((await introspect(as, resourceServer, second.access_token, 'access_token')).active, true);

    // Someone replays the token that was already used.
    const replay = await refusal(refresh(as, config, first));
    assert.ok(isRefreshFailure(replay));
    assert.equal(replay.status, 400);

    // The legitimate app's newest token is dead too: the whole family is revoked.
    const next = await refusal(refresh(as, config, second.refresh_token!));
    assert.ok(next instanceof oauth.ResponseBodyError);
    assert.equal(next.error, 'invalid_grant');
    assert.deepEqual(whatToDoWhenRefreshFails(next), {
      action: 'sign-in-again',
      error: 'invalid_grant',
      why: next.error_description,
    });

    assert.equal((await introspect(as, resourceServer, second.refresh_token!, 'refresh_token')).active, false);
    assert.equal((await introspect(as, resourceServer, second.access_token, 'access_token')).active, false);
  });
});

describe('RFC 7662: introspection by the resource server', () => {
  let context: Awaited<ReturnType<typeof setUp>>;
  before(async () => {
    context = await setUp();
  });

  it('§2.2: an active access token, with what it allows', async () => {
    const result = await introspect(context.as, context.resourceServer, context.tokens.access_token, 'access_token');
    assert.equal(result.active, true);
    assert.equal(result.client_id, context.spa.client_id);
    assert.equal(result.sub, 'user-alice');
    assert.equal(result.username, 'alice');
    // An OpenID request's access token names UserInfo beside its API (OIDC Core §5.3).
    assert.deepEqual(result.aud, [context.calendar.identifier, `${context.sandbox.issuer}/userinfo`]);
    assert.equal(result.iss, context.sandbox.issuer);
    assert.match(result.scope ?? '', /\bcalendar:read\b/);
    assert.equal(typeof result.exp, 'number');
  });

  it('§2.2: an active refresh token (found even without a hint, §2.1)', async () => {
    const result = await introspect(context.as, context.resourceServer, context.tokens.refresh_token!);
    assert.equal(result.active, true);
    assert.equal(result.client_id, context.spa.client_id);
  });

  it('§2.2: an unknown token is just inactive', async () => {
    assert.deepEqual(await introspect(context.as, context.resourceServer, 'not-a-token'), {active: false});
  });

  it('§2.1: the resource server must authenticate; a wrong secret is 401', async () => {
    const error = await refusal(
      introspect(context.as, {...context.resourceServer, clientSecret: 'not-the-secret'}, context.tokens.access_token),
    );
    assert.ok(error instanceof oauth.WWWAuthenticateChallengeError || error instanceof oauth.ResponseBodyError);
    assert.equal(error.status, 401);
  });
});

describe('RFC 7009: revocation by the SPA', () => {
  it('§2.1: revoking the refresh token ends it and the access tokens of its grant', async () => {
    const {as, config, tokens, resourceServer, sent} = await setUp();
    await revoke(as, config, tokens.refresh_token!, 'refresh_token');

    const request = sent.find((recorded) => recorded.url === as.revocation_endpoint)!;
    assert.equal(request.body.get('token'), tokens.refresh_token);
    assert.equal(request.body.get('token_type_hint'), 'refresh_token');
    assert.equal(request.body.get('client_id'), config.clientId);
    assert.equal(request.headers.has('authorization'), false);

    assert.equal((await introspect(as, resourceServer, tokens.refresh_token!)).active, false);
    assert.equal((await introspect(as, resourceServer, tokens.access_token)).active, false);
    assert.ok(isRefreshFailure(await refusal(refresh(as, config, tokens.refresh_token!))));
  });

  it('§2.1: revoking an access token leaves the refresh token working', async () => {
    const {as, config, tokens, resourceServer} = await setUp();
    await revoke(as, config, tokens.access_token, 'access_token');
    assert.equal((await introspect(as, resourceServer, tokens.access_token)).active, false);
    assert.equal((await introspect(as, resourceServer, tokens.refresh_token!)).active, true);
    assert.ok((await refresh(as, config, tokens.refresh_token!)).access_token);
  });

  it('§2.2: an unknown token is "revoked" too (200), so the answer reveals nothing', async () => {
    const {as, config} = await setUp();
    await revoke(as, config, 'not-a-token');
  });

  it("§2.1: another client cannot revoke the SPA's token", async () => {
    const {sandbox, as, config, tokens, resourceServer} = await setUp();
    const native = sandbox.catalog.clients.find((client) => client.guide_case === 'native-app')!;
    await revoke(as, {...config, clientId: native.client_id}, tokens.refresh_token!, 'refresh_token');
    assert.equal((await introspect(as, resourceServer, tokens.refresh_token!)).active, true);
  });
});

describe('what an SPA does when refreshing fails', () => {
  it('RFC 6749 §5.2: an unknown client is invalid_client: a bug to report, not a reason to sign in again', async () => {
    const {as, config, tokens} = await setUp();
    const error = await refusal(refresh(as, {...config, clientId: 'no-such-client'}, tokens.refresh_token!));
    assert.ok(error instanceof oauth.ResponseBodyError);
    assert.equal(error.error, 'invalid_client');
    assert.equal(isRefreshFailure(error), false);
    assert.deepEqual(whatToDoWhenRefreshFails(error).action, 'report');
  });

  it('a network failure: retry later (the token may still be good)', async () => {
    const {as, config, tokens} = await setUp();
    const offline: PublicClientConfig = {...config, fetch: () => Promise.reject(new TypeError('fetch failed'))};
    const error = await refusal(refresh(as, offline, tokens.refresh_token!));
    assert.equal(isRefreshFailure(error), false);
    assert.equal(whatToDoWhenRefreshFails(error).action, 'retry-later');
  });

  it('a 503 without an OAuth body: retry later', async () => {
    const {as, config, tokens} = await setUp();
    const down: PublicClientConfig = {...config, fetch: async () => new Response('maintenance', {status: 503})};
    const error = await refusal(refresh(as, down, tokens.refresh_token!));
    assert.equal(whatToDoWhenRefreshFails(error).action, 'retry-later');
  });
});
