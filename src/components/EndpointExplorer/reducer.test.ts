import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Catalog, CatalogClient} from '../../contract/catalog';
import type {PendingAuthorization} from './authorization';
import type {OpenApiDocument} from './model';
import {explorerReducer, initialModel, startOf, type Action, type ExplorerModel} from './reducer';
import {NODE_SANDBOX_ISSUER} from './request';
import type {Result} from './result';
import type {HeldToken} from './tokens';
import type {World} from './world';

const ISSUER = 'https://docs.test/sandbox';

function client(
  client_id: string,
  type: CatalogClient['type'],
  method: CatalogClient['token_endpoint_auth_method'],
  secret?: string,
): CatalogClient {
  return {
    client_id,
    ...(secret ? {client_secret: secret} : {}),
    client_name: client_id,
    type,
    guide_case: 'single-page-app',
    grant_types: ['refresh_token'],
    response_types: ['code'],
    redirect_uris: [],
    token_endpoint_auth_method: method,
    require_pkce: true,
  };
}

const catalog: Catalog = {
  issuer: ISSUER,
  clients: [client('spa', 'public', 'none'), client('server-app', 'confidential', 'client_secret_basic', 's3cret')],
  users: [],
  apis: [],
  oidc_scopes: [],
};

const world: World = {
  issuer: ISSUER,
  document: {} as OpenApiDocument,
  operations: [],
  catalog,
  jwksUri: `${ISSUER}/jwks`,
  tokenEndpoint: `${ISSUER}/token`,
};

const pending: PendingAuthorization = {
  issuer: 'http://localhost:4000/sandbox',
  target: 'node',
  nodeIssuer: 'http://localhost:4001/sandbox',
  clientId: 'spa',
  redirectUri: 'https://docs.test/concepts/try-the-endpoints',
  state: 'st',
  codeVerifier: 'cv',
};

function token(kind: HeldToken['kind'], clientId: string): HeldToken {
  return {kind, value: `${kind}-of-${clientId}`, clientId, issuer: ISSUER, obtainedAt: 1};
}

const result: Result = {
  exchange: {request: {method: 'GET', url: `${ISSUER}/jwks`, headers: []}, durationMs: 1},
  tokens: [],
  clientId: '',
  issuer: ISSUER,
  jwksUri: `${ISSUER}/jwks`,
};

/** Runs actions from a model, checking that none changes the model it is given. */
function run(model: ExplorerModel, ...actions: Action[]): ExplorerModel {
  return actions.reduce((current, action) => {
    const before = structuredClone(current);
    const next = explorerReducer(current, action);
    assert.deepEqual(current, before, `${action.type} leaves its input alone`);
    return next;
  }, model);
}

const connected = (): ExplorerModel => run(initialModel({}), {type: 'connected', world});

test("the start reads a shared request, the reader's provider, or why its settings are refused", () => {
  const shared = startOf('#explore?op=postToken&grant=password&target=node', '', undefined);
  assert.equal(shared.shared?.operation, 'postToken');
  assert.equal(shared.shared?.target, 'node');
  assert.equal(shared.provider, undefined);

  const provider = startOf('', '?issuer=https%3A%2F%2Fid.example.com&client_id=my-spa', undefined);
  assert.equal(provider.provider?.issuer, 'https://id.example.com');
  assert.equal(provider.provider?.clientId, 'my-spa');

  // Plain http only for a provider on this machine (RFC 6749 §3.1): the settings are refused, in words.
  const refused = startOf('', '?issuer=http%3A%2F%2Fid.example.com&client_id=my-spa', undefined);
  assert.equal(refused.provider, undefined);
  assert.ok(refused.refused && refused.refused.length > 0);

  // Back from the sign-in page: the provider the request went to, whatever the address says.
  const kept = {issuer: 'https://kept.example.com', clientId: 'kept'};
  const back = startOf('', '?code=abc&state=st', {...pending, target: 'provider', provider: kept});
  assert.deepEqual(back.provider, kept);
  assert.equal(back.pending?.codeVerifier, 'cv');
});

