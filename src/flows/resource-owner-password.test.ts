import {describe, it, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import * as jose from 'jose';
import * as oauth from 'oauth4webapi';
import {callApi, discover, requestToken, type PasswordGrantConfig} from './resource-owner-password';
import {createTestSandbox} from '../sandbox/test-fixture';
import {startNodeSandbox, type NodeSandbox} from '../sandbox/node';

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
      sent.push({
        url,
        headers: new Headers(init.headers),
        body: new URLSearchParams(
          typeof init.body === 'string' ? init.body : init.body instanceof URLSearchParams ? init.body : '',
        ),
      });
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
    tokens = await requestToken(context.as, context.config, {
      username: context.alice.username,
      password: context.alice.password,
    });
  });

  it("§4.3.2 / §2.3.1: sends grant_type=password with the user's credentials, and the client secret in the body", () => {
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

  it("RFC 9068 §2: the access token verifies and is alice's, for the calendar API", async () => {
    const jwks = jose.createLocalJWKSet(
      (await (await context.sandbox.fetch(context.as.jwks_uri!)).json()) as jose.JSONWebKeySet,
    );
    const {payload} = await jose.jwtVerify(tokens.access_token, jwks, {
      issuer: context.sandbox.issuer,
      audience: context.calendar.identifier,
      typ: 'at+jwt',
    });
    assert.equal(payload.sub, context.alice.sub);
    assert.equal(payload.client_id, context.client.client_id);
    assert.match(String(payload.scope), /\bcalendar:read\b/);
  });

  it("OIDC Core §3.1.3.7: the ID token is alice's, for this client", () => {
    const claims = oauth.getValidatedIdTokenClaims(tokens)!;
    assert.equal(claims.sub, context.alice.sub);
    assert.equal(claims.aud, context.client.client_id);
  });

  it("RFC 6750 §2.1: the calendar API answers 200 with alice's events", async () => {
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
    await assert.rejects(
      requestToken(as, config, {username: alice.username, password: 'not-her-password'}),
      assertRefused({error: 'invalid_grant', status: 400}),
    );
  });

  it('an unknown user is the same invalid_grant, revealing nothing about which part was wrong', async () => {
    const {as, config, alice} = await setUp();
    const unknown = await requestToken(as, config, {username: 'mallory', password: alice.password}).catch(
      (error: unknown) => error,
    );
    const wrong = await requestToken(as, config, {username: alice.username, password: 'nope'}).catch(
      (error: unknown) => error,
    );
    assert.ok(unknown instanceof oauth.ResponseBodyError && wrong instanceof oauth.ResponseBodyError);
    assert.equal(unknown.error, 'invalid_grant');
    assert.equal(unknown.error_description, wrong.error_description);
  });

  it("a wrong client secret is invalid_client (401), before the user's password is even looked at", async () => {
    const {as, config, alice} = await setUp();
    await assert.rejects(
      requestToken(as, {...config, clientSecret: 'not-the-secret'}, alice),
      assertRefused({error: 'invalid_client', status: 401}),
    );
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
      requestToken(
        as,
        {...config, clientId: webApp.client_id, clientSecret: webApp.client_secret!, authMethod: 'client_secret_basic'},
        alice,
      ),
      assertRefused({error: 'unauthorized_client', status: 400}),
    );
  });
});

describe('the module as a Node script against `npm run sandbox`', () => {
  let node: NodeSandbox;
  before(async () => {
    node = await startNodeSandbox({port: 0});
  });
  after(() => node.close());

  const script = fileURLToPath(new URL('./resource-owner-password.ts', import.meta.url));
  const run = (env: Record<string, string>) =>
    promisify(execFile)('npx', ['tsx', script], {env: {...process.env, ...env}, timeout: 60_000});
  const user = async (username: string) => {
    const response = await fetch(`${node.issuer}/catalog`);
    const catalog = (await response.json()) as {users: {username: string; password: string; sub: string}[]};
    return catalog.users.find((candidate) => candidate.username === username)!;
  };

  it("signs alice in with the catalog's first-party client, calls GET /events and exits 0", async () => {
    const {stdout} = await run({ISSUER: node.issuer});
    assert.match(stdout, /Access token: {3}bearer, expires in \d+s, scope "[^"]*calendar:read[^"]*"/);
    assert.match(stdout, /Refresh token: {2}issued; ID token: issued/);
    assert.match(stdout, new RegExp(`GET ${node.issuer}/api/calendar/events -> 200`));
    const json = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {caller: {sub: string}};
    const alice = await user('alice');
    assert.equal(json.caller.sub, alice.sub);
    assert.doesNotMatch(stdout, new RegExp(alice.password), 'the password is never printed');
  });

  it('takes the user from the environment: bob, without scope openid, gets no ID token', async () => {
    const {stdout} = await run({ISSUER: node.issuer, RESOURCE_OWNER_USERNAME: 'bob', SCOPE: 'calendar:read'});
    assert.match(stdout, /ID token: none/);
    const json = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {caller: {sub: string}};
    assert.equal(json.caller.sub, (await user('bob')).sub);
  });

  it('exits 1 and names invalid_grant for a wrong password', async () => {
    const wrongPassword = run({ISSUER: node.issuer, RESOURCE_OWNER_PASSWORD: 'not-the-password'});
    await assert.rejects(wrongPassword, (error: {code?: number; stderr?: string}) => {
      assert.equal(error.code, 1);
      assert.match(error.stderr ?? '', /invalid_grant/);
      return true;
    });
  });

  it('exits 1 before any request when CLIENT_ID comes without CLIENT_SECRET', async () => {
    const withoutSecret = run({ISSUER: node.issuer, CLIENT_ID: 'trusted-first-party'});
    await assert.rejects(withoutSecret, (error: {code?: number; stderr?: string}) => {
      assert.equal(error.code, 1);
      assert.match(error.stderr ?? '', /set its CLIENT_SECRET too/);
      return true;
    });
  });
});
