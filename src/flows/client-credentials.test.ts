import {describe, it, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import * as jose from 'jose';
import * as oauth from 'oauth4webapi';
import {callApi, discover, requestToken, type ClientCredentialsConfig} from './client-credentials';
import {createTestSandbox, type TestSandbox} from '../sandbox/test-fixture';
import {startNodeSandbox, type NodeSandbox} from '../sandbox/node';

interface Recorded {
  url: string;
  headers: Headers;
  body: URLSearchParams;
}

/** The m2m client's configuration from the catalog, with a fetch that records what it sends. */
async function setUp() {
  const sandbox = await createTestSandbox();
  const client = sandbox.catalog.clients.find((candidate) => candidate.guide_case === 'machine-to-machine')!;
  const calendar = sandbox.catalog.apis.find((api) => api.id === 'calendar')!;
  const sent: Recorded[] = [];
  const config: ClientCredentialsConfig = {
    issuer: sandbox.issuer,
    clientId: client.client_id,
    clientSecret: client.client_secret!,
    audience: calendar.identifier,
    scope: 'calendar:read',
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
  return {sandbox, client, calendar, config, sent};
}

async function verifyAccessToken(sandbox: TestSandbox, token: string, audience: string) {
  const jwks = jose.createLocalJWKSet((await (await sandbox.fetch(sandbox.as.jwks_uri!)).json()) as jose.JSONWebKeySet);
  return jose.jwtVerify(token, jwks, {issuer: sandbox.issuer, audience, typ: 'at+jwt'});
}

describe('RFC 6749 §4.4: client credentials against the sandbox', () => {
  let context: Awaited<ReturnType<typeof setUp>>;
  let tokens: oauth.TokenEndpointResponse;

  before(async () => {
    context = await setUp();
    const as = await discover(context.config);
    assert.equal(as.token_endpoint, `${context.sandbox.issuer}/token`);
    tokens = await requestToken(as, context.config);
  });

  it('§4.4.2 / §2.3.1: sends grant_type, scope and resource, with the secret in a Basic header by default', () => {
    const request = context.sent.find((sent) => sent.url.endsWith('/token'))!;
    assert.equal(request.body.get('grant_type'), 'client_credentials');
    assert.equal(request.body.get('scope'), 'calendar:read');
    assert.equal(request.body.get('resource'), context.calendar.identifier);
    assert.equal(request.body.has('client_secret'), false, 'the secret is not in the body');
    const basic = /^Basic (.+)$/.exec(request.headers.get('authorization') ?? '');
    assert.ok(basic, 'an Authorization: Basic header');
    // §2.3.1: the id and the secret are each form-urlencoded before they are joined and base64-encoded.
    const [id, secret] = atob(basic[1])
      .split(':')
      .map((part) => decodeURIComponent(part.replace(/\+/g, ' ')));
    assert.equal(id, context.client.client_id);
    assert.equal(secret, context.client.client_secret);
  });

  it('§4.4.3: a bearer token and no refresh token', () => {
    assert.equal(tokens.token_type, 'bearer');
    assert.equal(tokens.scope, 'calendar:read');
    assert.equal(tokens.refresh_token, undefined);
  });

  it('RFC 9068 §2.2 / RFC 8707 §2: the access token verifies, names the calendar API as aud and the client as sub', async () => {
    const {payload} = await verifyAccessToken(context.sandbox, tokens.access_token, context.calendar.identifier);
    assert.equal(payload.aud, context.calendar.identifier);
    assert.equal(payload.sub, context.client.client_id);
    assert.equal(payload.client_id, context.client.client_id);
    assert.equal(payload.scope, 'calendar:read');
  });

  it('RFC 6750 §2.1: the calendar API answers 200 to the job', async () => {
    const response = await callApi(`${context.calendar.base_url}/events`, tokens.access_token, context.config);
    assert.equal(response.status, 200);
    const body = response.body as {caller: {sub: string}; events: unknown[]};
    assert.equal(body.caller.sub, context.client.client_id);
    assert.ok(Array.isArray(body.events));
  });

  it('RFC 6750 §3.1: the contacts API refuses the calendar token with invalid_token', async () => {
    const contacts = context.sandbox.catalog.apis.find((api) => api.id === 'contacts')!;
    await assert.rejects(
      callApi(`${contacts.base_url}/people`, tokens.access_token, context.config),
      (error: unknown) => {
        assert.ok(error instanceof oauth.WWWAuthenticateChallengeError);
        assert.equal(error.status, 401);
        assert.equal(error.cause[0]?.parameters.error, 'invalid_token');
        return true;
      },
    );
  });
});

describe('what the authorization server refuses', () => {
  it('RFC 6749 §5.2: a wrong secret in the Basic header is 401 invalid_client with a Basic challenge', async () => {
    const {config} = await setUp();
    const as = await discover(config);
    const error: unknown = await requestToken(as, {...config, clientSecret: 'not-the-secret'}).then(
      () => assert.fail('the token request should have been refused'),
      (thrown: unknown) => thrown,
    );
    assert.ok(error instanceof oauth.WWWAuthenticateChallengeError);
    assert.equal(error.status, 401);
    assert.equal(error.cause[0]?.scheme, 'basic');
    // oauth4webapi leaves the body unread for the caller: it still carries the error code.
    assert.equal(((await error.response.json()) as {error: string}).error, 'invalid_client');
  });

  it('RFC 6749 §2.3.1: client_secret_post sends the credentials in the body, and the server holds the client to its registered method', async () => {
    const {config, sent} = await setUp();
    const as = await discover(config);
    await assert.rejects(requestToken(as, {...config, authMethod: 'client_secret_post'}), (error: unknown) => {
      assert.ok(error instanceof oauth.ResponseBodyError);
      assert.equal(error.error, 'invalid_client');
      assert.equal(error.status, 401);
      return true;
    });
    const request = sent.find((recorded) => recorded.url.endsWith('/token'))!;
    assert.equal(request.headers.has('authorization'), false);
    assert.equal(request.body.get('client_id'), config.clientId);
    assert.equal(request.body.get('client_secret'), config.clientSecret);
  });

  it('RFC 6749 §5.2: a client registered for client_secret_post authenticates, but may not use this grant (unauthorized_client)', async () => {
    const {sandbox, config} = await setUp();
    const firstParty = sandbox.catalog.clients.find(
      (client) => client.token_endpoint_auth_method === 'client_secret_post',
    )!;
    const as = await discover(config);
    await assert.rejects(
      requestToken(as, {
        ...config,
        clientId: firstParty.client_id,
        clientSecret: firstParty.client_secret!,
        authMethod: 'client_secret_post',
      }),
      (error: unknown) => {
        assert.ok(error instanceof oauth.ResponseBodyError);
        assert.equal(error.error, 'unauthorized_client');
        assert.equal(error.status, 400);
        return true;
      },
    );
  });

  it('RFC 6749 §5.2: a scope of another API is invalid_scope', async () => {
    const {config} = await setUp();
    const as = await discover(config);
    await assert.rejects(requestToken(as, {...config, scope: 'contacts:read'}), (error: unknown) => {
      assert.ok(error instanceof oauth.ResponseBodyError);
      assert.equal(error.error, 'invalid_scope');
      return true;
    });
  });

  it('RFC 8707 §2: an unknown resource is invalid_target', async () => {
    const {config} = await setUp();
    const as = await discover(config);
    await assert.rejects(requestToken(as, {...config, audience: 'https://elsewhere.test/api'}), (error: unknown) => {
      assert.ok(error instanceof oauth.ResponseBodyError);
      assert.equal(error.error, 'invalid_target');
      return true;
    });
  });

  it("without scope, the token carries the API's scopes (RFC 6749 §3.3 default)", async () => {
    const {sandbox, config, calendar} = await setUp();
    const withoutScope: ClientCredentialsConfig = {...config, scope: undefined};
    const tokens = await requestToken(await discover(withoutScope), withoutScope);
    const {payload} = await verifyAccessToken(sandbox, tokens.access_token, calendar.identifier);
    assert.deepEqual(String(payload.scope).split(' ').sort(), calendar.scopes.map((s) => s.value).sort());
  });
});

describe('the module as a Node script against `npm run sandbox`', () => {
  let node: NodeSandbox;
  before(async () => {
    node = await startNodeSandbox({port: 0});
  });
  after(() => node.close());

  const script = fileURLToPath(new URL('./client-credentials.ts', import.meta.url));
  const run = (env: Record<string, string>) =>
    promisify(execFile)('npx', ['tsx', script], {env: {...process.env, ...env}, timeout: 60_000});

  it("gets a token with the catalog's m2m client, calls GET /events and exits 0", async () => {
    const {stdout} = await run({ISSUER: node.issuer});
    assert.match(stdout, new RegExp(`GET ${node.issuer}/api/calendar/events -> 200`));
    assert.match(stdout, /Access token: {3}bearer, expires in \d+s, scope "calendar:read"/);
    const json = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {caller: {sub: string}; events: unknown[]};
    assert.equal(json.caller.sub, 'm2m-cron');
    assert.ok(json.events.length > 0);
  });

  it('exits 1 and names invalid_client for a wrong secret', async () => {
    await assert.rejects(
      run({ISSUER: node.issuer, CLIENT_SECRET: 'not-the-secret'}),
      (error: {code?: number; stderr?: string}) => {
        assert.equal(error.code, 1);
        assert.match(error.stderr ?? '', /invalid_client/);
        return true;
      },
    );
  });
});