test('the first model targets what the start says, and waits for provider settings when there are none', () => {
  const plain = initialModel({});
  assert.equal(plain.form.target, 'browser');
  assert.equal(plain.form.nodeIssuer, NODE_SANDBOX_ISSUER);
  assert.deepEqual(plain.connection, {target: 'browser', nodeIssuer: NODE_SANDBOX_ISSUER, attempt: 0});
  assert.deepEqual(plain.loading, {status: 'loading'});
  assert.equal(plain.sending, false);
  assert.equal(plain.result, undefined);

  const link = '#explore?op=getJwks&target=node&node=http%3A%2F%2Flocalhost%3A4010%2Fsandbox';
  const shared = initialModel(startOf(link, '', undefined));
  assert.equal(shared.form.operation, 'getJwks');
  assert.deepEqual(shared.connection, {target: 'node', nodeIssuer: 'http://localhost:4010/sandbox', attempt: 0});

  // A link that targets a provider, opened without its settings: the sandbox in this browser.
  assert.equal(initialModel(startOf('#explore?op=getJwks&target=provider', '', undefined)).form.target, 'browser');

  const refused = initialModel({refused: 'no'});
  assert.equal(refused.form.target, 'provider');
  assert.deepEqual(refused.loading, {status: 'idle'});

  const provider = initialModel({provider: {issuer: 'https://id.example.com', clientId: 'my-spa'}});
  assert.equal(provider.form.target, 'provider');
  assert.deepEqual(provider.loading, {status: 'loading'});

  // The way back from a sign-in goes to the server the code is redeemed at.
  const back = initialModel({pending});
  assert.deepEqual(back.connection, {target: 'node', nodeIssuer: 'http://localhost:4001/sandbox', attempt: 0});
});

test('a target connects at once, but the Node sandbox waits for Connect, with the issuer typed in', () => {
  const start = initialModel({});
  const node = run(start, {type: 'target', target: 'node'});
  assert.equal(node.form.target, 'node');
  assert.equal(node.connection, start.connection, 'no new connection yet');

  const typed = run(node, {type: 'edit', patch: {nodeIssuer: 'http://localhost:4010/sandbox'}}, {type: 'connect'});
  assert.deepEqual(typed.connection, {target: 'node', nodeIssuer: 'http://localhost:4010/sandbox', attempt: 1});
  const again = run(typed, {type: 'connect'});
  assert.equal(again.connection.attempt, 2, 'each Connect is a new attempt');

  const browser = run(typed, {type: 'target', target: 'browser'});
  assert.deepEqual(browser.connection, {target: 'browser', nodeIssuer: 'http://localhost:4010/sandbox', attempt: 2});
  const provider = run(browser, {type: 'target', target: 'provider'});
  assert.equal(provider.form.target, 'provider');
  assert.deepEqual([provider.connection.target, provider.connection.attempt], ['provider', 3]);
});

test('loading goes through loading, idle, connected and failed; editing the form keeps the connected world', () => {
  const ready = connected();
  assert.equal(ready.loading.status === 'ready' && ready.loading.world, world);
  // The effects that run once per connection depend on the world's identity: a form edit must keep it.
  const edited = run(ready, {type: 'edit', patch: {bearer: 'x'}}, {type: 'value', name: 'scope', value: 'openid'});
  assert.equal(edited.loading, ready.loading);
  assert.deepEqual(edited.form.values, {scope: 'openid'});
  assert.deepEqual(run(ready, {type: 'failed', message: 'down'}).loading, {status: 'failed', message: 'down'});
  assert.deepEqual(run(ready, {type: 'idle'}).loading, {status: 'idle'});
  assert.deepEqual(run(ready, {type: 'loading'}).loading, {status: 'loading'});
});

test('a client from the catalog brings its secret and registered method; an unknown one uses none', () => {
  const server = run(connected(), {type: 'client', clientId: 'server-app'});
  const {clientId, clientSecret, authMethod} = server.form;
  assert.deepEqual([clientId, clientSecret, authMethod], ['server-app', 's3cret', 'client_secret_basic']);
  const typed = run(server, {type: 'client', clientId: 'typed-in'});
  assert.deepEqual([typed.form.clientId, typed.form.clientSecret, typed.form.authMethod], ['typed-in', '', 'none']);
});

