import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {test} from 'node:test';
import * as oauth from 'oauth4webapi';
import {clientAuthFor, createTestSandbox, loginWithPkce} from '../test-fixture';

async function tokenError(promise: Promise<unknown>): Promise<{error: string; status: number}> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof oauth.ResponseBodyError) return {error: error.error, status: error.status};
    throw error;
  }
  assert.fail('expected an error response');
}

test('RFC 6749 §4.4: client_credentials issues an RFC 9068 access token whose sub is the client', async () => {
  const sandbox = await createTestSandbox();
  const m2m = sandbox.client('m2m-cron');
  const client: oauth.Client = {client_id: m2m.client_id};
  const audience = `${sandbox.issuer}/api/contacts`;
  const response = await oauth.clientCredentialsGrantRequest(
    sandbox.as,
    client,
    clientAuthFor(m2m),
    {audience, scope: 'contacts:read'},
    sandbox.options,
  );
  assert.equal(response.headers.get('cache-control'), 'no-store');
  assert.equal(response.headers.get('pragma'), 'no-cache');
  const tokens = await oauth.processClientCredentialsResponse(sandbox.as, client, response);
  assert.equal(tokens.refresh_token, undefined, 'RFC 6749 §4.4.3: no refresh token');
  assert.equal(tokens.scope, 'contacts:read');
  const claims = await oauth.validateJwtAccessToken(
    sandbox.as,
    new Request(`${audience}/people`, {headers: {authorization: `Bearer ${tokens.access_token}`}}),
    audience,
    sandbox.options,
  );
  assert.equal(claims.sub, 'm2m-cron');
  assert.equal(claims.client_id, 'm2m-cron');
  assert.equal(claims.exp - claims.iat, 600);
});

test('RFC 6749 §4.4: without scope, client_credentials grants the API default scopes (§3.3)', async () => {
  const sandbox = await createTestSandbox();
  const m2m = sandbox.client('m2m-cron');
  const response = await oauth.clientCredentialsGrantRequest(
    sandbox.as,
    {client_id: m2m.client_id},
    clientAuthFor(m2m),
    {resource: `${sandbox.issuer}/api/calendar`},
    sandbox.options,
  );
  const tokens = await oauth.processClientCredentialsResponse(sandbox.as, {client_id: m2m.client_id}, response);
  assert.equal(tokens.scope, 'calendar:read calendar:write');
});

test('RFC 6749 §4.3: the password grant issues access, ID and refresh tokens to a client allowed it', async () => {
  const sandbox = await createTestSandbox();
  const trusted = sandbox.client('trusted-first-party');
  const client: oauth.Client = {client_id: trusted.client_id};
  const response = await oauth.genericTokenEndpointRequest(
    sandbox.as,
    client,
    clientAuthFor(trusted),
    'password',
    {username: 'bob', password: 'builder-7', scope: 'openid profile offline_access'},
    sandbox.options,
  );
  const tokens = await oauth.processGenericTokenEndpointResponse(sandbox.as, client, response);
  assert.ok(tokens.refresh_token);
  const idToken = oauth.getValidatedIdTokenClaims(tokens);
  assert.equal(idToken?.sub, 'user-bob');
  assert.equal(idToken?.name, 'Bob Builder');
});

test('RFC 6749 §4.3: wrong resource owner credentials are invalid_grant', async () => {
  const sandbox = await createTestSandbox();
  const trusted = sandbox.client('trusted-first-party');
  const client: oauth.Client = {client_id: trusted.client_id};
  const response = await oauth.genericTokenEndpointRequest(
    sandbox.as,
    client,
    clientAuthFor(trusted),
    'password',
    {username: 'bob', password: 'nope'},
    sandbox.options,
  );
  assert.deepEqual(await tokenError(oauth.processGenericTokenEndpointResponse(sandbox.as, client, response)), {
    error: 'invalid_grant',
    status: 400,
  });
});

test('RFC 6749 §4.1 + RFC 7636: authorization code with PKCE, end to end, ID token nonce validated', async () => {
  const sandbox = await createTestSandbox();
  const {tokens, outcome, params} = await loginWithPkce(sandbox);
  assert.deepEqual(outcome.pages, ['login', 'consent']);
  assert.equal(params.get('iss'), sandbox.issuer, 'RFC 9207 §2: iss in the response');
  const idToken = oauth.getValidatedIdTokenClaims(tokens)!;
  assert.equal(idToken.sub, 'user-alice');
  assert.equal(idToken.azp, 'spa');
  assert.equal(idToken.email, 'alice@example.com');
  assert.equal(typeof idToken.auth_time, 'number');
  assert.ok(tokens.refresh_token, 'offline_access was granted');
  assert.equal(tokens.scope, 'openid profile email offline_access calendar:read');
});

