import assert from 'node:assert/strict';
import {test} from 'node:test';
import {calculateJwkThumbprint, decodeJwt, exportJWK} from 'jose';
import * as oauth from 'oauth4webapi';
import type {Sandbox} from '../context';
import {currentNonces, DPOP_NONCE_ROTATION} from '../dpop';
import {makeProof, proofKey} from '../dpop-test-helpers';
import {createMemoryStore} from '../store/memory';
import {StorageError, type Store} from '../store/store';
import {authorizeWithPkce, clientAuthFor, createTestSandbox, type TestSandbox} from '../test-fixture';

const dpopHandle = async (client: oauth.Client) => {
  const keyPair = await oauth.generateKeyPair('ES256');
  const jkt = await calculateJwkThumbprint(await exportJWK(keyPair.publicKey));
  return {handle: oauth.DPoP(client, keyPair), keyPair, jkt};
};

/** What the nonce functions read of a sandbox: its store and clock. */
const sandboxOf = (sandbox: TestSandbox) => ({store: sandbox.store, now: sandbox.now}) as unknown as Sandbox;

/** The error a token response ends in, as oauth4webapi reports it. */
async function responseError(promise: Promise<unknown>): Promise<oauth.ResponseBodyError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof oauth.ResponseBodyError) return error;
    throw error;
  }
  assert.fail('expected an error response');
}

/** An authorization code for `clientId`, and a function that redeems it with oauth4webapi (optionally with DPoP). */
async function codeFor(sandbox: TestSandbox, clientId: string, scope = 'openid offline_access calendar:read') {
  const flow = await authorizeWithPkce(sandbox, {clientId, scope});
  const oauthClient: oauth.Client = {client_id: clientId};
  const params = oauth.validateAuthResponse(sandbox.as, oauthClient, flow.outcome.callbackUrl!, flow.state);
  const redeem = async (DPoP?: oauth.DPoPHandle) =>
    oauth.processAuthorizationCodeResponse(
      sandbox.as,
      oauthClient,
      await oauth.authorizationCodeGrantRequest(
        sandbox.as,
        oauthClient,
        clientAuthFor(flow.client),
        params,
        flow.redirectUri,
        flow.codeVerifier,
        {...sandbox.options, ...(DPoP ? {DPoP} : {})},
      ),
      {expectedNonce: flow.nonce},
    );
  return {flow, oauthClient, redeem};
}

test('discovery: dpop_signing_alg_values_supported (RFC 9449 §5.1); the catalog registers the DPoP clients', async () => {
  const sandbox = await createTestSandbox();
  assert.deepEqual(sandbox.as.dpop_signing_alg_values_supported, ['ES256', 'PS256', 'RS256']);
  const spaDpop = sandbox.client('spa-dpop');
  assert.equal(spaDpop.dpop_bound_access_tokens, true);
  assert.equal(spaDpop.dpop_nonce_required, undefined);
  assert.equal(spaDpop.type, 'public');
  assert.deepEqual(spaDpop.redirect_uris, sandbox.client('spa').redirect_uris);
  assert.equal(sandbox.client('spa-dpop-nonce').dpop_nonce_required, true);
});

test('RFC 9449 §5, §6.1: with a proof, the code is exchanged for a DPoP token bound to the key (cnf.jkt)', async () => {
  const sandbox = await createTestSandbox();
  const {oauthClient, redeem} = await codeFor(sandbox, 'spa-dpop');
  const {handle, jkt} = await dpopHandle(oauthClient);
  const tokens = await redeem(handle);
  assert.equal(tokens.token_type, 'dpop');
  const claims = decodeJwt(tokens.access_token);
  assert.deepEqual(claims.cnf, {jkt});
  assert.ok(tokens.refresh_token);
  assert.ok(tokens.id_token);
});

test('RFC 9449 §5.2: a dpop_bound_access_tokens client without a proof is refused, and its code stays unused', async () => {
  const sandbox = await createTestSandbox();
  const {oauthClient, redeem} = await codeFor(sandbox, 'spa-dpop');
  const refused = await responseError(redeem());
  assert.equal(refused.error, 'invalid_request');
  assert.equal(refused.status, 400);
  assert.match(refused.error_description!, /dpop_bound_access_tokens/);
  const tokens = await redeem((await dpopHandle(oauthClient)).handle);
  assert.equal(tokens.token_type, 'dpop');
});

test('RFC 9449 §8: use_dpop_nonce with a DPoP-Nonce header; oauth4webapi retries with it and gets the token', async () => {
  const sandbox = await createTestSandbox();
  const {oauthClient, redeem} = await codeFor(sandbox, 'spa-dpop-nonce');
  const {handle, jkt} = await dpopHandle(oauthClient);
  const refused = await responseError(redeem(handle));
  assert.ok(oauth.isDPoPNonceError(refused));
  assert.equal(refused.status, 400);
  assert.ok(refused.response.headers.get('dpop-nonce'));
  assert.equal(refused.response.headers.get('cache-control'), null);
  const tokens = await redeem(handle);
  assert.equal(tokens.token_type, 'dpop');
  assert.deepEqual(decodeJwt(tokens.access_token).cnf, {jkt});
});

