import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {providerFromQuery, providerQuery, ProviderSettingsError, resolveProvider, sameProvider} from './provider';

const query = (text: string) => new URLSearchParams(text);

describe('provider settings from the page query', () => {
  it('is the sandbox without an issuer', () => {
    assert.equal(providerFromQuery(query('')), undefined);
    assert.equal(providerFromQuery(query('client_id=spa')), undefined);
  });

  it('reads issuer, client_id, audience and scope', () => {
    assert.deepEqual(
      providerFromQuery(
        query('issuer=https://tenant.example/&client_id=abc&audience=https://api.example&scope=openid%20%20email'),
      ),
      {
        issuer: 'https://tenant.example/',
        clientId: 'abc',
        audience: 'https://api.example',
        scope: 'openid email',
      },
    );
  });

  it('accepts plain http for a loopback issuer only (RFC 6749 §3.1, §3.2)', () => {
    assert.equal(
      providerFromQuery(query('issuer=http://localhost:8080/realms/dev&client_id=a'))?.issuer,
      'http://localhost:8080/realms/dev',
    );
    assert.equal(providerFromQuery(query('issuer=http://127.0.0.1:9000&client_id=a'))?.issuer, 'http://127.0.0.1:9000');
    assert.throws(() => providerFromQuery(query('issuer=http://tenant.example&client_id=a')), ProviderSettingsError);
    assert.throws(() => providerFromQuery(query('issuer=javascript:alert(1)&client_id=a')), ProviderSettingsError);
  });

  it('refuses an issuer with a query or fragment (RFC 8414 §2), a non-URL, or no client_id', () => {
    assert.throws(
      () => providerFromQuery(query('issuer=https://tenant.example/?x=1&client_id=a')),
      /no query or fragment/,
    );
    assert.throws(() => providerFromQuery(query('issuer=tenant.example&client_id=a')), /not a URL/);
    assert.throws(() => providerFromQuery(query('issuer=https://tenant.example')), /client_id is needed/);
  });

  it('writes back the query it reads', () => {
    const settings = {
      issuer: 'https://tenant.example/',
      clientId: 'abc',
      audience: 'https://api.example',
      scope: 'openid email',
    };
    assert.deepEqual(providerFromQuery(query(providerQuery(settings))), settings);
    assert.ok(sameProvider(settings, {...settings}));
    assert.ok(!sameProvider(settings, {...settings, clientId: 'other'}));
    assert.ok(!sameProvider(settings, undefined));
  });
});

describe('which provider a page load runs against', () => {
  const saved = {issuer: 'https://tenant.example', clientId: 'abc'};

  it('keeps the saved provider for the response to a request this tab is waiting for (RFC 6749 §4.1.2)', () => {
    assert.deepEqual(
      resolveProvider(query('code=c&state=s&iss=https://tenant.example'), {provider: saved, awaitingReturn: 3}),
      saved,
    );
    assert.deepEqual(
      resolveProvider(query('error=access_denied&state=s'), {provider: saved, awaitingReturn: 3}),
      saved,
    );
  });

  it('runs the sandbox on a bare page, even with a provider saved', () => {
    assert.equal(resolveProvider(query(''), {provider: saved}), undefined);
    assert.equal(resolveProvider(query('code=c&state=s'), {provider: saved}), undefined, 'nothing was awaited');
  });

  it('lets the query win over saved settings', () => {
    assert.deepEqual(
      resolveProvider(query('issuer=https://other.example&client_id=x'), {provider: saved, awaitingReturn: 3}),
      {
        issuer: 'https://other.example',
        clientId: 'x',
      },
    );
  });
});
