#!/usr/bin/env node
/**
 * A real OpenID provider (node-oidc-provider) for the end-to-end tests of "run it against your own
 * provider": the PKCE walkthrough page opened with `?issuer=http://localhost:<port>&client_id=…`.
 *
 *   node e2e/providers/oidc-provider.mjs --port 3310 \
 *     --redirect-uri http://localhost:3210/flows/authorization-code-pkce \
 *     --redirect-uri http://localhost:3210/concepts/try-the-endpoints
 *
 * It registers two public clients (no secret, PKCE required) whose redirect URIs are those pages (the
 * PKCE walkthrough and the endpoint explorer), all on one origin:
 * `walkthrough-spa`, whose requests from the page's origin are allowed cross-origin, and
 * `no-cors-spa`, whose token requests are refused cross-origin, as a provider without the site's
 * origin among its allowed origins would. Sign-in and consent are the provider's own development
 * pages: any login and password sign in, as that login. Everything lives in memory.
 */
import {generateKeyPairSync, randomBytes} from 'node:crypto';
import {parseArgs} from 'node:util';
import Provider from 'oidc-provider';

const {values} = parseArgs({
  options: {
    port: {type: 'string', default: process.env.OIDC_PROVIDER_PORT ?? '3310'},
    'redirect-uri': {
      type: 'string',
      multiple: true,
      default: [process.env.OIDC_PROVIDER_REDIRECT_URI ?? 'http://localhost:3210/flows/authorization-code-pkce'],
    },
  },
});

const port = Number(values.port);
const redirectUris = values['redirect-uri'];
const siteOrigin = new URL(redirectUris[0]).origin;
if (redirectUris.some((uri) => new URL(uri).origin !== siteOrigin))
  throw new Error("Every redirect URI must be on the site's one origin.");
const issuer = `http://localhost:${port}`;

const CLIENTS = {allowed: 'walkthrough-spa', corsRefused: 'no-cors-spa'};

/** A public browser client as the guide asks readers to register one (RFC 6749 §2.1, RFC 9700 §2.1.1). */
function publicClient(clientId) {
  return {
    client_id: clientId,
    client_name: `Walkthrough test client ${clientId}`,
    application_type: 'web',
    token_endpoint_auth_method: 'none',
    redirect_uris: redirectUris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  };
}

// A signing key of this run only: the walkthrough verifies the ID token against the JWKS it serves.
const signingKey = generateKeyPairSync('rsa', {modulusLength: 2048}).privateKey.export({format: 'jwk'});

const provider = new Provider(issuer, {
  clients: [publicClient(CLIENTS.allowed), publicClient(CLIENTS.corsRefused)],
  jwks: {keys: [{...signingKey, use: 'sig', alg: 'RS256'}]},
  cookies: {keys: [randomBytes(32).toString('base64url')]},
  claims: {openid: ['sub'], profile: ['name', 'given_name', 'family_name'], email: ['email', 'email_verified']},
  features: {devInteractions: {enabled: true}},
  // RFC 7636 and RFC 9700 §2.1.1: every authorization code request carries a PKCE challenge.
  pkce: {required: () => true},
  // Cross-origin requests to the token and userinfo endpoints: the docs site's origin, for one client only.
  clientBasedCORS(ctx, origin, client) {
    return client.clientId === CLIENTS.allowed && origin === siteOrigin;
  },
  /** Whoever signs in on the development login page, with claims made from their login. */
  async findAccount(ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        return {
          sub,
          name: `Test ${sub}`,
          given_name: 'Test',
          family_name: sub,
          email: `${sub}@example.test`,
          email_verified: true,
        };
      },
    };
  },
});

// Its development pages have no icon: answer the browser's request for one with nothing, not a 404.
provider.use(async (ctx, next) => {
  if (ctx.path === '/favicon.ico') {
    ctx.status = 204;
    return;
  }
  await next();
});

const server = provider.listen(port, async () => {
  // Answer our own discovery request before saying we are ready: a provider that cannot serve it fails here,
  // loudly. Over IPv4 loopback, which every machine has (the server listens on every interface).
  const discovery = `http://127.0.0.1:${port}/.well-known/openid-configuration`;
  const response = await fetch(discovery, {signal: AbortSignal.timeout(10_000)}).catch((error) => error);
  if (!(response instanceof Response) || !response.ok) {
    console.error(`oidc-provider: ${discovery} answered ${response instanceof Response ? response.status : response}`);
    process.exit(1);
  }
  console.log(
    `oidc-provider: ready, issuer ${issuer}, clients ${Object.values(CLIENTS).join(', ')}, redirect URIs ${redirectUris.join(', ')}`,
  );
});
server.on('error', (error) => {
  console.error(`oidc-provider: cannot listen on port ${port}: ${error.message}`);
  process.exit(1);
});

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
