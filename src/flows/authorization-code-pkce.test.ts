import {describe, it, before} from 'node:test';
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import * as jose from 'jose';
import * as oauth from 'oauth4webapi';
import {createSandbox, createMemoryStore, type Catalog} from '../sandbox/app';
import {
  beginAuthorization,
  buildAuthorizationUrl,
  callApi,
  completeAuthorization,
  createPkce,
  discover,
  exchangeCode,
  fetchUserInfo,
  refresh,
  validateCallback,
  type SpaConfig,
} from './authorization-code-pkce';
import {createTestBrowser} from '../sandbox/testing';

const ISSUER = 'https://sandbox.test/sandbox';

/** A fresh sandbox, the SPA's configuration from its catalog, and a browser to sign in with. */
async function setUp() {
  const app = createSandbox({issuer: ISSUER, store: createMemoryStore()});
  const appFetch = async (url: string, init: RequestInit) => app.fetch(new Request(url, init));
  const catalog = (await (await appFetch(`${ISSUER}/catalog`, {})).json()) as Catalog;
  const client = catalog.clients.find((candidate) => candidate.guide_case === 'single-page-app')!;
  const calendar = catalog.apis.find((api) => api.id === 'calendar')!;
  const config: SpaConfig = {
    issuer: ISSUER,
    clientId: client.client_id,
    redirectUri: client.redirect_uris[0],
    scope: 'openid profile offline_access calendar:read',
    audience: calendar.identifier,
    fetch: appFetch,
  };
  const testBrowser = createTestBrowser(async (request) => app.fetch(request), ISSUER);
  const browser = {
    /** Signs in through the sandbox's real pages and returns the URL it sends the browser back to. */
    async signIn(
      url: string | URL,
      user: {username: string; password: string},
      options: {decision?: 'allow' | 'deny'} = {},
    ) {
      const outcome = await testBrowser.authorize(url, {...user, consent: options.decision ?? 'allow'});
      if (!outcome.callbackUrl)
        throw new Error(`the sandbox answered ${outcome.response.status} instead of redirecting`);
      return outcome.callbackUrl;
    },
  };
  const alice = catalog.users.find((user) => user.username === 'alice')!;
  return {app, appFetch, catalog, config, calendar, browser, alice};
}