test('OIDC Core §3.1.3.6: the ID token from the token endpoint carries at_hash of its access token', async () => {
  const sandbox = await createTestSandbox();
  const {tokens} = await loginWithPkce(sandbox);
  const idToken = oauth.getValidatedIdTokenClaims(tokens)!;
  // Left half of SHA-256 over the ASCII access token, base64url (RS256 uses SHA-256).
  const digest = createHash('sha256').update(tokens.access_token, 'ascii').digest();
  assert.equal(idToken.at_hash, digest.subarray(0, digest.length / 2).toString('base64url'));
});

test('RFC 6749 §4.1.2: a confidential web app completes the code flow with client_secret_basic', async () => {
  const sandbox = await createTestSandbox();
  const {tokens} = await loginWithPkce(sandbox, {clientId: 'regular-web-app'});
  assert.ok(tokens.access_token);
});

test('RFC 7636 §4.6: a wrong code_verifier is invalid_grant', async () => {
  const sandbox = await createTestSandbox();
  const {authorizeWithPkce} = await import('../test-fixture');
  const flow = await authorizeWithPkce(sandbox);
  const client: oauth.Client = {client_id: 'spa'};
  const params = oauth.validateAuthResponse(sandbox.as, client, flow.outcome.callbackUrl!, flow.state);
  const response = await oauth.authorizationCodeGrantRequest(
    sandbox.as,
    client,
    oauth.None(),
    params,
    flow.redirectUri,
    oauth.generateRandomCodeVerifier(),
    sandbox.options,
  );
  assert.deepEqual(await tokenError(oauth.processAuthorizationCodeResponse(sandbox.as, client, response)), {
    error: 'invalid_grant',
    status: 400,
  });
});

test('RFC 6749 §4.1.3: a redirect_uri different from the authorization request is invalid_grant', async () => {
  const sandbox = await createTestSandbox();
  const {authorizeWithPkce} = await import('../test-fixture');
  const flow = await authorizeWithPkce(sandbox);
  const client: oauth.Client = {client_id: 'spa'};
  const params = oauth.validateAuthResponse(sandbox.as, client, flow.outcome.callbackUrl!, flow.state);
  const other = sandbox.client('spa').redirect_uris[1]!;
  const response = await oauth.authorizationCodeGrantRequest(
    sandbox.as,
    client,
    oauth.None(),
    params,
    other,
    flow.codeVerifier,
    sandbox.options,
  );
  assert.deepEqual(await tokenError(oauth.processAuthorizationCodeResponse(sandbox.as, client, response)), {
    error: 'invalid_grant',
    status: 400,
  });
});

test('RFC 6749 §4.1.2: codes expire after 60 seconds', async () => {
  const sandbox = await createTestSandbox();
  const {authorizeWithPkce} = await import('../test-fixture');
  const flow = await authorizeWithPkce(sandbox);
  sandbox.advance(61);
  const client: oauth.Client = {client_id: 'spa'};
  const params = oauth.validateAuthResponse(sandbox.as, client, flow.outcome.callbackUrl!, flow.state);
  const response = await oauth.authorizationCodeGrantRequest(
    sandbox.as,
    client,
    oauth.None(),
    params,
    flow.redirectUri,
    flow.codeVerifier,
    sandbox.options,
  );
  assert.deepEqual(await tokenError(oauth.processAuthorizationCodeResponse(sandbox.as, client, response)), {
    error: 'invalid_grant',
    status: 400,
  });
});

test('RFC 6749 §4.1.2 / §10.5: a replayed code is invalid_grant and revokes the tokens issued from it', async () => {
  const sandbox = await createTestSandbox();
  const {tokens, params, redirectUri, codeVerifier, oauthClient} = await loginWithPkce(sandbox);
  const replay = await oauth.authorizationCodeGrantRequest(
    sandbox.as,
    oauthClient,
    oauth.None(),
    params,
    redirectUri,
    codeVerifier,
    sandbox.options,
  );
  assert.deepEqual(await tokenError(oauth.processAuthorizationCodeResponse(sandbox.as, oauthClient, replay)), {
    error: 'invalid_grant',
    status: 400,
  });
  const api = await sandbox.fetch(`${sandbox.issuer}/api/calendar/events`, {
    headers: {authorization: `Bearer ${tokens.access_token}`},
  });
  assert.equal(api.status, 401, 'the access token from the first exchange is revoked');
  const refresh = await oauth.refreshTokenGrantRequest(
    sandbox.as,
    oauthClient,
    oauth.None(),
    tokens.refresh_token!,
    sandbox.options,
  );
  assert.deepEqual(await tokenError(oauth.processRefreshTokenResponse(sandbox.as, oauthClient, refresh)), {
    error: 'invalid_grant',
    status: 400,
  });
});

