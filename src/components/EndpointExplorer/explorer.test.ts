import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createTestSandbox, type TestSandbox} from '../../sandbox/test-fixture';
import {toCurl, toFetch} from '../HttpExchange/exchange';
import {
  explorerOperations,
  fieldsFor,
  grantsOf,
  inlineMarkdown,
  providerOperations,
  type ExplorerOperation,
  type OpenApiDocument,
  type ProviderMetadata,
} from './model';
import {prefill, prefillProvider, type PrefillContext} from './prefill';
import {refusalOf} from './refusal';
import {basicCredentials, buildRequest, emptyState, fromFragment, toFragment, type ExplorerState} from './request';
import {addTokens, latestToken, tokensFromExchanges, tokensFromResponse, type HeldToken} from './tokens';
import {createRecordingFetch, type HttpExchangeRecord} from '../../lib/http-exchange';
import {DEVICE_CODE_GRANT_TYPE} from '../../contract/catalog';

interface Setup {
  sandbox: TestSandbox;
  operations: ExplorerOperation[];
  context: (held?: HeldToken[]) => PrefillContext;
  form: (id: string, grant?: string, held?: HeldToken[]) => {operation: ExplorerOperation; state: ExplorerState};
  send: (operation: ExplorerOperation, state: ExplorerState) => Promise<Response>;
}

function headerList(headers: Headers): [string, string][] {
  const list: [string, string][] = [];
  headers.forEach((value, name) => list.push([name, value]));
  return list;
}

async function setup(): Promise<Setup> {
  const sandbox = await createTestSandbox();
  const document = (await (await sandbox.fetch(`${sandbox.issuer}/openapi.json`)).json()) as OpenApiDocument;
  const operations = explorerOperations(document);
  const context = (held: HeldToken[] = []): PrefillContext => ({
    catalog: sandbox.catalog,
    pageUrl: 'https://docs.test/concepts/try-the-endpoints',
    latest: (kind, filter = {}) => latestToken(held, kind, {issuer: sandbox.issuer, ...filter}),
  });
  const form = (id: string, grant = '', held: HeldToken[] = []) => {
    const operation = operations.find((candidate) => candidate.id === id);
    assert.ok(operation, `the description has ${id}`);
    return {operation, state: prefill(operation, grant, emptyState(id), context(held))};
  };
  const send = (operation: ExplorerOperation, state: ExplorerState) => {
    const request = buildRequest(operation, state, sandbox.issuer);
    return sandbox.fetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined ? {body: request.body} : {}),
    });
  };
  return {sandbox, operations, context, form, send};
}

test('the form model lists every operation of the OpenAPI description, grouped', async () => {
  const {sandbox, operations} = await setup();
  const document = (await (await sandbox.fetch(`${sandbox.issuer}/openapi.json`)).json()) as OpenApiDocument;
  const described = Object.values(document.paths).flatMap((item) =>
    [item.get, item.post].filter(Boolean).map((operation) => operation!.operationId),
  );
  assert.deepEqual(new Set(operations.map((operation) => operation.id)), new Set(described));
  assert.equal(operations.length, described.length);
  // Groups in order: discovery first, the sandbox's own endpoints last.
  const groups = operations.map((operation) => operation.group);
  assert.deepEqual([...new Set(groups)], ['Discovery', 'Authorization server', 'APIs', 'Sandbox']);
  assert.equal(operations.find((operation) => operation.id === 'getJwks')?.group, 'Discovery');
  assert.equal(
    operations.find((operation) => operation.path === '/api/calendar/events' && operation.method === 'GET')?.auth,
    'bearer',
  );
  assert.equal(operations.find((operation) => operation.id === 'postIntrospect')?.auth, 'client');
});

