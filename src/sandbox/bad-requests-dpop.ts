/**
 * DPoP's bad requests (RFC 9449): proofs the token endpoint refuses with 400 (§4.3, §5, §8), and the protected
 * resources with 401 and a `DPoP` challenge (§7.1).
 */
import {CALENDAR, FORM, I, M2M, token, type Row} from './bad-requests-fixture';
import {handMadeJws, makeProof, proofKey, type ProofInput, type ProofKey} from './dpop-test-helpers';
import type {TestSandbox} from './test-fixture';

const CLIENT_CREDENTIALS = `grant_type=client_credentials&audience=${encodeURIComponent(CALENDAR)}`;
const EVENTS = `${CALENDAR}/events`;
const atToken = {htm: 'POST', htu: `${I}/token`};

/** A client_credentials request of m2m-cron carrying `proof`. */
const withProof = (proof: string, body = CLIENT_CREDENTIALS, headers: Record<string, string> = {authorization: M2M}) =>
  token(body, {...headers, dpop: proof});
const proofBy = async (input: Partial<ProofInput> = {}, key?: ProofKey) =>
  makeProof(key ?? (await proofKey()), {...atToken, ...input});

/** A DPoP-bound calendar token of m2m-cron (RFC 9449 §5) and the key it is bound to. */
async function boundToken(sandbox: TestSandbox): Promise<{accessToken: string; key: ProofKey}> {
  const key = await proofKey();
  const response = await sandbox.fetch(withProof(await proofBy({}, key)));
  return {accessToken: ((await response.json()) as {access_token: string}).access_token, key};
}

const DPOP_CHALLENGE = (error: string) =>
  new RegExp(`^DPoP realm="calendar", error="${error}".*algs="ES256 PS256 RS256"$`);

