import assert from 'node:assert/strict';
import {test} from 'node:test';
import {decodeJwt} from 'jose';
import * as oauth from 'oauth4webapi';
import {clientAuthFor, createTestSandbox, loginWithPkce} from '../test-fixture';

import {bearer, m2mToken} from './api-test-helpers';

test("Calendar API: a user token with calendar:read gets that user's events, naming the caller", async () => {
  const sandbox = await createTestSandbox();
  const {tokens} = await loginWithPkce(sandbox);
  const response = await oauth.protectedResourceRequest(
    tokens.access_token,
    'GET',
    new URL(`${sandbox.issuer}/api/calendar/events`),
    undefined,
    undefined,
    sandbox.options,
  );
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
  assert.equal(
    response.headers.get('www-authenticate'),
    'Bearer realm="calendar", error="insufficient_scope", error_description="this request needs the calendar:write scope", scope="calendar:write"',
  );
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
  const list = (await (
    await sandbox.fetch(`${sandbox.issuer}/api/calendar/events`, {headers: bearer(token)})
  ).json()) as {events: {title: string}[]};
  assert.ok(list.events.some((event) => event.title === 'Standup'));
  for (const body of [
    '{',
    '[]',
    JSON.stringify({title: '', start: 'x'}),
    JSON.stringify({title: 'ok', start: 'yesterday'}),
    JSON.stringify({title: 'ok', start: '2030-02-30T09:00:00Z'}),
  ]) {
    const bad = await sandbox.fetch(`${sandbox.issuer}/api/calendar/events`, {
      method: 'POST',
      headers: {...bearer(token), 'content-type': 'application/json'},
      body,
    });
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
    await oauth.genericTokenEndpointRequest(
      sandbox.as,
      {client_id: trusted.client_id},
      clientAuthFor(trusted),
      'password',
      {username: 'alice', password: 'wonderland-42', scope: 'profile'},
      sandbox.options,
    ),
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
  const {tokens, oauthClient} = await loginWithPkce(sandbox, {
    scope: 'openid profile offline_access calendar:read',
    audience: calendar,
  });
  assert.deepEqual(decodeJwt(tokens.access_token).aud, [calendar, userinfo]);
  const claims = await oauth.processUserInfoResponse(
    sandbox.as,
    oauthClient,
    'user-alice',
    await oauth.userInfoRequest(sandbox.as, oauthClient, tokens.access_token, sandbox.options),
  );
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
    await oauth.genericTokenEndpointRequest(
      sandbox.as,
      {client_id: trusted.client_id},
      clientAuthFor(trusted),
      'password',
      {username: 'alice', password: 'wonderland-42', scope: 'openid calendar:read', resource: calendar},
      sandbox.options,
    ),
  );
  assert.deepEqual(decodeJwt(password.access_token).aud, [calendar, userinfo]);
  assert.equal((await sandbox.fetch(userinfo, {headers: bearer(password.access_token)})).status, 200);

  // Without openid the token is for the API alone, and UserInfo refuses it.
  const refreshed = await oauth.processRefreshTokenResponse(
    sandbox.as,
    oauthClient,
    await oauth.refreshTokenGrantRequest(sandbox.as, oauthClient, oauth.None(), tokens.refresh_token!, {
      ...sandbox.options,
      additionalParameters: {scope: 'calendar:read'},
    }),
  );
  assert.equal(decodeJwt(refreshed.access_token).aud, calendar);
  assert.equal((await sandbox.fetch(userinfo, {headers: bearer(refreshed.access_token)})).status, 401);
  assert.equal((await sandbox.fetch(`${calendar}/events`, {headers: bearer(refreshed.access_token)})).status, 200);
});

test('RFC 6749 §5.2: the resource server credential may not get tokens (unauthorized_client)', async () => {
  const sandbox = await createTestSandbox();
  const rs = sandbox.client('calendar-api');
  const response = await oauth.clientCredentialsGrantRequest(
    sandbox.as,
    {client_id: rs.client_id},
    clientAuthFor(rs),
    {},
    sandbox.options,
  );
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

test("Each API's base URL lists its operations from the catalog; each listed operation answers with its scope", async () => {
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
      assert.ok(
        api.scopes.some((scope) => scope.value === operation.scope),
        `${operation.scope} is one of ${api.id}'s scopes`,
      );
      // RFC 6750 §3.1: without a token, the operation asks for one; with the scope, it answers.
      const anonymous = await sandbox.fetch(operation.url, {method: operation.method});
      assert.equal(anonymous.status, 401, `${operation.method} ${operation.url} without a token`);
      assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Bearer /);
      const token = await m2mToken(sandbox, api.identifier, operation.scope);
      const init: RequestInit =
        operation.method === 'POST'
          ? {
              method: 'POST',
              headers: {...bearer(token), 'content-type': 'application/json'},
              body: JSON.stringify({title: 'Listed', start: '2030-01-01T10:00:00Z'}),
            }
          : {headers: bearer(token)};
      const answered = await sandbox.fetch(operation.url, init);
      assert.ok(
        answered.status === 200 || answered.status === 201,
        `${operation.method} ${operation.url} with ${operation.scope}: ${answered.status}`,
      );
    }
  }
});