test('the token endpoint offers one form per grant, from the oneOf and its grant_type discriminator (RFC 6749 §4)', async () => {
  const {operations} = await setup();
  const token = operations.find((operation) => operation.id === 'postToken')!;
  assert.deepEqual(grantsOf(token), [
    'authorization_code',
    'client_credentials',
    'password',
    'refresh_token',
    DEVICE_CODE_GRANT_TYPE,
  ]);
  const names = (grant: string) => fieldsFor(token, grant).map((field) => field.name);
  assert.deepEqual(names('password').slice(0, 2), ['username', 'password']);
  assert.ok(names('authorization_code').includes('code_verifier'));
  assert.ok(names('refresh_token').includes('refresh_token'));
  // client_id and client_secret belong to the client section, grant_type to the grant choice.
  for (const grant of grantsOf(token)) {
    assert.ok(
      !names(grant).includes('client_secret') &&
        !names(grant).includes('client_id') &&
        !names(grant).includes('grant_type'),
      grant,
    );
  }
  const password = fieldsFor(token, 'password').find((field) => field.name === 'password')!;
  assert.equal(password.secret, true);
  assert.equal(password.required, true);
  assert.match(fieldsFor(token, 'password').find((field) => field.name === 'resource')!.description, /RFC 8707 §2/);
});

test('descriptions keep their RFC links and code as segments', () => {
  assert.deepEqual(
    inlineMarkdown('Space-separated `scope` ([RFC 6749 §3.3](https://www.rfc-editor.org/rfc/rfc6749#section-3.3)).'),
    [
      {text: 'Space-separated '},
      {code: 'scope'},
      {text: ' ('},
      {link: 'RFC 6749 §3.3', href: 'https://www.rfc-editor.org/rfc/rfc6749#section-3.3'},
      {text: ').'},
    ],
  );
});

test('client_secret_basic form-urlencodes the client_id and secret before base64 (RFC 6749 §2.3.1)', () => {
  assert.equal(basicCredentials('m2m-cron', 'a b:c'), `Basic ${Buffer.from('m2m-cron:a+b%3Ac').toString('base64')}`);
});

test('pre-filled forms from the catalog get tokens, and the reused tokens call the API, userinfo, introspection and revocation', async () => {
  const {sandbox, form, send} = await setup();
  let held: HeldToken[] = [];

  const clientCredentials = form('postToken', 'client_credentials');
  assert.equal(clientCredentials.state.clientId, 'm2m-cron');
  assert.equal(clientCredentials.state.authMethod, 'client_secret_basic');
  const request = buildRequest(clientCredentials.operation, clientCredentials.state, sandbox.issuer);
  assert.ok(request.headers.some(([name, value]) => name === 'Authorization' && value.startsWith('Basic ')));
  assert.match(request.body ?? '', /^grant_type=client_credentials&/);
  const m2mResponse = await send(clientCredentials.operation, clientCredentials.state);
  assert.equal(m2mResponse.status, 200);
  held = addTokens(
    held,
    tokensFromResponse(await m2mResponse.json(), {clientId: 'm2m-cron', issuer: sandbox.issuer, obtainedAt: 1}),
  );
  assert.equal(held.length, 1);
  assert.equal(held[0].audience, `${sandbox.issuer}/api/calendar`);

  const events = form('getCalendarEvents', '', held);
  assert.equal(events.state.bearer, held[0].value);
  assert.equal((await send(events.operation, events.state)).status, 200);
  const noToken = await send(events.operation, {...events.state, bearer: ''});
  assert.equal(noToken.status, 401);
  const challenge = refusalOf({
    status: 401,
    statusText: '',
    headers: headerList(noToken.headers),
    body: await noToken.text(),
  });
  assert.equal(challenge?.error, undefined);
  assert.match(challenge?.explanation ?? '', /no access token/);

  const password = form('postToken', 'password', held);
  assert.equal(password.state.clientId, 'trusted-first-party');
  assert.equal(password.state.authMethod, 'client_secret_post');
  assert.match(password.state.values.scope ?? '', /offline_access/);
  const passwordResponse = await send(password.operation, password.state);
  assert.equal(passwordResponse.status, 200);
  held = addTokens(
    held,
    tokensFromResponse(await passwordResponse.json(), {
      clientId: 'trusted-first-party',
      issuer: sandbox.issuer,
      obtainedAt: 2,
    }),
  );
  assert.deepEqual(held.map((token) => token.kind).sort(), [
    'access_token',
    'access_token',
    'id_token',
    'refresh_token',
  ]);

  const refresh = form('postToken', 'refresh_token', held);
  assert.equal(refresh.state.clientId, 'trusted-first-party');
  const refreshed = await send(refresh.operation, refresh.state);
  assert.equal(refreshed.status, 200);
  held = addTokens(
    held,
    tokensFromResponse(await refreshed.json(), {
      clientId: 'trusted-first-party',
      issuer: sandbox.issuer,
      obtainedAt: 3,
    }),
  );

  const userinfo = form('getUserinfo', '', held);
  const userinfoResponse = await send(userinfo.operation, userinfo.state);
  const claims = (await userinfoResponse.json()) as {sub: string};
  assert.equal(claims.sub, 'user-alice');

  const introspect = form('postIntrospect', '', held);
  // The newest access token is the password grant's, for UserInfo: its own client may introspect it (RFC 7662 §4).
  assert.equal(introspect.state.clientId, 'trusted-first-party');
  const active = (await (await send(introspect.operation, introspect.state)).json()) as {active: boolean};
  assert.equal(active.active, true);
  const revoke = form('postRevoke', '', held);
  assert.equal(revoke.state.clientId, 'trusted-first-party');
  assert.equal((await send(revoke.operation, revoke.state)).status, 200);
  const after = (await (await send(introspect.operation, introspect.state)).json()) as {active: boolean};
  assert.equal(after.active, false);
});