function base64url(bytes: Buffer): string {
  return bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

describe('RFC 7636: PKCE values', () => {
  it('§4.1-4.2: a 43-character verifier and its S256 challenge', async () => {
    const pkce = await createPkce();
    assert.match(pkce.verifier, /^[A-Za-z0-9\-._~]{43,128}$/);
    assert.equal(pkce.method, 'S256');
    assert.equal(pkce.challenge, base64url(createHash('sha256').update(pkce.verifier, 'ascii').digest()));
  });

  it("Appendix B: the spec's verifier gives the spec's challenge", async () => {
    assert.equal(
      await oauth.calculatePKCECodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'),
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('every call makes a new verifier', async () => {
    const [first, second] = await Promise.all([createPkce(), createPkce()]);
    assert.notEqual(first.verifier, second.verifier);
  });
});

describe('RFC 6749 §4.1.1 / RFC 7636 §4.3: the authorization request', () => {
  it('carries every parameter of the code flow with PKCE and the resource', async () => {
    const {config} = await setUp();
    const as = await discover(config);
    const request = await beginAuthorization(as, config);
    const params = request.url.searchParams;
    assert.equal(`${request.url.origin}${request.url.pathname}`, `${ISSUER}/authorize`);
    assert.equal(params.get('response_type'), 'code');
    assert.equal(params.get('client_id'), config.clientId);
    assert.equal(params.get('redirect_uri'), config.redirectUri);
    assert.equal(params.get('scope'), config.scope);
    assert.equal(params.get('state'), request.state);
    assert.equal(params.get('nonce'), request.nonce);
    assert.equal(params.get('code_challenge'), request.pkce.challenge);
    assert.equal(params.get('code_challenge_method'), 'S256');
    assert.equal(params.get('resource'), config.audience);
    assert.equal(params.has('code_verifier'), false, 'the verifier never travels in the URL');
  });

  it('refuses plain-HTTP issuers unless allowed for local development', async () => {
    const {config} = await setUp();
    await assert.rejects(
      discover({...config, issuer: 'http://localhost:4000/sandbox'}),
      (error: Error & {code?: string}) => {
        assert.equal(error.code, oauth.HTTP_REQUEST_FORBIDDEN);
        return true;
      },
    );
  });
});

describe('Authorization Code flow with PKCE against the sandbox', () => {
  let context: Awaited<ReturnType<typeof setUp>>;
  let as: oauth.AuthorizationServer;
  let tokens: oauth.TokenEndpointResponse;
  let nonce: string;

  before(async () => {
    context = await setUp();
    as = await discover(context.config);
    const request = await beginAuthorization(as, context.config);
    nonce = request.nonce;
    const callback = await context.browser.signIn(request.url, context.alice);
    assert.equal(`${callback.origin}${callback.pathname}`, context.config.redirectUri);
    // RFC 9207 §2: the sandbox names itself in the response.
    assert.equal(callback.searchParams.get('iss'), ISSUER);
    tokens = await completeAuthorization(as, context.config, callback, request);
  });

  it('issues a bearer access token, an ID token and a refresh token', () => {
    assert.equal(tokens.token_type, 'bearer');
    assert.ok(tokens.id_token);
    assert.ok(tokens.refresh_token);
  });

  it('OIDC Core §3.1.3.7: the ID token verifies against the JWKS and names alice, this client and the nonce', async () => {
    const jwks = jose.createLocalJWKSet(
      (await (await context.appFetch(as.jwks_uri!, {})).json()) as jose.JSONWebKeySet,
    );
    const {payload} = await jose.jwtVerify(tokens.id_token!, jwks, {issuer: ISSUER, audience: context.config.clientId});
    assert.equal(payload.sub, context.alice.sub);
    assert.equal(payload.nonce, nonce);
  });

  it('RFC 9068 §2: the access token is an at+jwt for the calendar API', async () => {
    const jwks = jose.createLocalJWKSet(
      (await (await context.appFetch(as.jwks_uri!, {})).json()) as jose.JSONWebKeySet,
    );
    const {payload, protectedHeader} = await jose.jwtVerify(tokens.access_token, jwks, {
      issuer: ISSUER,
      audience: context.calendar.identifier,
      typ: 'at+jwt',
    });
    assert.equal(protectedHeader.typ, 'at+jwt');
    assert.equal(payload.client_id, context.config.clientId);
    assert.match(String(payload.scope), /\bcalendar:read\b/);
  });

  it('RFC 6750 §2.1: the calendar API answers 200 with events', async () => {
    const response = await callApi(`${context.calendar.base_url}/events`, tokens.access_token, context.config);
    assert.equal(response.status, 200);
    assert.ok(Array.isArray((response.body as {events?: unknown}).events));
  });

  it('RFC 6750 §3.1: the API refuses a tampered token', async () => {
    const tampered = `${tokens.access_token.slice(0, -4)}AAAA`;
    await assert.rejects(callApi(`${context.calendar.base_url}/events`, tampered, context.config), (error: unknown) => {
      assert.ok(error instanceof oauth.WWWAuthenticateChallengeError);
      assert.equal(error.cause[0]?.parameters.error, 'invalid_token');
      return true;
    });
  });

  it('RFC 9700 §4.14.2: refreshing rotates the refresh token, and the old one is refused with invalid_grant', async () => {
    const refreshed = await refresh(as, context.config, tokens.refresh_token!);
    assert.ok(refreshed.access_token);
    assert.ok(refreshed.refresh_token);
    assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
    await assert.rejects(refresh(as, context.config, tokens.refresh_token!), (error: unknown) => {
      assert.ok(error instanceof oauth.ResponseBodyError);
      assert.equal(error.error, 'invalid_grant');
      assert.equal(error.status, 400);
      return true;
    });
  });
});

describe('what the client refuses and the server refuses', () => {
  it('RFC 6749 §10.12: a response with another state is rejected before any token request', async () => {
    const {config, browser, alice} = await setUp();
    const as = await discover(config);
    const request = await beginAuthorization(as, config);
    const callback = await browser.signIn(request.url, alice);
    assert.throws(
      () => validateCallback(as, config, callback, 'a-state-this-tab-never-sent'),
      (error: Error & {code?: string}) => {
        assert.equal(error.code, oauth.INVALID_RESPONSE);
        assert.match(error.message, /unexpected "state"/);
        return true;
      },
    );
  });

  it('RFC 9207 §2.4: a response naming another issuer is rejected', async () => {
    const {config, browser, alice} = await setUp();
    const as = await discover(config);
    const request = await beginAuthorization(as, config);
    const callback = await browser.signIn(request.url, alice);
    callback.searchParams.set('iss', 'https://attacker.test/sandbox');
    assert.throws(
      () => validateCallback(as, config, callback, request.state),
      (error: Error & {code?: string}) => {
        assert.equal(error.code, oauth.INVALID_RESPONSE);
        assert.match(error.message, /unexpected "iss"/);
        return true;
      },
    );
  });

  it('RFC 6749 §4.1.2.1: a denied consent comes back as access_denied', async () => {
    const {config, browser, alice} = await setUp();
    const as = await discover(config);
    const request = await beginAuthorization(as, config);
    const callback = await browser.signIn(request.url, alice, {decision: 'deny'});
    assert.throws(
      () => validateCallback(as, config, callback, request.state),
      (error: unknown) => {
        assert.ok(error instanceof oauth.AuthorizationResponseError);
        assert.equal(error.error, 'access_denied');
        return true;
      },
    );
  });

  it('RFC 7636 §4.6: a code redeemed with the wrong verifier is refused with invalid_grant', async () => {
    const {config, browser, alice} = await setUp();
    const as = await discover(config);
    const request = await beginAuthorization(as, config);
    const callback = await browser.signIn(request.url, alice);
    const parameters = validateCallback(as, config, callback, request.state);
    const attacker = await createPkce();
    await assert.rejects(
      exchangeCode(as, config, parameters, {pkce: attacker, nonce: request.nonce}),
      (error: unknown) => {
        assert.ok(error instanceof oauth.ResponseBodyError);
        assert.equal(error.error, 'invalid_grant');
        return true;
      },
    );
  });

  it('RFC 6749 §4.1.2: a code works once', async () => {
    const {config, browser, alice} = await setUp();
    const as = await discover(config);
    const request = await beginAuthorization(as, config);
    const callback = await browser.signIn(request.url, alice);
    const parameters = validateCallback(as, config, callback, request.state);
    await exchangeCode(as, config, parameters, request);
    await assert.rejects(exchangeCode(as, config, parameters, request), (error: unknown) => {
      assert.ok(error instanceof oauth.ResponseBodyError);
      assert.equal(error.error, 'invalid_grant');
      return true;
    });
  });

  it('OIDC Core §3.1.3.7: an ID token with another nonce is rejected', async () => {
    const {config, browser, alice} = await setUp();
    const as = await discover(config);
    const request = await beginAuthorization(as, config);
    const callback = await browser.signIn(request.url, alice);
    const parameters = validateCallback(as, config, callback, request.state);
    await assert.rejects(
      exchangeCode(as, config, parameters, {pkce: request.pkce, nonce: 'another-nonce'}),
      (error: Error & {code?: string}) => {
        assert.equal(error.code, oauth.JWT_CLAIM_COMPARISON);
        return true;
      },
    );
  });

  it('builds the same URL from the same secrets (no hidden randomness)', async () => {
    const {config} = await setUp();
    const as = await discover(config);
    const secrets = {pkce: await createPkce(), state: 'fixed-state', nonce: 'fixed-nonce'};
    assert.equal(buildAuthorizationUrl(as, config, secrets).href, buildAuthorizationUrl(as, config, secrets).href);
  });
});

describe('OpenID Connect Core §5.3: the userinfo endpoint', () => {
  it("answers with the claims of the ID token's sub, and a different expected sub is refused (§5.3.4)", async () => {
    const context = await setUp();
    // Sign-in only: a token for userinfo, asked for no API.
    const config: SpaConfig = {...context.config, scope: 'openid profile', audience: undefined};
    const as = await discover(config);
    const request = await beginAuthorization(as, config);
    const callback = await context.browser.signIn(request.url, context.alice);
    const tokens = await completeAuthorization(as, config, callback, request);
    const sub = jose.decodeJwt(tokens.id_token!).sub!;
    const userInfo = await fetchUserInfo(as, config, tokens.access_token, sub);
    assert.equal(userInfo.sub, context.alice.sub);
    assert.equal(userInfo.name, context.alice.name);
    await assert.rejects(fetchUserInfo(as, config, tokens.access_token, 'someone-else'), (error: unknown) => {
      assert.ok(error instanceof oauth.OperationProcessingError);
      assert.equal(error.code, oauth.JSON_ATTRIBUTE_COMPARISON);
      return true;
    });
  });
});

describe('discovery of a server without an OpenID Connect document', () => {
  it('RFC 8414 §3: falls back to /.well-known/oauth-authorization-server and still checks the issuer', async () => {
    const context = await setUp();
    const document = (await (
      await context.appFetch(`${ISSUER}/.well-known/openid-configuration`, {})
    ).json()) as Record<string, unknown>;
    const requested: string[] = [];
    // An OAuth-only server: 404 for the OpenID Connect path, RFC 8414 metadata at its own well-known URI.
    const oauthOnly = async (url: string) => {
      requested.push(url);
      if (url === 'https://sandbox.test/.well-known/oauth-authorization-server/sandbox') return Response.json(document);
      return new Response('not found', {status: 404});
    };
    const as = await discover({...context.config, fetch: oauthOnly});
    assert.equal(as.issuer, ISSUER);
    assert.deepEqual(requested, [
      `${ISSUER}/.well-known/openid-configuration`,
      'https://sandbox.test/.well-known/oauth-authorization-server/sandbox',
    ]);
    const impostor = async () => Response.json({...document, issuer: 'https://impostor.test'});
    await assert.rejects(discover({...context.config, fetch: impostor}), (error: unknown) => {
      assert.ok(error instanceof oauth.OperationProcessingError);
      assert.equal(error.code, oauth.JSON_ATTRIBUTE_COMPARISON);
      return true;
    });
  });
});
