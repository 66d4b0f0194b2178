import assert from 'node:assert/strict';
import {test} from 'node:test';
import {decodeJwt} from 'jose';
import * as oauth from 'oauth4webapi';
import {clientAuthFor, createTestSandbox, loginWithPkce, type TestSandbox} from '../test-fixture';

async function m2mToken(sandbox: TestSandbox, audience: string, scope: string): Promise<string> {
  const m2m = sandbox.client('m2m-cron');
  const response = await oauth.clientCredentialsGrantRequest(sandbox.as, {client_id: m2m.client_id}, clientAuthFor(m2m), {audience, scope}, sandbox.options);
  return (await oauth.processClientCredentialsResponse(sandbox.as, {client_id: m2m.client_id}, response)).access_token;
}

const bearer = (token: string) => ({authorization: `Bearer ${token}`});

test('Calendar API: a user token with calendar:read gets that user\'s events, naming the caller', async () => {
  const sandbox = await createTestSandbox();
  const {tokens} = await loginWithPkce(sandbox);
  const response = await oauth.protectedResourceRequest(tokens.access_token, 'GET', new URL(`${sandbox.issuer}/api/calendar/events`), undefined, undefined, sandbox.options);
  assert.equal(response.status, 200);
  const body = (await response.json()) as {caller: {sub: string; client_id: string}; events: {title: string}[]};
  assert.deepEqual(body.caller, {sub: 'user-alice', client_id: 'spa'});
  assert.ok(body.events.some((event) => event.title === 'Mad tea party'));
});

test('Contacts API: a client_credentials token with contacts:read gets 200', async () => {
  const sandbox = await createTestSandbox();
  const token = await m2mToken(sandbox, `${sandbox.issuer}/api/contacts`, 'contacts:read');
  const response = await sandbox.fetch(`${sandbox.issuer}/api/contacts/people`, {headers: bearer(token)});
  assert.equal(response.status, 200);
  const body = (await response.json()) as {caller: {sub: string}; people: unknown[]};
  assert.equal(body.caller.sub, 'm2m-cron');
  assert.ok(body.people.length > 0);
});

test('RFC 6750 §3.1: a request without a token gets 401 and only the challenge', async () => {
  const sandbox = await createTestSandbox();
  const response = await sandbox.fetch(`${sandbox.issuer}/api/calendar/events`);
  assert.equal(response.status, 401);
  assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="calendar"');
});

test('RFC 6750 §3.1: a malformed, forged or expired token is 401 invalid_token', async () => {
  const sandbox = await createTestSandbox();
  const token = await m2mToken(sandbox, `${sandbox.issuer}/api/calendar`, 'calendar:read');
  const [header, payload] = token.split('.');
  const forged = `${header}.${payload}.${'A'.repeat(342)}`;
  for (const candidate of ['not-a-jwt', forged]) {
    const response = await sandbox.fetch(`${sandbox.issuer}/api/calendar/events`, {headers: bearer(candidate)});
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate')!, /^Bearer realm="calendar", error="invalid_token"/);
    assert.equal(((await response.json()) as {error: string}).error, 'invalid_token');
  }
  sandbox.advance(601);
  const expired = await sandbox.fetch(`${sandbox.issuer}/api/calendar/events`, {headers: bearer(token)});
  assert.equal(expired.status, 401);
  assert.match(expired.headers.get('www-authenticate')!, /error="invalid_token"/);
});

test('RFC 9068 §4: a token for another audience is 401 invalid_token', async () => {
  const sandbox = await createTestSandbox();
  const contactsToken = await m2mToken(sandbox, `${sandbox.issuer}/api/contacts`, 'contacts:read');
  const response = await sandbox.fetch(`${sandbox.issuer}/api/calendar/events`, {headers: bearer(contactsToken)});
  assert.equal(response.status, 401);
  assert.match(response.headers.get('www-authenticate')!, /error="invalid_token"/);
});

