/**
 * RFC 9449 end to end, with oauth4webapi as the client (its DPoP handles): DPoP tokens with and without a
 * server nonce, used at the demo APIs and UserInfo, and what a resource refuses (§7.1, §9): a wrong `htu`, a
 * replayed proof, a bound token sent as Bearer, a proof by another key.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {calculateJwkThumbprint, exportJWK} from 'jose';
import * as oauth from 'oauth4webapi';
import {DPOP_NONCE_ROTATION} from '../dpop';
import {makeProof, proofKey} from '../dpop-test-helpers';
import {authorizeWithPkce, clientAuthFor, createTestSandbox, loginWithPkce, type TestSandbox} from '../test-fixture';

const ALGS = 'algs="ES256 PS256 RS256"';

/** Signs in as alice with `clientId` and oauth4webapi, with a DPoP key, fetching a server nonce when asked for one. */
async function dpopLogin(sandbox: TestSandbox, clientId: string, scope = 'openid profile calendar:read') {
  const flow = await authorizeWithPkce(sandbox, {clientId, scope});
  const oauthClient: oauth.Client = {client_id: clientId};
  const keyPair = await oauth.generateKeyPair('ES256');
  // The proofs' iat follows the sandbox clock, which a test may move forward.
  const DPoP = oauth.DPoP(oauthClient, keyPair, {
    [oauth.modifyAssertion]: (_header, payload) => {
      payload.iat = Math.floor(sandbox.now() / 1000);
    },
  });
  const params = oauth.validateAuthResponse(sandbox.as, oauthClient, flow.outcome.callbackUrl!, flow.state);
  const exchange = async () =>
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
        {...sandbox.options, DPoP},
      ),
      {expectedNonce: flow.nonce},
    );
  let nonceRoundTrips = 0;
  let tokens: oauth.TokenEndpointResponse;
  try {
    tokens = await exchange();
  } catch (error) {
    // RFC 9449 §8: the documented way to handle a server nonce: retry once with the one the answer carried.
    if (!oauth.isDPoPNonceError(error)) throw error;
    nonceRoundTrips++;
    tokens = await exchange();
  }
  const jkt = await calculateJwkThumbprint(await exportJWK(keyPair.publicKey));
  return {oauthClient, DPoP, keyPair, tokens, jkt, nonceRoundTrips};
}

const EVENTS = (sandbox: TestSandbox) => new URL(`${sandbox.issuer}/api/calendar/events`);

/** A resource request with oauth4webapi; a refusal comes back as its WWW-Authenticate challenge and response. */
async function callApi(sandbox: TestSandbox, token: string, url: URL, DPoP?: oauth.DPoPHandle) {
  try {
    const response = await oauth.protectedResourceRequest(token, 'GET', url, new Headers(), null, {
      ...sandbox.options,
      ...(DPoP ? {DPoP} : {}),
    });
    return {status: response.status, response};
  } catch (error) {
    if (!(error instanceof oauth.WWWAuthenticateChallengeError)) throw error;
    return {
      status: error.status,
      response: error.response,
      challenge: error.cause[0]!,
      nonceError: oauth.isDPoPNonceError(error),
    };
  }
}

test('RFC 9449 §7.1: oauth4webapi gets a DPoP token without a nonce and uses it at the calendar API and UserInfo', async () => {
  const sandbox = await createTestSandbox();
  const {tokens, DPoP, oauthClient, nonceRoundTrips} = await dpopLogin(sandbox, 'spa-dpop');
  assert.equal(nonceRoundTrips, 0);
  assert.equal(tokens.token_type, 'dpop');
  const api = await callApi(sandbox, tokens.access_token, EVENTS(sandbox), DPoP);
  assert.equal(api.status, 200);
  const body = (await api.response.json()) as {caller: {client_id: string}};
  assert.equal(body.caller.client_id, 'spa-dpop');
  const userinfo = await oauth.processUserInfoResponse(
    sandbox.as,
    oauthClient,
    'user-alice',
    await oauth.userInfoRequest(sandbox.as, oauthClient, tokens.access_token, {...sandbox.options, DPoP}),
  );
  assert.equal(userinfo.name, 'Alice Liddell');
  // Each request has a proof of its own: the same call works again.
  assert.equal((await callApi(sandbox, tokens.access_token, EVENTS(sandbox), DPoP)).status, 200);
});

test('RFC 9449 §8, §9: with a server nonce: one round trip at the token endpoint, a new one at the API once it rotates', async () => {
  const sandbox = await createTestSandbox();
  const {tokens, DPoP, nonceRoundTrips} = await dpopLogin(sandbox, 'spa-dpop-nonce');
  assert.equal(nonceRoundTrips, 1);
  // The API shares the token endpoint's origin, so oauth4webapi's cached nonce is the one it wants.
  assert.equal((await callApi(sandbox, tokens.access_token, EVENTS(sandbox), DPoP)).status, 200);
  // Two rotations later the client's nonce is too old: 401 use_dpop_nonce with a new one (§9).
  sandbox.advance(2 * DPOP_NONCE_ROTATION);
  const stale = await callApi(sandbox, tokens.access_token, EVENTS(sandbox), DPoP);
  assert.equal(stale.status, 401);
  assert.equal(stale.nonceError, true);
  assert.equal(stale.challenge?.scheme, 'dpop');
  assert.ok(stale.response.headers.get('dpop-nonce'));
  assert.equal((await callApi(sandbox, tokens.access_token, EVENTS(sandbox), DPoP)).status, 200);
});