test('RFC 9449 §4.3: a bad proof at the token endpoint is invalid_dpop_proof and leaves the code unused', async () => {
  const sandbox = await createTestSandbox();
  const {flow, redeem, oauthClient} = await codeFor(sandbox, 'spa-dpop');
  const key = await proofKey();
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    client_id: 'spa-dpop',
    code: flow.outcome.callbackUrl!.searchParams.get('code')!,
    redirect_uri: flow.redirectUri,
    code_verifier: flow.codeVerifier,
  });
  const wrongHtu = await makeProof(key, {
    htm: 'POST',
    htu: `${sandbox.issuer}/userinfo`,
    iat: Math.floor(sandbox.now() / 1000),
  });
  const response = await sandbox.fetch(`${sandbox.issuer}/token`, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded', dpop: wrongHtu},
    body,
  });
  assert.equal(response.status, 400);
  assert.equal(((await response.json()) as {error: string}).error, 'invalid_dpop_proof');
  assert.equal((await redeem((await dpopHandle(oauthClient)).handle)).token_type, 'dpop');
});

test('RFC 9449 §5: any client may send a proof and get a DPoP token; without one it gets a Bearer token as before', async () => {
  const sandbox = await createTestSandbox();
  const withProof = await codeFor(sandbox, 'spa');
  const {handle, jkt} = await dpopHandle(withProof.oauthClient);
  const bound = await withProof.redeem(handle);
  assert.equal(bound.token_type, 'dpop');
  assert.deepEqual(decodeJwt(bound.access_token).cnf, {jkt});
  const bearer = await (await codeFor(sandbox, 'spa')).redeem();
  assert.equal(bearer.token_type, 'bearer');
  assert.equal(decodeJwt(bearer.access_token).cnf, undefined);
  // client_credentials too (RFC 9449 §5 covers every grant).
  const m2m = sandbox.client('m2m-cron');
  const m2mClient: oauth.Client = {client_id: m2m.client_id};
  const m2mKey = await dpopHandle(m2mClient);
  const machine = await oauth.processClientCredentialsResponse(
    sandbox.as,
    m2mClient,
    await oauth.clientCredentialsGrantRequest(
      sandbox.as,
      m2mClient,
      clientAuthFor(m2m),
      {audience: `${sandbox.issuer}/api/calendar`},
      {...sandbox.options, DPoP: m2mKey.handle},
    ),
  );
  assert.equal(machine.token_type, 'dpop');
  assert.deepEqual(decodeJwt(machine.access_token).cnf, {jkt: m2mKey.jkt});
});

test('RFC 9449 §11.1: a replayed token request proof is refused', async () => {
  const sandbox = await createTestSandbox();
  const key = await proofKey();
  const proof = await makeProof(key, {htm: 'POST', htu: `${sandbox.issuer}/token`});
  const request = () =>
    sandbox.fetch(`${sandbox.issuer}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${btoa('m2m-cron:m2m-cron-secret-5bd1e8')}`,
        dpop: proof,
      },
      body: `grant_type=client_credentials&audience=${encodeURIComponent(`${sandbox.issuer}/api/calendar`)}`,
    });
  assert.equal((await request()).status, 200);
  const replay = await request();
  assert.equal(replay.status, 400);
  assert.equal(((await replay.json()) as {error: string}).error, 'invalid_dpop_proof');
});

/** A refresh request with oauth4webapi, optionally with DPoP, and its processed answer. */
const refresh = async (sandbox: TestSandbox, clientId: string, token: string, DPoP?: oauth.DPoPHandle) => {
  const client = sandbox.client(clientId);
  const oauthClient: oauth.Client = {client_id: clientId};
  return oauth.processRefreshTokenResponse(
    sandbox.as,
    oauthClient,
    await oauth.refreshTokenGrantRequest(sandbox.as, oauthClient, clientAuthFor(client), token, {
      ...sandbox.options,
      ...(DPoP ? {DPoP} : {}),
    }),
  );
};