test('RFC 9068 §4: an ID token (typ JWT, not at+jwt) is refused as an access token', async () => {
  const sandbox = await createTestSandbox();
  const {tokens} = await loginWithPkce(sandbox);
  const response = await sandbox.fetch(`${sandbox.issuer}/userinfo`, {headers: bearer(tokens.id_token!)});
  assert.equal(response.status, 401);
});

test('RFC 6750 §3.1: a token without the needed scope is 403 insufficient_scope naming the scope', async () => {
  const sandbox = await createTestSandbox();
  const token = await m2mToken(sandbox, `${sandbox.issuer}/api/calendar`, 'calendar:read');
  const response = await sandbox.fetch(`${sandbox.issuer}/api/calendar/events`, {
    method: 'POST',
    headers: {...bearer(token), 'content-type': 'application/json'},
    body: JSON.stringify({title: 'Standup', start: '2030-01-01T09:00:00Z'}),
  });
  assert.equal(response.status, 403);
  assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="calendar", error="insufficient_scope", error_description="this request needs the calendar:write scope", scope="calendar:write"');
});

test('Calendar API: POST /events with calendar:write adds an event that GET then lists', async () => {
  const sandbox = await createTestSandbox();
  const token = await m2mToken(sandbox, `${sandbox.issuer}/api/calendar`, 'calendar:read calendar:write');
  const created = await sandbox.fetch(`${sandbox.issuer}/api/calendar/events`, {
    method: 'POST',
    headers: {...bearer(token), 'content-type': 'application/json'},
    body: JSON.stringify({title: 'Standup', start: '2030-01-01T09:00:00Z'}),
  });
  assert.equal(created.status, 201);
  const list = (await (await sandbox.fetch(`${sandbox.issuer}/api/calendar/events`, {headers: bearer(token)})).json()) as {events: {title: string}[]};
  assert.ok(list.events.some((event) => event.title === 'Standup'));
  for (const body of ['{', '[]', JSON.stringify({title: '', start: 'x'}), JSON.stringify({title: 'ok', start: 'yesterday'}), JSON.stringify({title: 'ok', start: '2030-02-30T09:00:00Z'})]) {
    const bad = await sandbox.fetch(`${sandbox.issuer}/api/calendar/events`, {method: 'POST', headers: {...bearer(token), 'content-type': 'application/json'}, body});
    assert.equal(bad.status, 400, body);
    assert.equal(((await bad.json()) as {error: string}).error, 'invalid_request');
  }
});

test('OIDC Core §5.3: userinfo returns claims per scope, by GET or POST', async () => {
  const sandbox = await createTestSandbox();
  const {tokens, oauthClient} = await loginWithPkce(sandbox, {scope: 'openid profile email', audience: ''});
  const response = await oauth.userInfoRequest(sandbox.as, oauthClient, tokens.access_token, sandbox.options);
  const claims = await oauth.processUserInfoResponse(sandbox.as, oauthClient, 'user-alice', response);
  assert.equal(claims.name, 'Alice Liddell');
  assert.equal(claims.email, 'alice@example.com');
  const posted = await sandbox.fetch(`${sandbox.issuer}/userinfo`, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded'},
    body: `access_token=${tokens.access_token}`,
  });
  assert.equal(posted.status, 200);
});

