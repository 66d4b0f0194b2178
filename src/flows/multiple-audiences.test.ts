import {describe, it, before} from 'node:test';
import assert from 'node:assert/strict';
import * as jose from 'jose';
import * as oauth from 'oauth4webapi';
import {
  beginAuthorizationFor,
  callApi,
  completeAuthorizationFor,
  configFor,
  discover,
  type ApiAudience,
  type AuthorizationRequest,
  type MultiApiConfig,
} from './multiple-audiences';
import {createTestSandbox, type TestSandbox} from '../sandbox/test-fixture';

/** A sandbox, the SPA's configuration for this page, and the two APIs it calls. */
async function setUp() {
  const sandbox = await createTestSandbox();
  const spa = sandbox.catalog.clients.find((client) => client.guide_case === 'single-page-app')!;
  const calendarApi = sandbox.catalog.apis.find((api) => api.id === 'calendar')!;
  const contactsApi = sandbox.catalog.apis.find((api) => api.id === 'contacts')!;
  const alice = sandbox.catalog.users.find((user) => user.username === 'alice')!;
  const config: MultiApiConfig = {
    issuer: sandbox.issuer,
    clientId: spa.client_id,
    redirectUri: spa.redirect_uris.find((uri) => uri.endsWith('/concepts/multiple-audiences'))!,
    baseScope: 'openid offline_access',
    fetch: sandbox.fetch,
  };
  const calendar: ApiAudience = {identifier: calendarApi.identifier, scope: 'calendar:read'};
  const contacts: ApiAudience = {identifier: contactsApi.identifier, scope: 'contacts:read'};
  const as = await discover(configFor(config, calendar));
  /** One authorization round for `api` in the same browser (so the sandbox session carries over). */
  async function authorize(api: ApiAudience) {
    const request = await beginAuthorizationFor(as, config, api);
    const outcome = await sandbox.browser.authorize(request.url, {username: alice.username, password: alice.password});
    if (!outcome.callbackUrl) throw new Error(`the sandbox answered ${outcome.response.status} instead of redirecting`);
    const tokens = await completeAuthorizationFor(as, config, api, outcome.callbackUrl, request);
    return {request, pages: outcome.pages, tokens};
  }
  return {sandbox, as, config, calendar, contacts, calendarApi, contactsApi, alice, authorize};
}

async function verifyAccessToken(sandbox: TestSandbox, token: string, audience: string) {
  const jwks = jose.createLocalJWKSet((await (await sandbox.fetch(sandbox.as.jwks_uri!)).json()) as jose.JSONWebKeySet);
  return jose.jwtVerify(token, jwks, {issuer: sandbox.issuer, audience, typ: 'at+jwt'});
}

