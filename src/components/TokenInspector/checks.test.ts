import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import * as jose from 'jose';
import {checkAtHash, checkClaims, checkSignature, computeAtHash, decodeToken, describeTime, type Check} from './checks';

const ISSUER = 'https://as.test';
const NOW = 1_750_000_000;

function leftHalfBase64url(algorithm: string, text: string): string {
  const digest = createHash(algorithm).update(text, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

async function signed(header: jose.JWTHeaderParameters, claims: jose.JWTPayload) {
  const {privateKey, publicKey} = await jose.generateKeyPair('ES256');
  const token = await new jose.SignJWT(claims).setProtectedHeader(header).sign(privateKey);
  const jwk = {...(await jose.exportJWK(publicKey)), kid: header.kid, alg: 'ES256'};
  return {token, jwks: {keys: [jwk]}};
}

function byId(checks: Check[]) {
  return Object.fromEntries(checks.map((check) => [check.id, check.status]));
}

describe('OIDC Core §3.1.3.6: at_hash', () => {
  it('is the base64url left half of the SHA-256 of the access token for *256 algorithms', async () => {
    const accessToken = 'jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y';
    assert.equal(await computeAtHash(accessToken, 'RS256'), leftHalfBase64url('sha256', accessToken));
    assert.equal(await computeAtHash(accessToken, 'ES384'), leftHalfBase64url('sha384', accessToken));
    assert.equal((await computeAtHash(accessToken, 'PS512')).length, 43);
  });

  it('passes for the matching access token and fails for another', async () => {
    const decoded = {header: {alg: 'ES256'}, claims: {at_hash: leftHalfBase64url('sha256', 'the-token')}};
    assert.equal((await checkAtHash(decoded, 'the-token')).status, 'passed');
    assert.equal((await checkAtHash(decoded, 'another-token')).status, 'failed');
    assert.equal((await checkAtHash({header: {alg: 'ES256'}, claims: {}}, 'the-token')).status, 'skipped');
  });
});

describe('claim checks', () => {
  const idToken = {
    header: {alg: 'ES256', typ: 'JWT'},
    claims: {iss: ISSUER, aud: 'spa', sub: 'user-alice', nonce: 'n-1', iat: NOW - 5, exp: NOW + 600},
  };

  it('passes a well-formed ID token', () => {
    const checks = checkClaims(
      'id_token',
      idToken,
      {issuer: ISSUER, audience: 'spa', clientId: 'spa', nonce: 'n-1'},
      NOW,
    );
    assert.deepEqual(byId(checks), {
      typ: 'passed',
      iss: 'passed',
      aud: 'passed',
      exp: 'passed',
      iat: 'passed',
      nonce: 'passed',
    });
  });

  it('fails each claim that does not match, with a reason', () => {
    const checks = checkClaims(
      'id_token',
      {
        header: {alg: 'ES256', typ: 'at+jwt'},
        claims: {
          ...idToken.claims,
          iss: 'https://evil.test',
          aud: ['spa', 'other'],
          nonce: 'n-2',
          exp: NOW - 600,
          iat: NOW + 600,
        },
      },
      {issuer: ISSUER, audience: 'spa', clientId: 'spa', nonce: 'n-1'},
      NOW,
    );
    assert.deepEqual(byId(checks), {
      typ: 'failed',
      iss: 'failed',
      aud: 'passed',
      exp: 'failed',
      iat: 'failed',
      nonce: 'failed',
      azp: 'failed',
    });
    assert.match(checks.find((check) => check.id === 'iss')!.reason, /evil\.test/);
  });

  it('OIDC Core §3.1.3.7 items 9-10: allows five minutes of clock difference, and says so when it is used', () => {
    const expected = {issuer: ISSUER, audience: 'spa', clientId: 'spa', nonce: 'n-1'};
    // This device's clock two minutes behind the issuer's: the token was issued "in the future".
    const behind = checkClaims('id_token', {...idToken, claims: {...idToken.claims, iat: NOW + 120}}, expected, NOW);
    const iat = behind.find((check) => check.id === 'iat')!;
    assert.equal(iat.status, 'passed');
    assert.match(iat.reason, /120 s in the future by this device's clock: the clocks differ/);
    // Two minutes past exp by this clock: still allowed, with the same kind of note.
    const late = checkClaims('id_token', {...idToken, claims: {...idToken.claims, exp: NOW - 120}}, expected, NOW).find(
      (check) => check.id === 'exp',
    )!;
    assert.equal(late.status, 'passed');
    assert.match(late.reason, /within the 300 s allowed/);
    // An hour off is not a clock difference a client tolerates.
    const farAhead = checkClaims(
      'id_token',
      {...idToken, claims: {...idToken.claims, iat: NOW + 3600}},
      expected,
      NOW,
    ).find((check) => check.id === 'iat')!;
    assert.equal(farAhead.status, 'failed');
    assert.match(farAhead.reason, /Set the clock right/);
  });

  it('RFC 9068: an access token must be typed at+jwt and name the API and the client', () => {
    const accessToken = {
      header: {alg: 'ES256', typ: 'at+jwt'},
      claims: {iss: ISSUER, aud: 'https://api.test', client_id: 'spa', iat: NOW, exp: NOW + 60},
    };
    const expected = {issuer: ISSUER, audience: 'https://api.test', clientId: 'spa'};
    assert.deepEqual(byId(checkClaims('access_token', accessToken, expected, NOW)), {
      typ: 'passed',
      iss: 'passed',
      aud: 'passed',
      exp: 'passed',
      iat: 'passed',
      client_id: 'passed',
    });
    const idTokenAsAccessToken = {header: {alg: 'ES256', typ: 'JWT'}, claims: {...accessToken.claims, aud: 'spa'}};
    const verdicts = byId(checkClaims('access_token', idTokenAsAccessToken, expected, NOW));
    assert.equal(verdicts.typ, 'failed');
    assert.equal(verdicts.aud, 'failed');
  });
});

describe('signature', () => {
  it('verifies with the issuer key set and fails with another', async () => {
    const {token, jwks} = await signed({alg: 'ES256', kid: 'k1'}, {iss: ISSUER});
    assert.equal((await checkSignature(token, jwks)).status, 'passed');
    const other = await signed({alg: 'ES256', kid: 'k1'}, {iss: ISSUER});
    const verdict = await checkSignature(token, other.jwks);
    assert.equal(verdict.status, 'failed');
    assert.match(verdict.reason, /signature/i);
  });
});

describe('decoding and times', () => {
  it('labels non-JWTs as opaque (undefined)', () => {
    assert.equal(decodeToken('an-opaque-refresh-token'), undefined);
    assert.equal(decodeToken('a.b.c'), undefined);
  });

  it('describes times relative to now and in ISO 8601', () => {
    assert.deepEqual(describeTime(NOW + 540, NOW * 1000), {
      iso: new Date((NOW + 540) * 1000).toISOString(),
      relative: 'in 9 minutes',
    });
    assert.equal(describeTime(NOW - 3, NOW * 1000).relative, '3 seconds ago');
    assert.equal(describeTime(NOW + 2 * 86400, NOW * 1000).relative, 'in 2 days');
  });
});
