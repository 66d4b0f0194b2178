import type {Catalog, CatalogClient} from './catalog';
import type {InteractionLimits} from './interaction';
import type {Store} from './store/store';
import type {Params} from './checks/params';
import type {Keyring} from './keys';
import type {AccessTokenClaims} from './tokens';

/** What every endpoint needs, built once by `createSandbox`. */
export interface Sandbox {
  issuer: string;
  siteUrl: string;
  store: Store;
  keys: Keyring;
  catalog: Catalog;
  /** Milliseconds since the epoch. */
  now: () => number;
  session: 'cookie' | 'store';
  /** Caps on state that unauthenticated requests create. */
  limits: {interactions: InteractionLimits};
  endpoints: {
    authorization: string;
    token: string;
    userinfo: string;
    jwks: string;
    revocation: string;
    introspection: string;
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
    clientAuthMethod: 'client_secret_basic' | 'client_secret_post' | 'none';
    /** The verified access token, set by `bearerAuth`. */
    token: AccessTokenClaims;
  };
}

/** Current time in whole seconds, for JWT claims. */
export function epochSeconds(sandbox: Sandbox): number {
  return Math.floor(sandbox.now() / 1000);
}