test('RFC 9449 §4.3, §7.1: a wrong htu, a replayed proof, Bearer use and a foreign key are refused with the DPoP challenge', async () => {
  const sandbox = await createTestSandbox();
  const {tokens, oauthClient, DPoP, keyPair} = await dpopLogin(sandbox, 'spa-dpop');
  const header = (result: {response: Response}) => result.response.headers.get('www-authenticate') ?? '';

  // A wrong htu: the proof, by the right key, names the contacts API; the request goes to the calendar API.
  const htuCheck = oauth.DPoP(oauthClient, keyPair, {
    [oauth.modifyAssertion]: (_header, payload) => {
      payload.htu = `${sandbox.issuer}/api/contacts/people`;
    },
  });
  const htu = await callApi(sandbox, tokens.access_token, EVENTS(sandbox), htuCheck);
  assert.equal(htu.status, 401);
  assert.match(header(htu), /^DPoP realm="calendar", error="invalid_dpop_proof", error_description="[^"]*htu/);
  assert.match(header(htu), new RegExp(ALGS));

  // A replayed proof: the request oauth4webapi sent, sent again as it was.
  let sent: Request | undefined;
  const recording = {
    [oauth.customFetch]: async (
      url: string,
      init: oauth.CustomFetchOptions<string, oauth.ProtectedResourceRequestBody>,
    ) => {
      sent = new Request(url, init as RequestInit);
      return sandbox.fetch(sent.clone());
    },
  };
  const first = await oauth.protectedResourceRequest(tokens.access_token, 'GET', EVENTS(sandbox), new Headers(), null, {
    ...recording,
    DPoP,
  });
  assert.equal(first.status, 200);
  const replay = await sandbox.fetch(sent!);
  assert.equal(replay.status, 401);
  assert.match(replay.headers.get('www-authenticate')!, /^DPoP .*error="invalid_dpop_proof".*already used/);

  // The bound token as a Bearer token.
  const bearer = await callApi(sandbox, tokens.access_token, EVENTS(sandbox));
  assert.equal(bearer.status, 401);
  assert.match(header(bearer), /^DPoP realm="calendar", error="invalid_token"/);
  assert.match(header(bearer), new RegExp(ALGS));
  const bearerUserinfo = await sandbox.fetch(`${sandbox.issuer}/userinfo`, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded'},
    body: `access_token=${tokens.access_token}`,
  });
  assert.equal(bearerUserinfo.status, 401);
  assert.match(bearerUserinfo.headers.get('www-authenticate')!, /^DPoP realm="userinfo", error="invalid_token"/);

  // A proof by another key than the one the token is bound to (a thief's).
  const thief = oauth.DPoP(oauthClient, await oauth.generateKeyPair('ES256'));
  const foreign = await callApi(sandbox, tokens.access_token, EVENTS(sandbox), thief);
  assert.equal(foreign.status, 401);
  assert.match(
    header(foreign),
    /^DPoP realm="calendar", error="invalid_dpop_proof", error_description="[^"]*another key/,
  );
});

test('RFC 9449 §7.1: the DPoP scheme without a proof, or with an unbound token, is refused; Bearer tokens still work', async () => {
  const sandbox = await createTestSandbox();
  const {tokens} = await dpopLogin(sandbox, 'spa-dpop');
  const noProof = await sandbox.fetch(EVENTS(sandbox), {headers: {authorization: `DPoP ${tokens.access_token}`}});
  assert.equal(noProof.status, 401);
  assert.match(noProof.headers.get('www-authenticate')!, /^DPoP .*error="invalid_dpop_proof"/);
  const {tokens: bearer} = await loginWithPkce(sandbox, {clientId: 'spa'});
  assert.equal(bearer.token_type, 'bearer');
  assert.equal((await callApi(sandbox, bearer.access_token, EVENTS(sandbox))).status, 200);
  const key = await proofKey();
  const unbound = await sandbox.fetch(EVENTS(sandbox), {
    headers: {
      authorization: `DPoP ${bearer.access_token}`,
      dpop: await makeProof(key, {htm: 'GET', htu: EVENTS(sandbox).href, accessToken: bearer.access_token}),
    },
  });
  assert.equal(unbound.status, 401);
  assert.match(unbound.headers.get('www-authenticate')!, /^DPoP .*error="invalid_token"/);
});

test('RFC 9449 §7.1: insufficient_scope for a DPoP token comes with the DPoP challenge', async () => {
  const sandbox = await createTestSandbox();
  const {tokens, DPoP} = await dpopLogin(sandbox, 'spa-dpop', 'openid calendar:read');
  const response = await oauth
    .protectedResourceRequest(
      tokens.access_token,
      'POST',
      EVENTS(sandbox),
      new Headers({'content-type': 'application/json'}),
      '{}',
      {...sandbox.options, DPoP},
    )
    .catch((error: unknown) => (error as oauth.WWWAuthenticateChallengeError).response);
  assert.equal(response.status, 403);
  assert.match(response.headers.get('www-authenticate')!, /^DPoP .*error="insufficient_scope".*scope="calendar:write"/);
});

test('RFC 9449 §6.2: introspection answers token_type DPoP and cnf for a bound token', async () => {
  const sandbox = await createTestSandbox();
  const {tokens, jkt} = await dpopLogin(sandbox, 'spa-dpop');
  const api = sandbox.client('calendar-api');
  const apiClient: oauth.Client = {client_id: api.client_id};
  const introspection = await oauth.processIntrospectionResponse(
    sandbox.as,
    apiClient,
    await oauth.introspectionRequest(sandbox.as, apiClient, clientAuthFor(api), tokens.access_token, sandbox.options),
  );
  assert.equal(introspection.active, true);
  assert.equal(introspection.token_type, 'DPoP');
  assert.deepEqual(introspection.cnf, {jkt});
});