test('a wrong secret is refused with invalid_client, explained in words', async () => {
  const {form, send} = await setup();
  const {operation, state} = form('postToken', 'client_credentials');
  const response = await send(operation, {...state, clientSecret: 'wrong'});
  assert.equal(response.status, 401);
  const refusal = refusalOf({
    status: 401,
    statusText: '',
    headers: headerList(response.headers),
    body: await response.text(),
  });
  assert.equal(refusal?.error, 'invalid_client');
  assert.match(refusal?.explanation ?? '', /could not be authenticated/);
});

test('the device authorization form asks as the public device client; the token form polls with its device code (RFC 8628 §3.1, §3.4)', async () => {
  const {sandbox, form, send, context} = await setup();
  const authorization = form('postDeviceAuthorization');
  assert.equal(authorization.operation.auth, 'client');
  assert.equal(authorization.state.clientId, 'tv-app');
  assert.equal(authorization.state.authMethod, 'none');
  assert.match(authorization.state.values.scope ?? '', /offline_access/);
  const response = await send(authorization.operation, authorization.state);
  assert.equal(response.status, 200);
  const codes = (await response.json()) as {device_code: string; user_code: string; verification_uri: string};
  assert.match(codes.user_code, /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
  assert.equal(codes.verification_uri, `${sandbox.issuer}/device`);

  const token = form('postToken', DEVICE_CODE_GRANT_TYPE).operation;
  const deviceCode = {value: codes.device_code, clientId: authorization.state.clientId};
  const poll = prefill(token, DEVICE_CODE_GRANT_TYPE, emptyState('postToken'), {...context(), deviceCode});
  assert.equal(poll.clientId, 'tv-app');
  assert.equal(poll.values.device_code, codes.device_code);
  assert.match(
    buildRequest(token, poll, sandbox.issuer).body ?? '',
    /grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code/,
  );
  const pending = await send(token, poll);
  assert.equal(pending.status, 400);
  const refusal = refusalOf({
    status: 400,
    statusText: '',
    headers: headerList(pending.headers),
    body: await pending.text(),
  });
  assert.equal(refusal?.error, 'authorization_pending');
  assert.match(refusal?.explanation ?? '', /has not answered yet/);
  // The device code is a credential: a shared link never carries it.
  assert.ok(!decodeURIComponent(toFragment(poll, token)).includes(codes.device_code));
});

test('the fragment shares the request but never a secret, and restores it', async () => {
  const {form} = await setup();
  const {operation, state} = form('postToken', 'password');
  const filled: ExplorerState = {
    ...state,
    bearer: 'bearer-value',
    values: {...state.values, username: 'bob', password: 'builder-7', code_verifier: 'verifier-value'},
    extraParameters: [
      {name: 'ui_locales', value: 'fr'},
      {name: 'client_secret', value: 'extra-secret'},
    ],
    extraHeaders: [
      {name: 'X-Trace', value: '1'},
      {name: 'Authorization', value: 'Bearer header-token'},
    ],
  };
  const fragment = toFragment(filled, operation);
  for (const secret of [
    state.clientSecret,
    'builder-7',
    'verifier-value',
    'bearer-value',
    'extra-secret',
    'header-token',
  ]) {
    assert.ok(!decodeURIComponent(fragment).includes(secret), `the fragment does not carry ${secret}`);
  }
  const shared = fromFragment(fragment);
  assert.ok(shared);
  assert.equal(shared.operation, 'postToken');
  assert.equal(shared.grant, 'password');
  assert.equal(shared.clientId, 'trusted-first-party');
  assert.equal(shared.authMethod, 'client_secret_post');
  assert.equal(shared.values.username, 'bob');
  assert.equal(shared.values.password, undefined);
  assert.deepEqual(shared.extraParameters, [{name: 'ui_locales', value: 'fr'}]);
  assert.deepEqual(shared.extraHeaders, [{name: 'X-Trace', value: '1'}]);
  // A hand-made link with secrets in it is not trusted either.
  const forged = fromFragment(
    '#explore?op=postToken&v.password=x&v.client_secret=y&p=token%3Dz&h=Authorization%3A+Basic+w',
  );
  assert.deepEqual(forged?.values, {});
  assert.deepEqual(forged?.extraParameters, []);
  assert.deepEqual(forged?.extraHeaders, []);
  assert.equal(fromFragment('#some-heading'), undefined);
  // An authorization request's one-time values are made afresh, not shared.
  const authorize = form('getAuthorize');
  const link = toFragment(
    {
      ...authorize.state,
      values: {
        ...authorize.state.values,
        state: 'one-time-state',
        nonce: 'one-time-nonce',
        code_challenge: 'c'.repeat(43),
      },
    },
    authorize.operation,
  );
  assert.match(link, /v\.client_id=spa/);
  assert.doesNotMatch(link, /one-time|ccccc/);
});

test('curl and fetch render the explorer request, form fields one per line', async () => {
  const {sandbox, form} = await setup();
  const {operation, state} = form('postToken', 'client_credentials');
  const request = buildRequest(operation, state, sandbox.issuer);
  const curl = toCurl(request, {from: sandbox.issuer, to: 'http://localhost:4000/sandbox'});
  assert.match(curl, /^curl -i -X POST 'http:\/\/localhost:4000\/sandbox\/token'/);
  assert.match(curl, /-H 'Authorization: Basic /);
  assert.match(curl, /--data-urlencode 'grant_type=client_credentials'/);
  assert.match(curl, /--data-urlencode 'resource=http:\/\/localhost:4000\/sandbox\/api\/calendar'/);
  const fetchText = toFetch(request);
  assert.match(fetchText, new RegExp(`^const response = await fetch\\("${sandbox.issuer}/token"`));
  assert.match(fetchText, /body: new URLSearchParams\(\{\n {4}"grant_type": "client_credentials",/);
});

test('an API POST sends its JSON body; a header parameter is sent as a header', async () => {
  const {sandbox, form} = await setup();
  const create = form('postCalendarEvents');
  assert.match(create.state.jsonBody, /Tea party/);
  const request = buildRequest(create.operation, create.state, sandbox.issuer);
  assert.ok(request.headers.some(([name, value]) => name === 'Content-Type' && value === 'application/json'));
  const reset = form('postReset');
  assert.equal(reset.state.values['Sandbox-Reset'], 'confirm');
  assert.deepEqual(buildRequest(reset.operation, reset.state, sandbox.issuer).headers, [['Sandbox-Reset', 'confirm']]);
});

test("tokens from recorded token exchanges (a walkthrough's) are offered with the client that got them", async () => {
  const {sandbox, form} = await setup();
  const recorded: HttpExchangeRecord[] = [];
  const recordingFetch = createRecordingFetch(
    (exchange) => recorded.push(exchange),
    (url, init) => sandbox.fetch(url, init),
  );
  for (const [id, grant] of [
    ['postToken', 'client_credentials'],
    ['postToken', 'password'],
  ] as const) {
    const {operation, state} = form(id, grant);
    const request = buildRequest(operation, state, sandbox.issuer);
    await recordingFetch(request.url, {method: request.method, headers: request.headers, body: request.body!});
  }
  // A refused request and another issuer's response give nothing.
  const refused = form('postToken', 'client_credentials');
  const bad = buildRequest(refused.operation, {...refused.state, clientSecret: 'wrong'}, sandbox.issuer);
  await recordingFetch(bad.url, {method: bad.method, headers: bad.headers, body: bad.body!});
  const tokens = tokensFromExchanges(
    [...recorded, {...recorded[0], request: {...recorded[0].request, url: 'https://elsewhere.test/token'}}],
    sandbox.issuer,
  );
  assert.deepEqual(tokens.map((token) => [token.kind, token.clientId, token.fromWalkthrough]).sort(), [
    ['access_token', 'm2m-cron', true],
    ['access_token', 'trusted-first-party', true],
    ['id_token', 'trusted-first-party', true],
    ['refresh_token', 'trusted-first-party', true],
  ]);
  assert.equal(
    latestToken(tokens, 'access_token', {issuer: sandbox.issuer, audience: `${sandbox.issuer}/api/calendar`})?.clientId,
    'm2m-cron',
  );
});

/** A provider's metadata as node-oidc-provider announces it: no revocation or introspection, its own paths. */
const PROVIDER_METADATA: ProviderMetadata = {
  issuer: 'https://id.example.test/',
  authorization_endpoint: 'https://id.example.test/auth',
  token_endpoint: 'https://id.example.test/token',
  jwks_uri: 'https://id.example.test/jwks',
  userinfo_endpoint: 'https://id.example.test/me',
  grant_types_supported: ['implicit', 'authorization_code', 'refresh_token'],
};

test("another provider is offered the standard endpoints its metadata announces, at its URLs, with the sandbox's forms", async () => {
  const {operations} = await setup();
  const offered = providerOperations(operations, PROVIDER_METADATA);
  assert.deepEqual(
    offered.map((operation) => [operation.id, operation.url]),
    [
      // OpenID Connect Discovery §4: the issuer's trailing slash is not doubled.
      ['getOpenidConfiguration', 'https://id.example.test/.well-known/openid-configuration'],
      ['getJwks', 'https://id.example.test/jwks'],
      ['getAuthorize', 'https://id.example.test/auth'],
      ['postToken', 'https://id.example.test/token'],
      ['getUserinfo', 'https://id.example.test/me'],
    ],
  );
  const token = offered.find((operation) => operation.id === 'postToken')!;
  // grant_types_supported decides; implicit has no token request (RFC 6749 §4.2).
  assert.deepEqual(grantsOf(token), ['authorization_code', 'refresh_token']);
  // The RFC meanings come with the fields; the sandbox's API identifiers do not.
  const authorize = offered.find((operation) => operation.id === 'getAuthorize')!;
  const resource = fieldsFor(authorize, '').find((field) => field.name === 'resource')!;
  assert.match(resource.description, /RFC 8707/);
  assert.equal(resource.options, undefined);

  // RFC 8414 §2: without grant_types_supported, authorization_code and implicit.
  const {grant_types_supported: _grants, ...plain} = PROVIDER_METADATA;
  const defaults = providerOperations(operations, {...plain, revocation_endpoint: 'https://id.example.test/revoke'});
  assert.deepEqual(grantsOf(defaults.find((operation) => operation.id === 'postToken')!), ['authorization_code']);
  assert.equal(defaults.find((operation) => operation.id === 'postRevoke')?.url, 'https://id.example.test/revoke');

  // The request goes to the provider's URL, not under the issuer.
  const state = {...emptyState('getUserinfo'), bearer: 'opaque-token'};
  const request = buildRequest(
    offered.find((operation) => operation.id === 'getUserinfo')!,
    state,
    PROVIDER_METADATA.issuer,
  );
  assert.equal(request.url, 'https://id.example.test/me');
  assert.deepEqual(request.headers, [['Authorization', 'Bearer opaque-token']]);
});

test("a provider's forms are pre-filled from the page's settings, never with a secret, and the link keeps none typed in", async () => {
  const {operations} = await setup();
  const offered = providerOperations(operations, PROVIDER_METADATA);
  const provider = {
    issuer: PROVIDER_METADATA.issuer,
    clientId: 'my-spa',
    audience: 'https://api.example.test/',
    scope: 'openid email',
  };
  const pageUrl = 'https://docs.test/concepts/try-the-endpoints';
  const access: HeldToken = {
    kind: 'access_token',
    value: 'opaque-access',
    clientId: 'my-spa',
    issuer: PROVIDER_METADATA.issuer,
    obtainedAt: 1,
  };
  const context = {
    pageUrl,
    latest: (kind: HeldToken['kind']) => latestToken([access], kind, {issuer: PROVIDER_METADATA.issuer}),
  };
  const fill = (id: string, grant = '') => {
    const operation = offered.find((candidate) => candidate.id === id)!;
    return {
      operation,
      state: prefillProvider(operation, grant, {...emptyState(id), target: 'provider'}, context, provider),
    };
  };

  const authorize = fill('getAuthorize');
  assert.equal(authorize.state.values.client_id, 'my-spa');
  assert.equal(authorize.state.values.redirect_uri, pageUrl);
  assert.equal(authorize.state.values.scope, 'openid email');
  assert.equal(authorize.state.values.resource, 'https://api.example.test/');
  assert.equal(authorize.state.values.response_type, 'code');

  const exchange = fill('postToken', 'authorization_code');
  assert.equal(exchange.state.clientId, 'my-spa');
  assert.equal(exchange.state.authMethod, 'none');
  assert.equal(exchange.state.clientSecret, '');
  assert.equal(exchange.state.values.redirect_uri, pageUrl);

  assert.equal(fill('getUserinfo').state.bearer, 'opaque-access');

  // A confidential client's secret, typed in: sent, but never in the shareable fragment.
  const typed = {
    ...exchange.state,
    authMethod: 'client_secret_post' as const,
    clientSecret: 'typed-secret',
    values: {...exchange.state.values, code: 'the-code', code_verifier: 'the-verifier'},
  };
  const body = new URLSearchParams(buildRequest(exchange.operation, typed, PROVIDER_METADATA.issuer).body);
  assert.equal(body.get('client_secret'), 'typed-secret');
  const fragment = toFragment(typed, exchange.operation);
  for (const secret of ['typed-secret', 'the-code', 'the-verifier'])
    assert.ok(!decodeURIComponent(fragment).includes(secret), `${secret} stays out of the link`);
  assert.equal(fromFragment(fragment)?.target, 'provider');
});