test('RFC 9449 §5: a public client refreshes with the same key; another key or none is invalid_grant and uses nothing up', async () => {
  const sandbox = await createTestSandbox();
  for (const clientId of ['spa-dpop', 'spa']) {
    const {oauthClient, redeem} = await codeFor(sandbox, clientId);
    const {handle, jkt} = await dpopHandle(oauthClient);
    const tokens = await redeem(handle);
    const foreign = await responseError(
      refresh(sandbox, clientId, tokens.refresh_token!, (await dpopHandle(oauthClient)).handle),
    );
    assert.equal(foreign.error, 'invalid_grant', clientId);
    assert.match(foreign.error_description!, /another DPoP key/);
    const none = await responseError(refresh(sandbox, clientId, tokens.refresh_token!));
    // spa-dpop always needs a proof (RFC 9449 §5.2); spa's refresh token needs one because it is bound.
    assert.equal(none.error, clientId === 'spa-dpop' ? 'invalid_request' : 'invalid_grant', clientId);
    const refreshed = await refresh(sandbox, clientId, tokens.refresh_token!, handle);
    assert.equal(refreshed.token_type, 'dpop');
    assert.deepEqual(decodeJwt(refreshed.access_token).cnf, {jkt});
    // RFC 9700 §4.14.2, as for every client: rotated, and a reuse revokes the family.
    assert.ok(refreshed.refresh_token && refreshed.refresh_token !== tokens.refresh_token);
    assert.equal(
      (await responseError(refresh(sandbox, clientId, tokens.refresh_token!, handle))).error,
      'invalid_grant',
    );
    assert.equal(
      (await responseError(refresh(sandbox, clientId, refreshed.refresh_token, handle))).error,
      'invalid_grant',
    );
  }
});

test("RFC 9449 §5: a confidential client's refresh token is not bound: it may refresh with a new key, or none", async () => {
  const sandbox = await createTestSandbox();
  const {oauthClient, redeem} = await codeFor(sandbox, 'regular-web-app');
  const tokens = await redeem((await dpopHandle(oauthClient)).handle);
  assert.equal(tokens.token_type, 'dpop');
  const next = await dpopHandle(oauthClient);
  const refreshed = await refresh(sandbox, 'regular-web-app', tokens.refresh_token!, next.handle);
  assert.deepEqual(decodeJwt(refreshed.access_token).cnf, {jkt: next.jkt});
  const bearer = await refresh(sandbox, 'regular-web-app', refreshed.refresh_token!);
  assert.equal(bearer.token_type, 'bearer');
});

test('RFC 9449 §8: the nonce client refreshes after fetching a nonce, like any token request', async () => {
  const sandbox = await createTestSandbox();
  const {oauthClient, redeem} = await codeFor(sandbox, 'spa-dpop-nonce');
  const {handle} = await dpopHandle(oauthClient);
  assert.ok(oauth.isDPoPNonceError(await responseError(redeem(handle))));
  const tokens = await redeem(handle);
  // The handle keeps the nonce: the refresh needs no new round trip while it is current.
  assert.equal((await refresh(sandbox, 'spa-dpop-nonce', tokens.refresh_token!, handle)).token_type, 'dpop');
});

test('RFC 6749 §4.1.2.1: a store failing while a proof is checked is temporarily_unavailable (503), never a 500 or a proof error', async () => {
  const inner = createMemoryStore();
  let failing = false;
  const store: Store = {
    ...inner,
    update: async (...args) => {
      if (failing) throw new StorageError('interrupted', 'cut short (AbortError)');
      return inner.update(...args);
    },
  };
  const sandbox = await createTestSandbox({store});
  failing = true;
  const response = await sandbox.fetch(`${sandbox.issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${btoa('m2m-cron:m2m-cron-secret-5bd1e8')}`,
      dpop: await makeProof(await proofKey(), {htm: 'POST', htu: `${sandbox.issuer}/token`}),
    },
    body: `grant_type=client_credentials&audience=${encodeURIComponent(`${sandbox.issuer}/api/calendar`)}`,
  });
  assert.equal(response.status, 503);
  assert.equal(((await response.json()) as {error: string}).error, 'temporarily_unavailable');
});

test('RFC 9449 §8.2, §9: a proof with the previous nonce passes, and the answer carries the current one in DPoP-Nonce', async () => {
  const sandbox = await createTestSandbox();
  const [previous] = await currentNonces(sandboxOf(sandbox));
  sandbox.advance(DPOP_NONCE_ROTATION);
  const [current] = await currentNonces(sandboxOf(sandbox));
  const key = await proofKey();
  const iat = Math.floor(sandbox.now() / 1000);
  const response = await sandbox.fetch(`${sandbox.issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${btoa('m2m-cron:m2m-cron-secret-5bd1e8')}`,
      dpop: await makeProof(key, {htm: 'POST', htu: `${sandbox.issuer}/token`, nonce: previous!, iat}),
    },
    body: `grant_type=client_credentials&audience=${encodeURIComponent(`${sandbox.issuer}/api/calendar`)}`,
  });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('dpop-nonce'), current);
  const {access_token: accessToken} = (await response.json()) as {access_token: string};
  const events = `${sandbox.issuer}/api/calendar/events`;
  const api = await sandbox.fetch(events, {
    headers: {
      authorization: `DPoP ${accessToken}`,
      dpop: await makeProof(key, {htm: 'GET', htu: events, accessToken, nonce: previous!, iat}),
    },
  });
  assert.equal(api.status, 200);
  assert.equal(api.headers.get('dpop-nonce'), current);
});
