import assert from 'node:assert/strict';
import {test} from 'node:test';
import {buildCatalog} from '../catalog';
import {checkCodeChallenge, s256, verifyCodeVerifier} from './pkce';
import {matchRedirectUri} from './redirect-uri';
import {parseParams} from './params';

test('RFC 7636 Appendix B: the S256 challenge of the example verifier', async () => {
  assert.equal(
    await s256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'),
    'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  );
  await verifyCodeVerifier(
    'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
    'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  );
});

test('RFC 7636 §4.6: a verifier that does not hash to the challenge is invalid_grant', async () => {
  await assert.rejects(
    verifyCodeVerifier('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXX', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'),
    {code: 'invalid_grant'},
  );
  await assert.rejects(verifyCodeVerifier(undefined, 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'), {
    code: 'invalid_grant',
  });
});

test('RFC 9700 §2.1.1: a verifier for a code issued without a challenge is refused (downgrade)', async () => {
  await assert.rejects(verifyCodeVerifier('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', undefined), {
    code: 'invalid_grant',
  });
});

test('RFC 7636 §4.2 / RFC 9700 §2.1.1: challenges must be S256 and 43-128 unreserved characters', () => {
  assert.throws(() => checkCodeChallenge('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'plain'), {
    code: 'invalid_request',
  });
  assert.throws(
    () => checkCodeChallenge('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', undefined),
    {code: 'invalid_request'},
    'default method is plain',
  );
  assert.throws(() => checkCodeChallenge('short', 'S256'), {code: 'invalid_request'});
  assert.throws(() => checkCodeChallenge(`${'a'.repeat(42)}!`, 'S256'), {code: 'invalid_request'});
  assert.throws(() => checkCodeChallenge(undefined, undefined), {code: 'invalid_request'}, 'required of every client');
  checkCodeChallenge('a'.repeat(128), 'S256');
});

test('RFC 9700 §4.1.3 / RFC 8252 §7.3: redirect URIs match exactly, loopback on any port', () => {
  const catalog = buildCatalog('https://as.test/sandbox', 'https://docs.test/');
  const native = catalog.clients.find((client) => client.client_id === 'native-app')!;
  assert.equal(matchRedirectUri(native, 'http://127.0.0.1:8080/callback'), 'http://127.0.0.1:8080/callback');
  assert.equal(matchRedirectUri(native, 'http://127.0.0.1/callback'), 'http://127.0.0.1/callback');
  assert.equal(matchRedirectUri(native, 'http://127.0.0.1:8080/callback/'), undefined);
  assert.equal(matchRedirectUri(native, 'http://127.0.0.1:8080/callback#x'), undefined);
  assert.equal(matchRedirectUri(native, 'http://user@127.0.0.1:8080/callback'), undefined);
  assert.equal(matchRedirectUri(native, 'https://127.0.0.1:8080/callback'), undefined);
  assert.equal(matchRedirectUri(native, 'http://127.0.0.01:8080/callback'), undefined);
  const spa = catalog.clients.find((client) => client.client_id === 'spa')!;
  assert.equal(
    matchRedirectUri(spa, 'https://docs.test/flows/authorization-code-pkce'),
    'https://docs.test/flows/authorization-code-pkce',
  );
  assert.equal(matchRedirectUri(spa, 'https://DOCS.test/flows/authorization-code-pkce'), undefined);
  assert.equal(matchRedirectUri(spa, 'http://127.0.0.1:8080/callback'), undefined);
});

test('RFC 6749 §3.1: empty parameters count as omitted, repeated ones are recorded', () => {
  const params = parseParams(new URLSearchParams('a=1&b=&a=2&c=3'));
  assert.equal(params.values.get('a'), '1');
  assert.equal(params.values.has('b'), false);
  assert.deepEqual([...params.repeated], ['a']);
  assert.throws(() => parseParams(new URLSearchParams({x: 'y'.repeat(5000)})), {code: 'invalid_request'});
});
