/**
 * RFC 9449 over real HTTP, as `npm run sandbox` serves it: an independent client (oauth4webapi with its own
 * fetch) gets DPoP tokens with and without a server nonce and uses them; CORS lets a page send proofs and
 * read the nonce.
 */
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import * as oauth from 'oauth4webapi';
import {startNodeSandbox, type NodeSandbox} from './node';
import {createTestBrowser} from './testing';

const DOCS = 'http://localhost:3000';
let sandbox: NodeSandbox;
let as: oauth.AuthorizationServer;
const insecure = {[oauth.allowInsecureRequests]: true} as const;

before(async () => {
  sandbox = await startNodeSandbox({port: 0});
  const issuer = new URL(sandbox.issuer);
  as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
});
after(() => sandbox.close());

async function dpopLogin(clientId: string) {
  const browser = createTestBrowser((request) => fetch(request), sandbox.issuer);
  const oauthClient: oauth.Client = {client_id: clientId};
  const redirectUri = `${DOCS}/flows/authorization-code-pkce`;
  const verifier = oauth.generateRandomCodeVerifier();
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: 'openid calendar:read',
    audience: `${sandbox.issuer}/api/calendar`,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  }).toString();
  const outcome = await browser.authorize(url, {username: 'alice', password: 'wonderland-42'});
  const params = oauth.validateAuthResponse(as, oauthClient, outcome.callbackUrl!);
  const DPoP = oauth.DPoP(oauthClient, await oauth.generateKeyPair('ES256'));
  const exchange = async () =>
    oauth.processAuthorizationCodeResponse(
      as,
      oauthClient,
      await oauth.authorizationCodeGrantRequest(as, oauthClient, oauth.None(), params, redirectUri, verifier, {
        ...insecure,
        DPoP,
      }),
    );
  let nonceRoundTrips = 0;
  try {
    return {tokens: await exchange(), DPoP, nonceRoundTrips};
  } catch (error) {
    if (!oauth.isDPoPNonceError(error)) throw error;
    nonceRoundTrips++;
    return {tokens: await exchange(), DPoP, nonceRoundTrips};
  }
}

for (const [clientId, roundTrips] of [
  ['spa-dpop', 0],
  ['spa-dpop-nonce', 1],
] as const) {
  test(`Node transport: ${clientId} gets a DPoP token (${roundTrips} nonce round trips) and calls the API with it`, async () => {
    const {tokens, DPoP, nonceRoundTrips} = await dpopLogin(clientId);
    assert.equal(nonceRoundTrips, roundTrips);
    assert.equal(tokens.token_type, 'dpop');
    const events = new URL(`${sandbox.issuer}/api/calendar/events`);
    const response = await oauth.protectedResourceRequest(tokens.access_token, 'GET', events, new Headers(), null, {
      ...insecure,
      DPoP,
    });
    assert.equal(response.status, 200);
    const asBearer = await fetch(events, {headers: {authorization: `Bearer ${tokens.access_token}`}});
    assert.equal(asBearer.status, 401);
    assert.match(asBearer.headers.get('www-authenticate')!, /^DPoP .*error="invalid_token"/);
  });
}

test('Node transport: CORS lets a page send the DPoP header and read DPoP-Nonce', async () => {
  const preflight = await fetch(`${sandbox.issuer}/token`, {
    method: 'OPTIONS',
    headers: {origin: DOCS, 'access-control-request-method': 'POST', 'access-control-request-headers': 'dpop'},
  });
  assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /DPoP/);
  const nonceError = await fetch(`${sandbox.issuer}/token`, {
    method: 'POST',
    headers: {origin: DOCS, 'content-type': 'application/x-www-form-urlencoded', dpop: 'not-a-proof'},
    body: 'grant_type=authorization_code&client_id=spa-dpop-nonce&code=x&redirect_uri=x',
  });
  assert.equal(nonceError.status, 400);
  assert.match(nonceError.headers.get('access-control-expose-headers') ?? '', /DPoP-Nonce/);
});