test('OIDC Core §5.3: userinfo needs the openid scope (403 insufficient_scope) and a userinfo-audience token', async () => {
  const sandbox = await createTestSandbox();
  const trusted = sandbox.client('trusted-first-party');
  const noOpenid = await oauth.processGenericTokenEndpointResponse(
    sandbox.as,
    {client_id: trusted.client_id},
    await oauth.genericTokenEndpointRequest(sandbox.as, {client_id: trusted.client_id}, clientAuthFor(trusted), 'password', {username: 'alice', password: 'wonderland-42', scope: 'profile'}, sandbox.options),
  );
  const response = await sandbox.fetch(`${sandbox.issuer}/userinfo`, {headers: bearer(noOpenid.access_token)});
  assert.equal(response.status, 403);
  assert.match(response.headers.get('www-authenticate')!, /error="insufficient_scope".*scope="openid"/);
  const apiToken = await m2mToken(sandbox, `${sandbox.issuer}/api/calendar`, 'calendar:read');
  assert.equal((await sandbox.fetch(`${sandbox.issuer}/userinfo`, {headers: bearer(apiToken)})).status, 401);
});

test('OIDC Core §5.3: an access token for an API from an OpenID request works at UserInfo too; the API accepts it, the other API does not (RFC 9068 §4)', async () => {
  const sandbox = await createTestSandbox();
  const calendar = `${sandbox.issuer}/api/calendar`;
  const userinfo = `${sandbox.issuer}/userinfo`;
  const {tokens, oauthClient} = await loginWithPkce(sandbox, {scope: 'openid profile offline_access calendar:read', audience: calendar});
  assert.deepEqual(decodeJwt(tokens.access_token).aud, [calendar, userinfo]);
  const claims = await oauth.processUserInfoResponse(sandbox.as, oauthClient, 'user-alice', await oauth.userInfoRequest(sandbox.as, oauthClient, tokens.access_token, sandbox.options));
  assert.equal(claims.name, 'Alice Liddell');
  assert.equal((await sandbox.fetch(`${calendar}/events`, {headers: bearer(tokens.access_token)})).status, 200);
  const contacts = await sandbox.fetch(`${sandbox.issuer}/api/contacts/people`, {headers: bearer(tokens.access_token)});
  assert.equal(contacts.status, 401);
  assert.match(contacts.headers.get('www-authenticate')!, /error="invalid_token"/);

  // The password grant, with `resource` and openid: the same two audiences.
  const trusted = sandbox.client('trusted-first-party');
  const password = await oauth.processGenericTokenEndpointResponse(
    sandbox.as,
    {client_id: trusted.client_id},
    await oauth.genericTokenEndpointRequest(sandbox.as, {client_id: trusted.client_id}, clientAuthFor(trusted), 'password', {username: 'alice', password: 'wonderland-42', scope: 'openid calendar:read', resource: calendar}, sandbox.options),
  );
  assert.deepEqual(decodeJwt(password.access_token).aud, [calendar, userinfo]);
  assert.equal((await sandbox.fetch(userinfo, {headers: bearer(password.access_token)})).status, 200);

  // Without openid the token is for the API alone, and UserInfo refuses it.
  const refreshed = await oauth.processRefreshTokenResponse(
    sandbox.as,
    oauthClient,
    await oauth.refreshTokenGrantRequest(sandbox.as, oauthClient, oauth.None(), tokens.refresh_token!, {...sandbox.options, additionalParameters: {scope: 'calendar:read'}}),
  );
  assert.equal(decodeJwt(refreshed.access_token).aud, calendar);
  assert.equal((await sandbox.fetch(userinfo, {headers: bearer(refreshed.access_token)})).status, 401);
  assert.equal((await sandbox.fetch(`${calendar}/events`, {headers: bearer(refreshed.access_token)})).status, 200);
});

test('RFC 7009 §2: revoking an access token makes the APIs refuse it', async () => {
  const sandbox = await createTestSandbox();
  const m2m = sandbox.client('m2m-cron');
  const token = await m2mToken(sandbox, `${sandbox.issuer}/api/calendar`, 'calendar:read');
  const response = await oauth.revocationRequest(sandbox.as, {client_id: m2m.client_id}, clientAuthFor(m2m), token, sandbox.options);
  await oauth.processRevocationResponse(response);
  assert.equal((await sandbox.fetch(`${sandbox.issuer}/api/calendar/events`, {headers: bearer(token)})).status, 401);
});

