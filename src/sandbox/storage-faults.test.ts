import assert from 'node:assert/strict';
import {test} from 'node:test';
import * as oauth from 'oauth4webapi';
import {createMemoryStore} from './store/memory';
import {StorageError, type Store} from './store/store';
import {authorizeWithPkce, clientAuthFor, createTestSandbox} from './test-fixture';

/** A memory store whose writes fail, from the moment `failWith` is set, as IndexedDB's do in the worker. */
function faultyStore(): {store: Store; failWith(kind: StorageError['kind'] | undefined): void} {
  const inner = createMemoryStore();
  let failure: StorageError['kind'] | undefined;
  const write =
    <A extends unknown[], R>(operation: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (failure)
        throw new StorageError(
          failure,
          failure === 'full' ? 'the storage is full (QuotaExceededError)' : 'cut short (AbortError)',
        );
      return operation(...args);
    };
  const store = {...inner, set: write(inner.set), update: write(inner.update), take: write(inner.take)} as Store;
  return {store, failWith: (kind) => (failure = kind)};
}

/** Exchanges the code of a finished authorization, and returns the raw token response. */
async function exchange(
  sandbox: Awaited<ReturnType<typeof createTestSandbox>>,
  flow: Awaited<ReturnType<typeof authorizeWithPkce>>,
): Promise<Response> {
  const oauthClient: oauth.Client = {client_id: flow.client.client_id};
  const params = oauth.validateAuthResponse(sandbox.as, oauthClient, flow.outcome.callbackUrl!, flow.state);
  return oauth.authorizationCodeGrantRequest(
    sandbox.as,
    oauthClient,
    clientAuthFor(flow.client),
    params,
    flow.redirectUri,
    flow.codeVerifier,
    sandbox.options,
  );
}

test('RFC 6749 §4.1.2.1: a full store answers the token endpoint with server_error (500) saying storage is full', async () => {
  const faulty = faultyStore();
  const sandbox = await createTestSandbox({store: faulty.store});
  const flow = await authorizeWithPkce(sandbox);
  faulty.failWith('full');
  const response = await exchange(sandbox, flow);
  assert.equal(response.status, 500);
  const body = (await response.json()) as {error: string; error_description: string};
  assert.equal(body.error, 'server_error');
  assert.match(body.error_description, /storage is full/);
});

test('RFC 6749 §4.1.2.1: an interrupted store answers temporarily_unavailable (503) with Retry-After (RFC 9110 §10.2.3)', async () => {
  const faulty = faultyStore();
  const sandbox = await createTestSandbox({store: faulty.store});
  const flow = await authorizeWithPkce(sandbox);
  faulty.failWith('interrupted');
  const response = await exchange(sandbox, flow);
  assert.equal(response.status, 503);
  assert.equal(response.headers.get('retry-after'), '1');
  assert.equal(((await response.json()) as {error: string}).error, 'temporarily_unavailable');
});

test('RFC 6749 §4.1.2.1: a store failing at consent sends the error back to the redirect URI, not a crash', async () => {
  const faulty = faultyStore();
  const sandbox = await createTestSandbox({store: faulty.store});
  // The login succeeds; the consent's writes (the grant, the code) fail.
  const original = faulty.store.set;
  let writes = 0;
  faulty.store.set = async (key, value, ttl) => {
    if (key.startsWith('code:') && writes++ === 0) throw new StorageError('interrupted', 'cut short (AbortError)');
    return original(key, value, ttl);
  };
  const flow = await authorizeWithPkce(sandbox);
  const callback = flow.outcome.callbackUrl;
  assert.ok(callback, `expected a redirect back, got HTTP ${flow.outcome.response.status}`);
  const parameters = new URL(callback).searchParams;
  assert.equal(parameters.get('error'), 'temporarily_unavailable');
  assert.equal(parameters.get('state'), flow.state);
});

test('RFC 6749 §5.2: a code that outlived a reset is invalid_grant, and says the storage was reset or cleared', async () => {
  const sandbox = await createTestSandbox();
  const flow = await authorizeWithPkce(sandbox);
  const reset = await sandbox.fetch(`${sandbox.issuer}/reset`, {method: 'POST', headers: {'sandbox-reset': 'confirm'}});
  assert.equal(reset.status, 200);
  const response = await exchange(sandbox, flow);
  assert.equal(response.status, 400);
  const body = (await response.json()) as {error: string; error_description: string};
  assert.equal(body.error, 'invalid_grant');
  assert.match(body.error_description, /storage was reset or cleared after this authorization code was issued/);
});