test('taking a token fills its parameter, its type hint, and to refresh or revoke, the client it was issued to', () => {
  const refresh = token('refresh_token', 'server-app');
  const refreshing = run(connected(), {type: 'token', field: 'refresh_token', token: refresh});
  assert.equal(refreshing.form.values.refresh_token, refresh.value);
  assert.equal(refreshing.form.clientId, 'server-app');
  assert.equal(refreshing.form.authMethod, 'client_secret_basic');

  // RFC 7009 §2.1: the client the token was issued to revokes it; the hint names the token's kind.
  const revoking = run(
    connected(),
    {type: 'edit', patch: {operation: 'postRevoke'}},
    {type: 'token', field: 'token', token: refresh},
  );
  assert.deepEqual(revoking.form.values, {token: refresh.value, token_type_hint: 'refresh_token'});
  assert.equal(revoking.form.clientId, 'server-app');

  // Introspection keeps the caller the form chose (RFC 7662 §2.1): only the token and its hint change.
  const access = token('access_token', 'spa');
  const introspecting = run(
    connected(),
    {type: 'edit', patch: {operation: 'postIntrospect', clientId: 'server-app'}},
    {type: 'token', field: 'token', token: access},
  );
  assert.deepEqual(introspecting.form.values, {token: access.value, token_type_hint: 'access_token'});
  assert.equal(introspecting.form.clientId, 'server-app');
});

test('fresh authorization values go into the form and the code_verifier stays out of it (RFC 7636 §4.1)', () => {
  const values = {codeVerifier: 'verifier', codeChallenge: 'challenge', state: 'st', nonce: 'n'};
  const model = run(connected(), {type: 'value', name: 'scope', value: 'openid'}, {type: 'authorization', values});
  assert.equal(model.codeVerifier, 'verifier');
  assert.deepEqual(model.form.values, {
    scope: 'openid',
    code_challenge: 'challenge',
    code_challenge_method: 'S256',
    state: 'st',
    nonce: 'n',
  });
  assert.ok(!Object.values(model.form.values).includes('verifier'));
});

test('a new operation or connection clears the result; sending clears it until the answer comes', () => {
  const withResult = run(connected(), {type: 'send'}, {type: 'sent', result});
  assert.equal(withResult.sending, false);
  assert.equal(withResult.result, result);

  const sending = run(withResult, {type: 'send'});
  assert.equal(sending.sending, true);
  assert.ok(!('result' in sending));
  // No exchange recorded: nothing to show, and the button is back.
  const nothing = run(sending, {type: 'sent'});
  assert.deepEqual([nothing.sending, 'result' in nothing], [false, false]);

  const form = {...withResult.form, operation: 'getJwks'};
  const chosen = run(withResult, {type: 'operation', form});
  assert.deepEqual([chosen.form, 'result' in chosen], [form, false]);

  const reconnected = run(withResult, {type: 'reconnected'});
  assert.deepEqual([reconnected.form, 'result' in reconnected], [withResult.form, false]);
  assert.equal(run(withResult, {type: 'reconnected', form}).form, form);
});

test('restoring sets the first form and the notice, and keeps a result', () => {
  const withResult = run(connected(), {type: 'sent', result});
  const form = {...withResult.form, operation: 'postToken', grant: 'authorization_code'};
  const restored = run(withResult, {type: 'restore', form, notice: 'Back from the sign-in page.'});
  assert.deepEqual([restored.form, restored.notice, restored.result], [form, 'Back from the sign-in page.', result]);
  // A refused authorization request may leave no form to fill: the notice alone.
  const noticeOnly = run(withResult, {type: 'restore', notice: 'No code.'});
  assert.deepEqual([noticeOnly.form, noticeOnly.notice], [withResult.form, 'No code.']);
});
