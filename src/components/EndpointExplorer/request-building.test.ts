import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createTestSandbox} from '../../sandbox/test-fixture';
import {createRecordingFetch, type FetchFunction, type HttpExchangeRecord} from '../../lib/http-exchange';
import {
  explorerOperations,
  grantFor,
  isAuthorization,
  opensInBrowser,
  type ExplorerOperation,
  type OpenApiDocument,
} from './model';
import {applyShared, prefill, redeemCode} from './prefill';
import {buildRequest, emptyState, fromFragment, type ExplorerState} from './request';
import {resultOf} from './result';
import {tokensForField, tokenTypeHint, type HeldToken} from './tokens';

const PAGE = 'https://docs.test/concepts/try-the-endpoints';

async function setup() {
  const sandbox = await createTestSandbox();
  const document = (await (await sandbox.fetch(`${sandbox.issuer}/openapi.json`)).json()) as OpenApiDocument;
  const operations = explorerOperations(document);
  const find = (id: string): ExplorerOperation => {
    const operation = operations.find((candidate) => candidate.id === id);
    assert.ok(operation, `the description has ${id}`);
    return operation;
  };
  const form = (id: string, grant = ''): ExplorerState =>
    prefill(find(id), grant, emptyState(id), {catalog: sandbox.catalog, pageUrl: PAGE, latest: () => undefined});
  /** Sends the form's request to the sandbox in process and returns what the explorer records of it. */
  const inProcess: FetchFunction = (url, init) => sandbox.fetch(url, init);
  const record = async (operation: ExplorerOperation, state: ExplorerState, base = inProcess) => {
    const request = buildRequest(operation, state, sandbox.issuer);
    let exchange: HttpExchangeRecord | undefined;
    const recording = createRecordingFetch((recorded) => (exchange = recorded), base);
    const body = request.body !== undefined ? {body: request.body} : {};
    await recording(request.url, {method: request.method, headers: request.headers, ...body}).catch(() => {});
    assert.ok(exchange);
    return exchange;
  };
  return {sandbox, find, form, record};
}

test('a form opens with the grant asked for when the operation offers it, else its first', async () => {
  const {find} = await setup();
  const token = find('postToken');
  assert.equal(grantFor(token, 'password'), 'password');
  assert.equal(grantFor(token, 'urn:ietf:params:oauth:grant-type:unknown'), 'authorization_code');
  assert.equal(grantFor(token), 'authorization_code');
  assert.equal(grantFor(find('getJwks'), 'password'), '');
});

test('the authorization endpoint is visited by the browser: its GET form opens, its POST form is sent', async () => {
  const {find} = await setup();
  assert.deepEqual([isAuthorization(find('getAuthorize')), opensInBrowser(find('getAuthorize'))], [true, true]);
  const post = find('postAuthorize');
  assert.deepEqual([isAuthorization(post), opensInBrowser(post)], [true, false]);
  assert.deepEqual([isAuthorization(find('postToken')), opensInBrowser(find('postToken'))], [false, false]);
  assert.equal(opensInBrowser(undefined), false);
});

test('a parameter is offered the tokens of its kind; the type hint names the kind (RFC 7009 §2.1)', () => {
  const held = (kind: HeldToken['kind']): HeldToken => ({kind, value: kind, clientId: 'c', issuer: 'i', obtainedAt: 0});
  const tokens = [held('access_token'), held('refresh_token'), held('id_token')];
  const kinds = (name: string) => tokensForField(name, tokens)?.map((token) => token.kind);
  assert.deepEqual(kinds('token'), ['access_token', 'refresh_token']);
  assert.deepEqual(kinds('refresh_token'), ['refresh_token']);
  assert.deepEqual(kinds('access_token'), ['access_token']);
  assert.equal(kinds('scope'), undefined);
  assert.equal(kinds('constructor'), undefined);
  assert.deepEqual(tokens.map(tokenTypeHint), ['access_token', 'refresh_token', 'access_token']);
});