test('RFC 7009 §2.1: revoking a refresh token revokes it and the access tokens of its grant', async () => {
  const sandbox = await createTestSandbox();
  const {tokens, oauthClient} = await loginWithPkce(sandbox);
  await oauth.processRevocationResponse(await oauth.revocationRequest(sandbox.as, oauthClient, oauth.None(), tokens.refresh_token!, sandbox.options));
  const refresh = await oauth.refreshTokenGrantRequest(sandbox.as, oauthClient, oauth.None(), tokens.refresh_token!, sandbox.options);
  await assert.rejects(oauth.processRefreshTokenResponse(sandbox.as, oauthClient, refresh), {error: 'invalid_grant'});
  assert.equal((await sandbox.fetch(`${sandbox.issuer}/api/calendar/events`, {headers: bearer(tokens.access_token)})).status, 401);
});

test('RFC 7009 §2.2: an unknown token gets 200', async () => {
  const sandbox = await createTestSandbox();
  const m2m = sandbox.client('m2m-cron');
  const unknown = await oauth.revocationRequest(sandbox.as, {client_id: m2m.client_id}, clientAuthFor(m2m), 'no-such-token', sandbox.options);
  assert.equal(unknown.status, 200);
});

test('RFC 7009 §2.1: a client revoking another client\'s token is refused with invalid_request, and the token still works', async () => {
  const sandbox = await createTestSandbox();
  const m2m = sandbox.client('m2m-cron');
  const {tokens} = await loginWithPkce(sandbox);
  for (const token of [tokens.access_token, tokens.refresh_token!]) {
    const foreign = await oauth.revocationRequest(sandbox.as, {client_id: m2m.client_id}, clientAuthFor(m2m), token, sandbox.options);
    assert.equal(foreign.status, 400);
    assert.equal(((await foreign.json()) as {error: string}).error, 'invalid_request');
  }
  assert.equal((await sandbox.fetch(`${sandbox.issuer}/api/calendar/events`, {headers: bearer(tokens.access_token)})).status, 200);
});

test('RFC 7009 §2.1: a public client (which proves no identity) gets the unknown token\'s 200 for another client\'s token, and nothing is revoked', async () => {
  const sandbox = await createTestSandbox();
  const {tokens} = await loginWithPkce(sandbox);
  const native = {client_id: sandbox.client('native-app').client_id};
  for (const token of [tokens.access_token, tokens.refresh_token!]) {
    assert.equal((await oauth.revocationRequest(sandbox.as, native, oauth.None(), token, sandbox.options)).status, 200);
  }
  assert.equal((await sandbox.fetch(`${sandbox.issuer}/api/calendar/events`, {headers: bearer(tokens.access_token)})).status, 200);
});

test('RFC 7662 §2.2: introspection describes active tokens and says active:false for anything else', async () => {
  const sandbox = await createTestSandbox();
  // RFC 7662 §2.1: the protected resource asks, with its own credential.
  const rs = sandbox.client('calendar-api');
  const rsClient: oauth.Client = {client_id: rs.client_id};
  const introspect = async (token: string) =>
    oauth.processIntrospectionResponse(sandbox.as, rsClient, await oauth.introspectionRequest(sandbox.as, rsClient, clientAuthFor(rs), token, sandbox.options));
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
  await oauth.processRevocationResponse(await oauth.revocationRequest(sandbox.as, oauthClient, oauth.None(), tokens.refresh_token!, sandbox.options));
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
      headers: {'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization: basicAuth},
      body: new URLSearchParams({token, token_type_hint: 'access_token'}).toString(),
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    return (await response.json()) as Record<string, unknown>;
  };
  const {tokens, oauthClient} = await loginWithPkce(sandbox);
  assert.equal((await introspect(tokens.access_token)).active, true);
  await oauth.processRevocationResponse(await oauth.revocationRequest(sandbox.as, oauthClient, oauth.None(), tokens.access_token, sandbox.options));
  // RFC 7662 §2.2: a revoked token is just inactive, with no other member.
  assert.deepEqual(await introspect(tokens.access_token), {active: false});
});