test('RFC 9700 §4.14.2: refresh tokens rotate, and reusing a rotated one revokes the whole family', async () => {
  const sandbox = await createTestSandbox();
  const {tokens, oauthClient} = await loginWithPkce(sandbox);
  const first = await oauth.processRefreshTokenResponse(
    sandbox.as,
    oauthClient,
    await oauth.refreshTokenGrantRequest(sandbox.as, oauthClient, oauth.None(), tokens.refresh_token!, sandbox.options),
  );
  assert.ok(first.refresh_token);
  assert.notEqual(first.refresh_token, tokens.refresh_token, 'rotated');
  // Reuse of the original refresh token: refused, and the family (including the new one) is revoked.
  const reuse = await oauth.refreshTokenGrantRequest(
    sandbox.as,
    oauthClient,
    oauth.None(),
    tokens.refresh_token!,
    sandbox.options,
  );
  assert.deepEqual(await tokenError(oauth.processRefreshTokenResponse(sandbox.as, oauthClient, reuse)), {
    error: 'invalid_grant',
    status: 400,
  });
  const afterReuse = await oauth.refreshTokenGrantRequest(
    sandbox.as,
    oauthClient,
    oauth.None(),
    first.refresh_token,
    sandbox.options,
  );
  assert.deepEqual(await tokenError(oauth.processRefreshTokenResponse(sandbox.as, oauthClient, afterReuse)), {
    error: 'invalid_grant',
    status: 400,
  });
  const api = await sandbox.fetch(`${sandbox.issuer}/api/calendar/events`, {
    headers: {authorization: `Bearer ${first.access_token}`},
  });
  assert.equal(api.status, 401, 'access tokens of the family are revoked too');
});

test('RFC 9700 §4.14.2: a refresh token expires after a day unused, and each rotation starts a new day', async () => {
  const sandbox = await createTestSandbox();
  const {tokens, oauthClient} = await loginWithPkce(sandbox);
  const refresh = async (refreshToken: string) => {
    const {as, options} = sandbox;
    const response = await oauth.refreshTokenGrantRequest(as, oauthClient, oauth.None(), refreshToken, options);
    return oauth.processRefreshTokenResponse(sandbox.as, oauthClient, response);
  };
  sandbox.advance(12 * 60 * 60);
  const first = await refresh(tokens.refresh_token!);
  sandbox.advance(23 * 60 * 60);
  const second = await refresh(first.refresh_token!);
  assert.ok(second.refresh_token, 'in use, the family outlives a day after sign-in');
  sandbox.advance(24 * 60 * 60 + 1);
  assert.deepEqual(await tokenError(refresh(second.refresh_token)), {error: 'invalid_grant', status: 400});
});

test('RFC 6749 §6: refresh may narrow the scope but never widen it', async () => {
  const sandbox = await createTestSandbox();
  const {tokens, oauthClient} = await loginWithPkce(sandbox);
  const narrowed = await oauth.processRefreshTokenResponse(
    sandbox.as,
    oauthClient,
    await oauth.refreshTokenGrantRequest(sandbox.as, oauthClient, oauth.None(), tokens.refresh_token!, {
      ...sandbox.options,
      additionalParameters: {scope: 'calendar:read'},
    }),
  );
  assert.equal(narrowed.scope, 'calendar:read');
  const widened = await oauth.refreshTokenGrantRequest(sandbox.as, oauthClient, oauth.None(), narrowed.refresh_token!, {
    ...sandbox.options,
    additionalParameters: {scope: 'calendar:read calendar:write'},
  });
  assert.deepEqual(await tokenError(oauth.processRefreshTokenResponse(sandbox.as, oauthClient, widened)), {
    error: 'invalid_scope',
    status: 400,
  });
});

test('OIDC Core §11: no offline_access, no refresh token', async () => {
  const sandbox = await createTestSandbox();
  const {tokens} = await loginWithPkce(sandbox, {scope: 'openid calendar:read'});
  assert.equal(tokens.refresh_token, undefined);
});

test('RFC 6749 §6 / RFC 9700 §4.14.2: a refused refresh request (invalid_scope) does not use up the refresh token', async () => {
  const sandbox = await createTestSandbox();
  const {tokens, oauthClient} = await loginWithPkce(sandbox);
  const widened = await oauth.refreshTokenGrantRequest(sandbox.as, oauthClient, oauth.None(), tokens.refresh_token!, {
    ...sandbox.options,
    additionalParameters: {scope: 'calendar:write'},
  });
  assert.deepEqual(await tokenError(oauth.processRefreshTokenResponse(sandbox.as, oauthClient, widened)), {
    error: 'invalid_scope',
    status: 400,
  });
  // No new refresh token was issued, so the same one still works: this is not reuse.
  const retry = await oauth.refreshTokenGrantRequest(
    sandbox.as,
    oauthClient,
    oauth.None(),
    tokens.refresh_token!,
    sandbox.options,
  );
  const refreshed = await oauth.processRefreshTokenResponse(sandbox.as, oauthClient, retry);
  assert.ok(refreshed.refresh_token);
});