describe('RFC 8707: one SPA, two APIs, two tokens', () => {
  let context: Awaited<ReturnType<typeof setUp>>;
  let first: Awaited<ReturnType<Awaited<ReturnType<typeof setUp>>['authorize']>>;
  let second: typeof first;

  before(async () => {
    context = await setUp();
    first = await context.authorize(context.calendar);
    second = await context.authorize(context.contacts);
  });

  it("§2: each authorization request names its API in resource, with that API's scopes", () => {
    const calendarParams = first.request.url.searchParams;
    assert.equal(calendarParams.get('resource'), context.calendar.identifier);
    assert.equal(calendarParams.get('scope'), 'openid offline_access calendar:read');
    const contactsParams = second.request.url.searchParams;
    assert.equal(contactsParams.get('resource'), context.contacts.identifier);
    assert.equal(contactsParams.get('scope'), 'openid offline_access contacts:read');
    assert.equal(contactsParams.has('prompt'), false);
  });

  it('each round has its own state, nonce and PKCE values', () => {
    assert.notEqual(first.request.state, second.request.state);
    assert.notEqual(first.request.nonce, second.request.nonce);
    assert.notEqual(first.request.pkce.verifier, second.request.pkce.verifier);
  });

  it('single sign-on: the first round logs in, the second only asks consent for the new scope', () => {
    assert.deepEqual(first.pages, ['login', 'consent']);
    assert.deepEqual(second.pages, ['consent']);
  });

  it('RFC 9068 §3: each access token verifies and names one API as its audience (and UserInfo, OIDC Core §5.3), for the same user', async () => {
    const calendarToken = await verifyAccessToken(
      context.sandbox,
      first.tokens.access_token,
      context.calendar.identifier,
    );
    const contactsToken = await verifyAccessToken(
      context.sandbox,
      second.tokens.access_token,
      context.contacts.identifier,
    );
    const userinfo = `${context.sandbox.issuer}/userinfo`;
    assert.deepEqual(calendarToken.payload.aud, [context.calendar.identifier, userinfo]);
    assert.deepEqual(contactsToken.payload.aud, [context.contacts.identifier, userinfo]);
    assert.equal(calendarToken.payload.sub, context.alice.sub);
    assert.equal(contactsToken.payload.sub, context.alice.sub);
    assert.doesNotMatch(String(contactsToken.payload.scope), /calendar:/);
  });

  it('RFC 6750 §2.1: each API answers 200 to its own token', async () => {
    const events = await callApi(`${context.calendarApi.base_url}/events`, first.tokens.access_token, context.config);
    assert.equal(events.ok, true);
    assert.equal(events.status, 200);
    assert.ok(Array.isArray((events.body as {events?: unknown}).events));
    const people = await callApi(`${context.contactsApi.base_url}/people`, second.tokens.access_token, context.config);
    assert.equal(people.ok, true);
    assert.ok(Array.isArray((people.body as {people?: unknown}).people));
  });

  it('RFC 6750 §3.1: the contacts API answers the calendar token with 401 invalid_token, as a result', async () => {
    const result = await callApi(`${context.contactsApi.base_url}/people`, first.tokens.access_token, context.config);
    assert.ok(!result.ok);
    assert.equal(result.status, 401);
    assert.equal(result.challenge?.scheme, 'bearer');
    assert.equal(result.challenge?.parameters.error, 'invalid_token');
    assert.equal((result.body as {error?: string}).error, 'invalid_token');
  });

  it('RFC 6750 §3.1: and the calendar API refuses the contacts token the same way', async () => {
    const result = await callApi(`${context.calendarApi.base_url}/events`, second.tokens.access_token, context.config);
    assert.ok(!result.ok);
    assert.equal(result.status, 401);
    assert.equal(result.challenge?.parameters.error, 'invalid_token');
  });
});

describe('RFC 6750 §3.1: a token for the right API without the scope needed', () => {
  it('is 403 insufficient_scope, naming the scope', async () => {
    const context = await setUp();
    const openidOnly: ApiAudience = {identifier: context.calendar.identifier, scope: ''};
    const {tokens} = await context.authorize(openidOnly);
    const result = await callApi(`${context.calendarApi.base_url}/events`, tokens.access_token, context.config);
    assert.ok(!result.ok);
    assert.equal(result.status, 403);
    assert.equal(result.challenge?.parameters.error, 'insufficient_scope');
    assert.equal(result.challenge?.parameters.scope, 'calendar:read');
  });
});

describe('what the authorization server refuses', () => {
  it("RFC 6749 §3.3: another API's scope with this audience is invalid_scope", async () => {
    const context = await setUp();
    const mixed: ApiAudience = {identifier: context.calendar.identifier, scope: 'contacts:read'};
    const request: AuthorizationRequest = await beginAuthorizationFor(context.as, context.config, mixed);
    const outcome = await context.sandbox.browser.authorize(request.url, {
      username: context.alice.username,
      password: context.alice.password,
    });
    assert.ok(outcome.callbackUrl, 'an error response to the redirect URI');
    await assert.rejects(
      completeAuthorizationFor(context.as, context.config, mixed, outcome.callbackUrl, request),
      (error: unknown) => {
        assert.ok(error instanceof oauth.AuthorizationResponseError);
        assert.equal(error.error, 'invalid_scope');
        return true;
      },
    );
  });
});