test('RFC 7662 §4: a caller may introspect its own tokens, and a resource server those for its API; anything else is active:false', async () => {
  const sandbox = await createTestSandbox();
  const introspectAs = (clientId: string) => async (token: string) => {
    const caller = sandbox.client(clientId);
    const client: oauth.Client = {client_id: caller.client_id};
    return oauth.processIntrospectionResponse(sandbox.as, client, await oauth.introspectionRequest(sandbox.as, client, clientAuthFor(caller), token, sandbox.options));
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
    await oauth.genericTokenEndpointRequest(sandbox.as, {client_id: trusted.client_id}, clientAuthFor(trusted), 'password', {username: 'bob', password: 'builder-7', scope: 'openid offline_access'}, sandbox.options),
  );
  assert.equal((await consoleApp(own.access_token)).active, true);
  assert.equal((await consoleApp(own.refresh_token!)).active, true);
  assert.deepEqual(await cron(own.refresh_token!), {active: false});
  assert.deepEqual(await calendarApi(own.access_token), {active: false}, 'a token for UserInfo only is no API\'s');
});

test('RFC 6749 §5.2: the resource server credential may not get tokens (unauthorized_client)', async () => {
  const sandbox = await createTestSandbox();
  const rs = sandbox.client('calendar-api');
  const response = await oauth.clientCredentialsGrantRequest(sandbox.as, {client_id: rs.client_id}, clientAuthFor(rs), {}, sandbox.options);
  assert.equal(response.status, 400);
  assert.equal(((await response.json()) as {error: string}).error, 'unauthorized_client');
});

test('RFC 7662 §2.1: introspection requires client authentication; public clients are refused', async () => {
  const sandbox = await createTestSandbox();
  const response = await sandbox.fetch(`${sandbox.issuer}/introspect`, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded'},
    body: 'client_id=spa&token=x',
  });
  assert.equal(response.status, 401);
  assert.equal(((await response.json()) as {error: string}).error, 'invalid_client');
});

test('Each API\'s base URL lists its operations from the catalog; each listed operation answers with its scope', async () => {
  const sandbox = await createTestSandbox();
  for (const api of sandbox.catalog.apis) {
    const index = await sandbox.fetch(api.base_url);
    assert.equal(index.status, 200, `GET ${api.base_url}`);
    const body = (await index.json()) as {identifier: string; operations: typeof api.operations};
    assert.equal(body.identifier, api.identifier);
    assert.deepEqual(body.operations, api.operations);
    assert.ok(api.operations.length > 0);
    for (const operation of api.operations) {
      assert.ok(operation.url.startsWith(`${api.base_url}/`), operation.url);
      assert.ok(api.scopes.some((scope) => scope.value === operation.scope), `${operation.scope} is one of ${api.id}'s scopes`);
      // RFC 6750 §3.1: without a token, the operation asks for one; with the scope, it answers.
      const anonymous = await sandbox.fetch(operation.url, {method: operation.method});
      assert.equal(anonymous.status, 401, `${operation.method} ${operation.url} without a token`);
      assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Bearer /);
      const token = await m2mToken(sandbox, api.identifier, operation.scope);
      const init: RequestInit =
        operation.method === 'POST'
          ? {method: 'POST', headers: {...bearer(token), 'content-type': 'application/json'}, body: JSON.stringify({title: 'Listed', start: '2030-01-01T10:00:00Z'})}
          : {headers: bearer(token)};
      const answered = await sandbox.fetch(operation.url, init);
      assert.ok(answered.status === 200 || answered.status === 201, `${operation.method} ${operation.url} with ${operation.scope}: ${answered.status}`);
    }
  }
});
