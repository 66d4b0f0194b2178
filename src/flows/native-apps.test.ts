import {describe, it, before} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import * as jose from 'jose';
import * as oauth from 'oauth4webapi';
import {createSandbox, createMemoryStore, type Catalog} from '../sandbox/app';
import {createTestBrowser, TEST_ISSUER} from '../sandbox/testing';
import {
  buildAuthorizationUrl,
  createAuthorizationSecrets,
  discover,
  exchangeCode,
  loopbackRedirectUri,
  refresh,
  validateCallback,
  type NativeAppConfig,
} from './native-apps';

/** A port the OS might hand a loopback listener; the sandbox accepts any (RFC 8252 §7.3). */
function randomPort(): number {
  return 49152 + Math.floor(Math.random() * 16000);
}

/** A fresh sandbox at `issuer`, the native app's configuration from its catalog, and a browser to sign in with. */
async function setUp(issuer = TEST_ISSUER) {
  const app = createSandbox({issuer, store: createMemoryStore()});
  const appFetch = async (url: string, init: RequestInit) => app.fetch(new Request(url, init));
  const catalog = (await (await appFetch(`${issuer}/catalog`, {})).json()) as Catalog;
  const client = catalog.clients.find((candidate) => candidate.guide_case === 'native-app')!;
  const calendar = catalog.apis.find((api) => api.id === 'calendar')!;
  const config: NativeAppConfig = {
    issuer,
    clientId: client.client_id,
    redirectUri: loopbackRedirectUri(randomPort()),
    scope: 'openid profile offline_access calendar:read',
    audience: calendar.identifier,
    fetch: appFetch,
  };
  const testBrowser = createTestBrowser(async (request) => app.fetch(request), issuer);
  const alice = catalog.users.find((user) => user.username === 'alice')!;
  /** Signs in through the sandbox's real pages and returns the URL it sends the browser back to. */
  async function signIn(url: URL, decision: 'allow' | 'deny' = 'allow'): Promise<URL> {
    const outcome = await testBrowser.authorize(url, {
      username: alice.username,
      password: alice.password,
      consent: decision,
    });
    if (!outcome.callbackUrl) throw new Error(`the sandbox answered ${outcome.response.status} instead of redirecting`);
    return outcome.callbackUrl;
  }
  return {app, appFetch, catalog, client, config, calendar, alice, signIn};
}

describe('RFC 8252 §7.3 / §8.3: the loopback redirect URI', () => {
  it("uses the IP literal 127.0.0.1 and plain http, with the listener's port", () => {
    assert.equal(loopbackRedirectUri(51004), 'http://127.0.0.1:51004/callback');
    assert.equal(loopbackRedirectUri(8080, '/oauth'), 'http://127.0.0.1:8080/oauth');
  });
});

describe('RFC 6749 §4.1.1 / RFC 7636 §4.3: the authorization request', () => {
  it('carries every parameter of the code flow with PKCE, the loopback redirect and the resource', async () => {
    const {config} = await setUp();
    const as = await discover(config);
    const secrets = await createAuthorizationSecrets();
    const url = buildAuthorizationUrl(as, config, secrets);
    const params = url.searchParams;
    assert.equal(`${url.origin}${url.pathname}`, `${TEST_ISSUER}/authorize`);
    assert.equal(params.get('response_type'), 'code');
    assert.equal(params.get('client_id'), 'native-app');
    assert.equal(params.get('redirect_uri'), config.redirectUri);
    assert.equal(params.get('scope'), config.scope);
    assert.equal(params.get('state'), secrets.state);
    assert.equal(params.get('nonce'), secrets.nonce);
    assert.equal(params.get('code_challenge'), secrets.pkce.challenge);
    assert.equal(params.get('code_challenge_method'), 'S256');
    assert.equal(params.get('resource'), config.audience);
    assert.equal(params.has('code_verifier'), false, 'the verifier never travels in the URL');
  });

  it('RFC 7636 §4.1-4.2: a fresh 43-character verifier and its S256 challenge each time', async () => {
    const [first, second] = await Promise.all([createAuthorizationSecrets(), createAuthorizationSecrets()]);
    assert.match(first.pkce.verifier, /^[A-Za-z0-9\-._~]{43,128}$/);
    assert.equal(first.pkce.challenge, await oauth.calculatePKCECodeChallenge(first.pkce.verifier));
    assert.notEqual(first.pkce.verifier, second.pkce.verifier);
    assert.notEqual(first.state, second.state);
    assert.notEqual(first.nonce, second.nonce);
  });

  it('builds the same URL from the same secrets (no hidden randomness)', async () => {
    const {config} = await setUp();
    const as = await discover(config);
    const secrets = {...(await createAuthorizationSecrets()), state: 'fixed-state', nonce: 'fixed-nonce'};
    assert.equal(buildAuthorizationUrl(as, config, secrets).href, buildAuthorizationUrl(as, config, secrets).href);
  });
});

