// RFC 7009 revocation and RFC 7662 introspection, as the demo APIs see them.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import * as oauth from 'oauth4webapi';
import {clientAuthFor, createTestSandbox, loginWithPkce} from '../test-fixture';
import {bearer, m2mToken} from './api-test-helpers';

test('RFC 7009 §2: revoking an access token makes the APIs refuse it', async () => {
  const sandbox = await createTestSandbox();
  const m2m = sandbox.client('m2m-cron');
  const token = await m2mToken(sandbox, `${sandbox.issuer}/api/calendar`, 'calendar:read');
  const response = await oauth.revocationRequest(
    sandbox.as,
    {client_id: m2m.client_id},
    clientAuthFor(m2m),
    token,
    sandbox.options,
  );
  await oauth.processRevocationResponse(response);
  assert.equal((await sandbox.fetch(`${sandbox.issuer}/api/calendar/events`, {headers: bearer(token)})).status, 401);
});

test('RFC 7009 §2.1: revoking a refresh token revokes it and the access tokens of its grant', async () => {
  const sandbox = await createTestSandbox();
  const {tokens, oauthClient} = await loginWithPkce(sandbox);
  await oauth.processRevocationResponse(
    await oauth.revocationRequest(sandbox.as, oauthClient, oauth.None(), tokens.refresh_token!, sandbox.options),
  );
  const refresh = await oauth.refreshTokenGrantRequest(
    sandbox.as,
    oauthClient,
    oauth.None(),
    tokens.refresh_token!,
    sandbox.options,
  );
  await assert.rejects(oauth.processRefreshTokenResponse(sandbox.as, oauthClient, refresh), {error: 'invalid_grant'});
  assert.equal(
    (await sandbox.fetch(`${sandbox.issuer}/api/calendar/events`, {headers: bearer(tokens.access_token)})).status,
    401,
  );
});

test('RFC 7009 §2.2: an unknown token gets 200', async () => {
  const sandbox = await createTestSandbox();
  const m2m = sandbox.client('m2m-cron');
  const unknown = await oauth.revocationRequest(
    sandbox.as,
    {client_id: m2m.client_id},
    clientAuthFor(m2m),
    'no-such-token',
    sandbox.options,
  );
  assert.equal(unknown.status, 200);
});

test("RFC 7009 §2.1: a client revoking another client's token is refused with invalid_request, and the token still works", async () => {
  const sandbox = await createTestSandbox();
  const m2m = sandbox.client('m2m-cron');
  const {tokens} = await loginWithPkce(sandbox);
  for (const token of [tokens.access_token, tokens.refresh_token!]) {
    const foreign = await oauth.revocationRequest(
      sandbox.as,
      {client_id: m2m.client_id},
      clientAuthFor(m2m),
      token,
      sandbox.options,
    );
    assert.equal(foreign.status, 400);
    assert.equal(((await foreign.json()) as {error: string}).error, 'invalid_request');
  }
  assert.equal(
    (await sandbox.fetch(`${sandbox.issuer}/api/calendar/events`, {headers: bearer(tokens.access_token)})).status,
    200,
  );
});

test("RFC 7009 §2.1: a public client (which proves no identity) gets the unknown token's 200 for another client's token, and nothing is revoked", async () => {
  const sandbox = await createTestSandbox();
  const {tokens} = await loginWithPkce(sandbox);
  const native = {client_id: sandbox.client('native-app').client_id};
  for (const token of [tokens.access_token, tokens.refresh_token!]) {
    assert.equal((await oauth.revocationRequest(sandbox.as, native, oauth.None(), token, sandbox.options)).status, 200);
  }
  assert.equal(
    (await sandbox.fetch(`${sandbox.issuer}/api/calendar/events`, {headers: bearer(tokens.access_token)})).status,
    200,
  );
});