export const dpopRows: Row[] = [
  // The token endpoint, RFC 9449 §4.3 and §5
  {
    name: 'RFC 9449 §4.3 invalid_dpop_proof at /token: not a JWT',
    request: () => withProof('not-a-jwt'),
    status: 400,
    error: 'invalid_dpop_proof',
    where: 'json',
  },
  {
    name: 'RFC 9449 §4.3 invalid_dpop_proof at /token: two DPoP headers',
    request: async () => {
      const headers = new Headers({'content-type': FORM, authorization: M2M});
      headers.append('DPoP', await proofBy());
      headers.append('DPoP', await proofBy());
      return new Request(`${I}/token`, {method: 'POST', headers, body: CLIENT_CREDENTIALS});
    },
    status: 400,
    error: 'invalid_dpop_proof',
    where: 'json',
  },
  {
    name: 'RFC 9449 §4.3 invalid_dpop_proof at /token: typ JWT',
    request: async () => withProof(await proofBy({header: {typ: 'JWT'}})),
    status: 400,
    error: 'invalid_dpop_proof',
    where: 'json',
  },
  {
    name: 'RFC 9449 §4.3 invalid_dpop_proof at /token: alg none',
    request: async () =>
      withProof(handMadeJws({alg: 'none', typ: 'dpop+jwt', jwk: (await proofKey()).publicJwk}, atToken, '')),
    status: 400,
    error: 'invalid_dpop_proof',
    where: 'json',
  },
  {
    name: 'RFC 9449 §4.3 invalid_dpop_proof at /token: a private key in jwk',
    request: async () => {
      const key = await proofKey();
      return withProof(await proofBy({header: {jwk: {...key.publicJwk, d: 'AAAA'}}}, key));
    },
    status: 400,
    error: 'invalid_dpop_proof',
    where: 'json',
  },
  {
    name: 'RFC 9449 §4.3 invalid_dpop_proof at /token: htm GET',
    request: async () => withProof(await proofBy({htm: 'GET'})),
    status: 400,
    error: 'invalid_dpop_proof',
    where: 'json',
  },
  {
    name: 'RFC 9449 §4.3 invalid_dpop_proof at /token: htu of another endpoint',
    request: async () => withProof(await proofBy({htu: `${I}/revoke`})),
    status: 400,
    error: 'invalid_dpop_proof',
    where: 'json',
  },
  {
    name: 'RFC 9449 §4.3 invalid_dpop_proof at /token: an iat ten minutes old',
    request: async (sandbox) => withProof(await proofBy({iat: Math.floor(sandbox.now() / 1000) - 600})),
    status: 400,
    error: 'invalid_dpop_proof',
    where: 'json',
  },
  {
    name: 'RFC 9449 §8 use_dpop_nonce at /token: spa-dpop-nonce without the server nonce',
    request: async () =>
      withProof(await proofBy(), 'grant_type=authorization_code&client_id=spa-dpop-nonce&code=x&redirect_uri=x', {}),
    status: 400,
    error: 'use_dpop_nonce',
    where: 'json',
  },
  {
    name: 'RFC 9449 §5.2 invalid_request at /token: a dpop_bound_access_tokens client without a proof',
    request: () => token('grant_type=authorization_code&client_id=spa-dpop&code=x&redirect_uri=x', {}),
    status: 400,
    error: 'invalid_request',
    where: 'json',
  },
  // The protected resources, RFC 9449 §7.1
  {
    name: 'RFC 9449 §7.1 invalid_token: a DPoP-bound token sent as Bearer (with the DPoP challenge)',
    request: async (sandbox) =>
      new Request(EVENTS, {headers: {authorization: `Bearer ${(await boundToken(sandbox)).accessToken}`}}),
    status: 401,
    error: 'invalid_token',
    where: 'json',
    header: DPOP_CHALLENGE('invalid_token'),
  },
  {
    name: 'RFC 9449 §7.1 invalid_dpop_proof: the DPoP scheme without a proof',
    request: async (sandbox) =>
      new Request(EVENTS, {headers: {authorization: `DPoP ${(await boundToken(sandbox)).accessToken}`}}),
    status: 401,
    error: 'invalid_dpop_proof',
    where: 'json',
    header: DPOP_CHALLENGE('invalid_dpop_proof'),
  },
  {
    name: 'RFC 9449 §7.1 invalid_dpop_proof: a proof without ath',
    request: async (sandbox) => {
      const {accessToken, key} = await boundToken(sandbox);
      const proof = await makeProof(key, {htm: 'GET', htu: EVENTS});
      return new Request(EVENTS, {headers: {authorization: `DPoP ${accessToken}`, dpop: proof}});
    },
    status: 401,
    error: 'invalid_dpop_proof',
    where: 'json',
    header: DPOP_CHALLENGE('invalid_dpop_proof'),
  },
  {
    name: 'RFC 9449 §7.1 invalid_dpop_proof: a proof by another key than the token is bound to',
    request: async (sandbox) => {
      const {accessToken} = await boundToken(sandbox);
      const proof = await makeProof(await proofKey(), {htm: 'GET', htu: EVENTS, accessToken});
      return new Request(EVENTS, {headers: {authorization: `DPoP ${accessToken}`, dpop: proof}});
    },
    status: 401,
    error: 'invalid_dpop_proof',
    where: 'json',
    header: DPOP_CHALLENGE('invalid_dpop_proof'),
  },
  {
    name: 'RFC 9449 §7.1 invalid_token: the DPoP scheme with a token that is not bound',
    request: async (sandbox) => {
      const response = await sandbox.fetch(token(CLIENT_CREDENTIALS));
      const {access_token: accessToken} = (await response.json()) as {access_token: string};
      const proof = await makeProof(await proofKey(), {htm: 'GET', htu: EVENTS, accessToken});
      return new Request(EVENTS, {headers: {authorization: `DPoP ${accessToken}`, dpop: proof}});
    },
    status: 401,
    error: 'invalid_token',
    where: 'json',
    header: DPOP_CHALLENGE('invalid_token'),
  },
  {
    name: 'RFC 9449 §7.1 / RFC 6750 §3.1 invalid_request: a malformed DPoP Authorization header',
    request: () => new Request(EVENTS, {headers: {authorization: 'DPoP a b c'}}),
    status: 400,
    error: 'invalid_request',
    where: 'json',
    header: /^DPoP realm="calendar", error="invalid_request"/,
  },
];