test('RFC 6749 §6: another client presenting a refresh token gets invalid_grant and does not use it up', async () => {
  const sandbox = await createTestSandbox();
  const {tokens, oauthClient} = await loginWithPkce(sandbox);
  const native: oauth.Client = {client_id: 'native-app'};
  const stolen = await oauth.refreshTokenGrantRequest(
    sandbox.as,
    native,
    oauth.None(),
    tokens.refresh_token!,
    sandbox.options,
  );
  assert.deepEqual(await tokenError(oauth.processRefreshTokenResponse(sandbox.as, native, stolen)), {
    error: 'invalid_grant',
    status: 400,
  });
  const own = await oauth.refreshTokenGrantRequest(
    sandbox.as,
    oauthClient,
    oauth.None(),
    tokens.refresh_token!,
    sandbox.options,
  );
  assert.ok((await oauth.processRefreshTokenResponse(sandbox.as, oauthClient, own)).refresh_token);
});

test('RFC 6749 §3.3 / §5.1: a grant with no scope at all answers without an empty "scope" member', async () => {
  const sandbox = await createTestSandbox();
  const {authorizeWithPkce} = await import('../test-fixture');
  // For the calendar API, so that its resource server may introspect the token (RFC 7662 §4).
  const flow = await authorizeWithPkce(sandbox, {scope: '', audience: `${sandbox.issuer}/api/calendar`});
  const client: oauth.Client = {client_id: 'spa'};
  const params = oauth.validateAuthResponse(sandbox.as, client, flow.outcome.callbackUrl!, flow.state);
  const response = await oauth.authorizationCodeGrantRequest(
    sandbox.as,
    client,
    oauth.None(),
    params,
    flow.redirectUri,
    flow.codeVerifier,
    sandbox.options,
  );
  const body = (await response.json()) as Record<string, unknown>;
  assert.equal(response.status, 200);
  // scope = scope-token *( SP scope-token ): an empty string is not a scope value.
  assert.equal('scope' in body, false);
  const introspection = await sandbox.fetch(`${sandbox.issuer}/introspect`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${btoa('calendar-api:calendar-api-secret-71d0b4')}`,
    },
    body: new URLSearchParams({token: body.access_token as string}),
  });
  const description = (await introspection.json()) as Record<string, unknown>;
  assert.equal(description.active, true);
  assert.equal('scope' in description, false, 'RFC 7662 §2.2');
});

test('RFC 8707 §2.2: a token request naming a resource the grant does not cover is invalid_target', async () => {
  const sandbox = await createTestSandbox();
  const {authorizeWithPkce} = await import('../test-fixture');
  const contacts = {resource: `${sandbox.issuer}/api/contacts`};
  const flow = await authorizeWithPkce(sandbox);
  const client: oauth.Client = {client_id: 'spa'};
  const params = oauth.validateAuthResponse(sandbox.as, client, flow.outcome.callbackUrl!, flow.state);
  const exchange = await oauth.authorizationCodeGrantRequest(
    sandbox.as,
    client,
    oauth.None(),
    params,
    flow.redirectUri,
    flow.codeVerifier,
    {
      ...sandbox.options,
      additionalParameters: contacts,
    },
  );
  assert.deepEqual(await tokenError(oauth.processAuthorizationCodeResponse(sandbox.as, client, exchange)), {
    error: 'invalid_target',
    status: 400,
  });

  const {tokens, oauthClient} = await loginWithPkce(sandbox);
  const refresh = await oauth.refreshTokenGrantRequest(sandbox.as, oauthClient, oauth.None(), tokens.refresh_token!, {
    ...sandbox.options,
    additionalParameters: contacts,
  });
  assert.deepEqual(await tokenError(oauth.processRefreshTokenResponse(sandbox.as, oauthClient, refresh)), {
    error: 'invalid_target',
    status: 400,
  });
  // Naming the audience the grant has is fine.
  const same = await oauth.refreshTokenGrantRequest(sandbox.as, oauthClient, oauth.None(), tokens.refresh_token!, {
    ...sandbox.options,
    additionalParameters: {resource: `${sandbox.issuer}/api/calendar`},
  });
  assert.ok((await oauth.processRefreshTokenResponse(sandbox.as, oauthClient, same)).access_token);
});