test('RFC 7662 §2.2: introspection describes active tokens and says active:false for anything else', async () => {
  const sandbox = await createTestSandbox();
  // RFC 7662 §2.1: the protected resource asks, with its own credential.
  const rs = sandbox.client('calendar-api');
  const rsClient: oauth.Client = {client_id: rs.client_id};
  const introspect = async (token: string) =>
    oauth.processIntrospectionResponse(
      sandbox.as,
      rsClient,
      await oauth.introspectionRequest(sandbox.as, rsClient, clientAuthFor(rs), token, sandbox.options),
    );
  const {tokens, oauthClient} = await loginWithPkce(sandbox);
  const access = await introspect(tokens.access_token);
  assert.equal(access.active, true);
  assert.equal(access.client_id, 'spa');
  assert.equal(access.username, 'alice');
  assert.equal(access.sub, 'user-alice');
  // The token from an OpenID request is for the API and UserInfo (OIDC Core §5.3).
  assert.deepEqual(access.aud, [`${sandbox.issuer}/api/calendar`, `${sandbox.issuer}/userinfo`]);
  assert.equal(access.iss, sandbox.issuer);
  assert.equal(access.token_type, 'Bearer');
  assert.ok(access.exp && access.iat);
  const refresh = await introspect(tokens.refresh_token!);
  assert.equal(refresh.active, true);
  assert.equal(refresh.token_type, undefined, 'RFC 7662 §2.2: token_type names access token types only');
  assert.deepEqual(await introspect('garbage'), {active: false});
  await oauth.processRevocationResponse(
    await oauth.revocationRequest(sandbox.as, oauthClient, oauth.None(), tokens.refresh_token!, sandbox.options),
  );
  assert.deepEqual(await introspect(tokens.access_token), {active: false}, 'revoked');
  assert.deepEqual(await introspect(tokens.refresh_token!), {active: false}, 'revoked');
});

test('RFC 7662 §2.1: the calendar API introspects with its own credential; a revoked access token is active:false', async () => {
  const sandbox = await createTestSandbox();
  const api = sandbox.catalog.apis.find((candidate) => candidate.id === 'calendar')!;
  const rs = sandbox.client(api.introspection_client_id!);
  assert.equal(rs.guide_case, 'resource-server');
  assert.deepEqual(rs.grant_types, [], 'a resource server asks about tokens and gets none');
  const basicAuth = `Basic ${btoa(`${rs.client_id}:${rs.client_secret}`)}`;
  const introspect = async (token: string) => {
    const response = await sandbox.fetch(`${sandbox.issuer}/introspect`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        authorization: basicAuth,
      },
      body: new URLSearchParams({token, token_type_hint: 'access_token'}).toString(),
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    return (await response.json()) as Record<string, unknown>;
  };
  const {tokens, oauthClient} = await loginWithPkce(sandbox);
  assert.equal((await introspect(tokens.access_token)).active, true);
  await oauth.processRevocationResponse(
    await oauth.revocationRequest(sandbox.as, oauthClient, oauth.None(), tokens.access_token, sandbox.options),
  );
  // RFC 7662 §2.2: a revoked token is just inactive, with no other member.
  assert.deepEqual(await introspect(tokens.access_token), {active: false});
});

test('RFC 7662 §4: a caller may introspect its own tokens, and a resource server those for its API; anything else is active:false', async () => {
  const sandbox = await createTestSandbox();
  const introspectAs = (clientId: string) => async (token: string) => {
    const caller = sandbox.client(clientId);
    const client: oauth.Client = {client_id: caller.client_id};
    return oauth.processIntrospectionResponse(
      sandbox.as,
      client,
      await oauth.introspectionRequest(sandbox.as, client, clientAuthFor(caller), token, sandbox.options),
    );
  };
  const calendarApi = introspectAs('calendar-api');
  const cron = introspectAs('m2m-cron');
  const consoleApp = introspectAs('trusted-first-party');

  // The SPA's calendar token and refresh token: the calendar API may ask, another confidential client may not.
  const {tokens} = await loginWithPkce(sandbox);
  assert.equal((await calendarApi(tokens.access_token)).active, true);
  assert.equal((await calendarApi(tokens.refresh_token!)).active, true);
  assert.deepEqual(await cron(tokens.access_token), {active: false});
  assert.deepEqual(await cron(tokens.refresh_token!), {active: false});

  // The cron job's own token for the contacts API: the job may ask; the calendar API may not, it is not for it.
  const contactsToken = await m2mToken(sandbox, `${sandbox.issuer}/api/contacts`, 'contacts:read');
  assert.equal((await cron(contactsToken)).active, true);
  assert.deepEqual(await calendarApi(contactsToken), {active: false});
  assert.deepEqual(await consoleApp(contactsToken), {active: false});

  // A client's own password-grant tokens, access and refresh.
  const trusted = sandbox.client('trusted-first-party');
  const own = await oauth.processGenericTokenEndpointResponse(
    sandbox.as,
    {client_id: trusted.client_id},
    await oauth.genericTokenEndpointRequest(
      sandbox.as,
      {client_id: trusted.client_id},
      clientAuthFor(trusted),
      'password',
      {username: 'bob', password: 'builder-7', scope: 'openid offline_access'},
      sandbox.options,
    ),
  );
  assert.equal((await consoleApp(own.access_token)).active, true);
  assert.equal((await consoleApp(own.refresh_token!)).active, true);
  assert.deepEqual(await cron(own.refresh_token!), {active: false});
  assert.deepEqual(await calendarApi(own.access_token), {active: false}, "a token for UserInfo only is no API's");
});
