import type {Catalog, CatalogClient} from './catalog';
import type {Store} from './store/store';
import type {Params} from './checks/params';
import type {ClientKeys} from './client-keys';
import type {Keyring} from './keys';
import type {JWTPayload} from 'jose';

/** What every endpoint needs, built once by `createSandbox`. */
export interface Sandbox {
  issuer: string;
  siteUrl: string;
  store: Store;
  keys: Keyring;
  /** The key pairs of the demo clients that authenticate with private_key_jwt (see client-keys.ts). */
  clientKeys: ClientKeys;
  catalog: Catalog;
  /** Milliseconds since the epoch. */
  now: () => number;
  session: 'cookie' | 'store';
  /** Caps on state that unauthenticated requests create. */
  limits: {interactions: InteractionLimits; devices: DeviceLimits};
  endpoints: {
    authorization: string;
    token: string;
    userinfo: string;
    jwks: string;
    revocation: string;
    introspection: string;
    deviceAuthorization: string;
    /** RFC 9126 §5 `pushed_authorization_request_endpoint`. */
    pushedAuthorization: string;
    /** Where the user enters a device's user code (RFC 8628 §3.2 `verification_uri`). */
    deviceVerification: string;
  };
}

/**
 * What a transport knows about a request that its headers do not say. The Service Worker passes it as
 * the app's env (`app.fetch(request, env)`); Node and in-process callers pass nothing.
 */
export interface TransportFacts {
  /**
   * Whether a page of the sandbox's own origin sent this request, as only the worker can tell: it sees
   * neither `Sec-Fetch-Site` nor, in every browser, `Origin` (see worker.ts). Undefined when the
   * transport does not say, and the request's own headers are all there is.
   */
  sentFromSameOrigin?: boolean;
}

/** Hono environment: values the transport hands in, and values middleware hands to handlers. */
export interface SandboxEnv {
  Bindings: TransportFacts;
  Variables: {
    params: Params;
    client: CatalogClient;
    /** How the client authenticated, set by `clientAuth`. */
    clientAuthMethod: CatalogClient['token_endpoint_auth_method'];
    /** The verified access token, set by `bearerAuth`. */
    token: AccessTokenClaims;
  };
}

/** Current time in whole seconds, for JWT claims. */
export function epochSeconds(sandbox: Sandbox): number {
  return Math.floor(sandbox.now() / 1000);
}

/**
 * How many interactions may be pending at once. Every unauthenticated `GET /authorize` with a valid
 * client and redirect URI starts one, so without limits a flood of them would grow the store without bound.
 * - per browser (its single sign-on session, or the one browser a Service Worker serves) and per client:
 *   the oldest is dropped. Whoever opened twenty sign-in tabs is using the newest; the dropped one
 *   shows "this sign-in step expired" and starts again from the application.
 * - in total: the new request is refused with `temporarily_unavailable`, which RFC 6749 §4.1.2.1 defines
 *   for an overloaded server. It is sent to the client's redirect URI like any error there, because the
 *   client and redirect URI were validated before an interaction is created; a request with an invalid
 *   one is answered on the sandbox's own error page and creates nothing.
 */
export interface InteractionLimits {
  perBrowser: number;
  perClient: number;
  total: number;
}

/**
 * Caps for the Device Authorization Grant (RFC 8628). A public client needs nothing but its client_id to
 * start one, so:
 * - `total`: how many device codes may be live at once; past it, the device authorization endpoint answers
 *   `temporarily_unavailable` (503) until some expire.
 * - `guessesPerBrowser`, `guessesTotal`: how many wrong user codes may be entered in `guessWindow` seconds,
 *   by one browser and by all together, before entering codes is paused until the window ends (§5.1: the
 *   user code is short, so guessing it must be limited).
 */
export interface DeviceLimits {
  total: number;
  guessesPerBrowser: number;
  guessesTotal: number;
  guessWindow: number;
}

export interface AccessTokenClaims extends JWTPayload {
  iss: string;
  sub: string;
  /** The API's identifier, or the UserInfo endpoint, or both (see `accessTokenAudience`). */
  aud: string | string[];
  client_id: string;
  scope: string;
  jti: string;
  iat: number;
  exp: number;
  auth_time?: number;
  /** RFC 9449 §6.1: the JWK thumbprint of the key a DPoP-bound token is bound to. */
  cnf?: {jkt: string};
}