describe('plain HTTP, only to this machine', () => {
  it('RFC 6749 §3.1: refuses an http issuer unless allowed', async () => {
    const {config} = await setUp('http://127.0.0.1:4000/sandbox');
    await assert.rejects(discover(config), (error: Error & {code?: string}) => {
      assert.equal(error.code, oauth.HTTP_REQUEST_FORBIDDEN);
      return true;
    });
  });

  it('allows an http issuer on the loopback interface when asked', async () => {
    for (const issuer of [
      'http://127.0.0.1:4000/sandbox',
      'http://localhost:4000/sandbox',
      'http://[::1]:4000/sandbox',
    ]) {
      const {config} = await setUp(issuer);
      const as = await discover({...config, allowInsecureRequests: true});
      assert.equal(as.issuer, issuer);
    }
  });

  it('still refuses an http issuer on another host, even when asked', async () => {
    const {config} = await setUp('http://sandbox.test/sandbox');
    await assert.rejects(discover({...config, allowInsecureRequests: true}), (error: Error & {code?: string}) => {
      assert.equal(error.code, oauth.HTTP_REQUEST_FORBIDDEN);
      assert.match(error.message, /sandbox\.test/);
      return true;
    });
  });
});

describe("the native app's code flow with a loopback redirect, against the sandbox", () => {
  let context: Awaited<ReturnType<typeof setUp>>;
  let as: oauth.AuthorizationServer;
  let tokens: oauth.TokenEndpointResponse;
  let secrets: Awaited<ReturnType<typeof createAuthorizationSecrets>>;
  let callback: URL;

  before(async () => {
    context = await setUp();
    as = await discover(context.config);
    secrets = await createAuthorizationSecrets();
    callback = await context.signIn(buildAuthorizationUrl(as, context.config, secrets));
    const parameters = validateCallback(as, context.config, callback, secrets.state);
    tokens = await exchangeCode(as, context.config, parameters, secrets);
  });

  it('RFC 8252 §7.3: the browser comes back to the loopback listener, port included, with code, state and iss', () => {
    assert.equal(`${callback.origin}${callback.pathname}`, context.config.redirectUri);
    assert.ok(callback.searchParams.get('code'));
    assert.equal(callback.searchParams.get('state'), secrets.state);
    assert.equal(callback.searchParams.get('iss'), TEST_ISSUER);
  });

  it('issues a bearer access token, an ID token and a refresh token, with no client secret', () => {
    assert.equal(tokens.token_type, 'bearer');
    assert.ok(tokens.id_token);
    assert.ok(tokens.refresh_token);
    assert.equal(tokens.scope, context.config.scope);
  });

  it('OIDC Core §3.1.3.7: the ID token names alice, this client and the nonce', () => {
    const claims = oauth.getValidatedIdTokenClaims(tokens)!;
    assert.equal(claims.sub, context.alice.sub);
    assert.equal(claims.name, context.alice.name);
    assert.equal(claims.aud, 'native-app');
    assert.equal(claims.nonce, secrets.nonce);
  });

  it('RFC 9068 §2 / RFC 8707: the access token is an at+jwt for the calendar API', async () => {
    const jwks = jose.createLocalJWKSet(
      (await (await context.appFetch(as.jwks_uri!, {})).json()) as jose.JSONWebKeySet,
    );
    const {payload} = await jose.jwtVerify(tokens.access_token, jwks, {
      issuer: TEST_ISSUER,
      audience: context.calendar.identifier,
      typ: 'at+jwt',
    });
    assert.equal(payload.client_id, 'native-app');
    assert.match(String(payload.scope), /\bcalendar:read\b/);
  });

  it('RFC 9700 §4.14.2: refreshing rotates the refresh token, and the old one is refused with invalid_grant', async () => {
    const refreshed = await refresh(as, context.config, tokens.refresh_token!);
    assert.ok(refreshed.access_token);
    assert.ok(refreshed.refresh_token);
    assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
    await assert.rejects(refresh(as, context.config, tokens.refresh_token!), (error: unknown) => {
      assert.ok(error instanceof oauth.ResponseBodyError);
      assert.equal(error.error, 'invalid_grant');
      return true;
    });
  });
});