test('a shared link restores its client from the catalog, its values and extras, over the prefilled form', async () => {
  const {sandbox, form} = await setup();
  const prefilled = form('postToken', 'client_credentials');
  const link = '#explore?op=postToken&grant=client_credentials&client=trusted-first-party&v.scope=calendar.read';
  const shared = fromFragment(`${link}&p=x%3D1&h=X-Trace%3A+t`);
  assert.ok(shared);
  const restored = applyShared(prefilled, shared, sandbox.catalog);
  const known = sandbox.catalog.clients.find((client) => client.client_id === 'trusted-first-party')!;
  assert.equal(restored.clientId, 'trusted-first-party');
  assert.equal(restored.clientSecret, known.client_secret);
  assert.equal(restored.authMethod, known.token_endpoint_auth_method);
  assert.equal(restored.values.scope, 'calendar.read');
  assert.equal(restored.values.resource, prefilled.values.resource, 'values the link does not carry stay prefilled');
  assert.deepEqual(restored.extraParameters, [{name: 'x', value: '1'}]);
  assert.deepEqual(restored.extraHeaders, [{name: 'X-Trace', value: 't'}]);

  // An authentication method in the link wins; a client the catalog does not know keeps the prefilled one.
  const unknown = {...shared, clientId: 'nobody', authMethod: 'client_secret_post' as const};
  const other = applyShared(prefilled, unknown, sandbox.catalog);
  assert.deepEqual(
    [other.clientId, other.clientSecret, other.authMethod],
    [prefilled.clientId, prefilled.clientSecret, 'client_secret_post'],
  );
});

test('a code is redeemed by the client that asked, its redirect_uri and PKCE verifier (RFC 6749 §4.1.3)', async () => {
  const {form} = await setup();
  const prefilled = {
    ...form('postToken', 'authorization_code'),
    clientSecret: 'left-over',
    authMethod: 'client_secret_basic' as const,
  };
  const verifier = 'v'.repeat(43);
  const redeem = redeemCode(prefilled, {clientId: 'spa-public', redirectUri: PAGE, codeVerifier: verifier}, 'the-code');
  assert.deepEqual([redeem.clientId, redeem.authMethod, redeem.clientSecret], ['spa-public', 'none', '']);
  assert.deepEqual(redeem.values, {...prefilled.values, code: 'the-code', code_verifier: verifier, redirect_uri: PAGE});
  assert.equal(redeem.grant, 'authorization_code');
});

test("a token response's result holds its tokens, with the audience asked for; a refusal is in words", async () => {
  const {sandbox, find, form, record} = await setup();
  const to = {issuer: sandbox.issuer, jwksUri: `${sandbox.issuer}/jwks`};
  const token = find('postToken');
  const state = form('postToken', 'client_credentials');
  const result = resultOf(await record(token, state), token, state, to, 1234);
  assert.equal(result.exchange.response?.status, 200);
  assert.equal(result.refusal, undefined);
  assert.deepEqual(
    result.tokens.map((held) => [held.kind, held.clientId, held.issuer, held.obtainedAt]),
    [['access_token', state.clientId, sandbox.issuer, 1234]],
  );
  assert.equal(result.audience, state.values.resource);
  assert.deepEqual([result.clientId, result.issuer, result.jwksUri], [state.clientId, sandbox.issuer, to.jwksUri]);

  const wrong = {...state, clientSecret: 'wrong'};
  const refused = resultOf(await record(token, wrong), token, wrong, to, 0);
  assert.equal(refused.refusal?.error, 'invalid_client');
  assert.deepEqual(refused.tokens, []);

  // Only the token endpoint's answer brings tokens to hold.
  const jwks = find('getJwks');
  const keys = resultOf(await record(jwks, form('getJwks')), jwks, form('getJwks'), to, 0);
  assert.deepEqual([keys.tokens, keys.refusal, keys.audience], [[], undefined, undefined]);

  // No answer at all: the failure is recorded, with nothing refused and no token.
  const down = await record(jwks, form('getJwks'), async () => {
    throw new TypeError('Failed to fetch');
  });
  const failed = resultOf(down, jwks, form('getJwks'), to, 0);
  assert.deepEqual([failed.exchange.failure, failed.refusal, failed.tokens], ['Failed to fetch', undefined, []]);
});