describe('what the native app refuses and the server refuses', () => {
  async function signedIn(decision: 'allow' | 'deny' = 'allow') {
    const context = await setUp();
    const as = await discover(context.config);
    const secrets = await createAuthorizationSecrets();
    const callback = await context.signIn(buildAuthorizationUrl(as, context.config, secrets), decision);
    return {...context, as, secrets, callback};
  }

  it('RFC 6749 §4.1.2.1: a denied consent comes back to the listener as access_denied', async () => {
    const {as, config, secrets, callback} = await signedIn('deny');
    assert.equal(`${callback.origin}${callback.pathname}`, config.redirectUri);
    assert.throws(
      () => validateCallback(as, config, callback, secrets.state),
      (error: unknown) => {
        assert.ok(error instanceof oauth.AuthorizationResponseError);
        assert.equal(error.error, 'access_denied');
        return true;
      },
    );
  });

  it('RFC 8252 §8.9: a response with another state is rejected before any token request', async () => {
    const {as, config, callback} = await signedIn();
    assert.throws(
      () => validateCallback(as, config, callback, 'a-state-this-app-never-sent'),
      (error: Error & {code?: string}) => {
        assert.equal(error.code, oauth.INVALID_RESPONSE);
        assert.match(error.message, /unexpected "state"/);
        return true;
      },
    );
  });

  it('RFC 9207 §2.4: a response naming another issuer is rejected', async () => {
    const {as, config, secrets, callback} = await signedIn();
    callback.searchParams.set('iss', 'https://attacker.test/sandbox');
    assert.throws(
      () => validateCallback(as, config, callback.searchParams, secrets.state),
      (error: Error & {code?: string}) => {
        assert.equal(error.code, oauth.INVALID_RESPONSE);
        assert.match(error.message, /unexpected "iss"/);
        return true;
      },
    );
  });

  it('RFC 8252 §8.1 / RFC 7636 §4.6: a code intercepted by another app is useless without the verifier', async () => {
    const {as, config, secrets, callback} = await signedIn();
    const parameters = validateCallback(as, config, callback, secrets.state);
    const attacker = await createAuthorizationSecrets();
    await assert.rejects(
      exchangeCode(as, config, parameters, {pkce: attacker.pkce, nonce: secrets.nonce}),
      (error: unknown) => {
        assert.ok(error instanceof oauth.ResponseBodyError);
        assert.equal(error.error, 'invalid_grant');
        return true;
      },
    );
  });

  it('RFC 6749 §4.1.3: the code is redeemed only with the redirect URI it was issued for, port included', async () => {
    const {as, config, secrets, callback} = await signedIn();
    const parameters = validateCallback(as, config, callback, secrets.state);
    const otherPort = {...config, redirectUri: loopbackRedirectUri(Number(new URL(config.redirectUri).port) + 1)};
    await assert.rejects(exchangeCode(as, otherPort, parameters, secrets), (error: unknown) => {
      assert.ok(error instanceof oauth.ResponseBodyError);
      assert.equal(error.error, 'invalid_grant');
      return true;
    });
  });

  it('RFC 6749 §4.1.2: a code works once', async () => {
    const {as, config, secrets, callback} = await signedIn();
    const parameters = validateCallback(as, config, callback, secrets.state);
    await exchangeCode(as, config, parameters, secrets);
    await assert.rejects(exchangeCode(as, config, parameters, secrets), (error: unknown) => {
      assert.ok(error instanceof oauth.ResponseBodyError);
      assert.equal(error.error, 'invalid_grant');
      return true;
    });
  });
});

describe('RFC 8252 §7.1: a private-use URI scheme redirect', () => {
  it('comes back to com.example.oauthflows:/callback and is exchanged the same way', async () => {
    const context = await setUp();
    const config = {...context.config, redirectUri: 'com.example.oauthflows:/callback'};
    const as = await discover(config);
    const secrets = await createAuthorizationSecrets();
    const callback = await context.signIn(buildAuthorizationUrl(as, config, secrets));
    assert.equal(callback.protocol, 'com.example.oauthflows:');
    const tokens = await exchangeCode(as, config, validateCallback(as, config, callback, secrets.state), secrets);
    assert.equal(oauth.getValidatedIdTokenClaims(tokens)!.sub, context.alice.sub);
  });
});

describe('runs anywhere: web-standard APIs only', () => {
  it('imports nothing but oauth4webapi (no Node built-ins, no DOM-only modules)', () => {
    const source = readFileSync(new URL('./native-apps.ts', import.meta.url), 'utf8');
    const imports = [...source.matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((match) => match[1]);
    assert.deepEqual(imports, ['oauth4webapi']);
    const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    const platformOnly = code.match(/\b(window|document|localStorage|sessionStorage|process|Buffer|require)\b/g) ?? [];
    assert.deepEqual(platformOnly, []);
  });
});
