/**
 * The catalog's shape: what `GET {issuer}/catalog` answers. The sandbox builds it (src/sandbox/catalog.ts);
 * the site's walkthroughs, components and tests read it. Types and one constant, free of any dependency, so
 * both sides can import it: the sandbox runs in a Service Worker, in Node and in-process, the site in the
 * reader's browser.
 */

/**
 * The guide's decision cases each client demonstrates. `resource-server` is not a flow: it is the
 * credential a protected resource (the calendar API) uses to call the introspection endpoint
 * (RFC 7662 §2.1), so a walkthrough can ask about a token the way an API would.
 */
export type GuideCase =
  | 'machine-to-machine'
  | 'regular-web-app'
  | 'trusted-first-party'
  | 'single-page-app'
  | 'native-app'
  | 'spa-id-token-only'
  | 'resource-server'
  | 'attack-lab'
  | 'device';

/**
 * The guide's security labs, one per attack (docs/security/). A lab runs an attack twice, with a defence
 * missing and with it in place, so it needs clients that can be weakened on purpose.
 */
export type LabSlug =
  | 'code-interception'
  | 'login-csrf'
  | 'mix-up'
  | 'id-token-replay'
  | 'refresh-token-theft'
  | 'loose-redirect-uri'
  | 'tokens-in-url'
  | 'device-code-phishing';

/**
 * A defence the authorization server leaves out for one lab client, so its lab can show the attack
 * succeed. The sandbox/labs.ts predicates are the only places that read it.
 */
export type LabWeakness =
  /** The client may send an authorization request without a PKCE challenge (RFC 9700 §2.1.1 not enforced). */
  | 'pkce-optional'
  /** The client's refresh tokens are not rotated and reuse is not detected (RFC 9700 §4.14.2 not applied). */
  | 'refresh-not-rotated'
  /** The client's redirect URIs are matched by string prefix, not exactly (RFC 9700 §4.1.3 not applied). */
  | 'redirect-uri-prefix-match'
  /** The client may use `response_type=token`, which puts the access token in the URL (RFC 9700 §2.1.2 not applied). */
  | 'implicit-token-response'
  /** The server skips the confirmation step, naming the client and asking "did you start this?" (RFC 8628 §5.4 not applied). */
  | 'device-no-confirmation';

/** The `grant_type` of the Device Authorization Grant (RFC 8628 §3.4). */
export const DEVICE_CODE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';

/** How a client's device codes behave (RFC 8628 §3.2): both in seconds. */
export interface DeviceFlowSettings {
  /** How long a device code and its user code live (`expires_in`). */
  code_lifetime: number;
  /** The minimum time between two polls of the token endpoint (`interval`), before any `slow_down`. */
  interval: number;
}

/** Marks a client as belonging to a security lab, and names the one defence it lacks, if any. */
export interface LabMembership {
  slug: LabSlug;
  weakness?: LabWeakness;
}

/** A registered client, described with RFC 7591 §2 metadata names. */
export interface CatalogClient {
  client_id: string;
  client_secret?: string;
  client_name: string;
  type: 'public' | 'confidential';
  guide_case: GuideCase;
  grant_types: string[];
  response_types: string[];
  redirect_uris: string[];
  token_endpoint_auth_method: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';
  /** For `private_key_jwt`: the JWS algorithm its client assertions are signed with (RFC 7591 §2, OIDC Registration §2). */
  token_endpoint_auth_signing_alg?: string;
  /** For `private_key_jwt`: the client's public keys, which its client assertions are checked with (RFC 7591 §2). */
  jwks?: {keys: PublicJwk[]};
  /**
   * For `private_key_jwt`: the private half of the key in `jwks`. A real client never shares it; the sandbox
   * publishes it because it is a sandbox, so a walkthrough (or curl) can sign assertions as this client. Made
   * for each sandbox instance, and made anew when the sandbox is reset.
   */
  private_jwk?: PrivateJwk;
  /** True when the client must push its authorization requests (RFC 9126 §6); a plain request is refused. */
  require_pushed_authorization_requests?: boolean;
  /** True when the client must send a PKCE S256 challenge: every client of the code flow, public or confidential (RFC 9700 §2.1.1). */
  require_pkce: boolean;
  /**
   * Only on clients that exist for a security lab. The weakened server paths are keyed on this field
   * alone, so a client without it gets every defence.
   */
  lab?: LabMembership;
  /** Present on every client whose `grant_types` include DEVICE_CODE_GRANT_TYPE. */
  device_flow?: DeviceFlowSettings;
  /**
   * RFC 9449 §5.2: the client always uses DPoP, so its token requests without a proof are refused and its
   * access tokens are always DPoP-bound.
   */
  dpop_bound_access_tokens?: boolean;
  /**
   * A sandbox setting, not registered metadata: the token endpoint and the demo APIs ask this client for a
   * server nonce in its DPoP proofs (RFC 9449 §8, §9), so a walkthrough can show the `use_dpop_nonce` round trip.
   */
  dpop_nonce_required?: boolean;
}

/** A public JSON Web Key (RFC 7517 §4), as the catalog publishes it: an EC key for the demo clients. */
export interface PublicJwk {
  kty: string;
  kid?: string;
  alg?: string;
  use?: string;
  crv?: string;
  x?: string;
  y?: string;
  n?: string;
  e?: string;
}

/** A private JSON Web Key: the public members and the private one (RFC 7518 §6.2.2.1 `d`). */
export interface PrivateJwk extends PublicJwk {
  d: string;
}

export interface CatalogUser {
  sub: string;
  username: string;
  password: string;
  name: string;
  given_name: string;
  family_name: string;
  email: string;
  email_verified: boolean;
}

export interface ScopeDescription {
  value: string;
  description: string;
}

export interface CatalogApi {
  id: 'calendar' | 'contacts';
  name: string;
  /** The value for `audience` / `resource` (RFC 8707) and the access token's `aud`. */
  identifier: string;
  base_url: string;
  scopes: ScopeDescription[];
  /** The client_id this API authenticates with at the introspection endpoint (RFC 7662 §2.1), when it has one. */
  introspection_client_id?: string;
  /** What the API offers: each operation with the scope its access token needs (RFC 6750 §3.1 insufficient_scope). */
  operations: ApiOperation[];
}

export interface ApiOperation {
  method: 'GET' | 'POST';
  /** The operation's full URL. */
  url: string;
  /** The scope the access token must carry. */
  scope: string;
  description: string;
  /** For a POST: the JSON body it takes. */
  body?: Record<string, string>;
}

export interface Catalog {
  issuer: string;
  clients: CatalogClient[];
  users: CatalogUser[];
  apis: CatalogApi[];
  /** OpenID Connect scopes any client may request (OIDC Core §5.4, §11). */
  oidc_scopes: ScopeDescription[];
  /**
   * Authorization servers that exist only for a security lab, served by the sandbox under its own issuer
   * (the mix-up lab's attacker). None of the sandbox's own rules apply to them, and no demo client knows them.
   */
  lab_issuers?: LabIssuer[];
}

/**
 * An authorization server that belongs to a security lab: the attacker's own issuer. Its clients are the
 * registrations a lab client also holds there, under the client_id that server gave it.
 */
export interface LabIssuer {
  issuer: string;
  name: string;
  lab: LabSlug;
  clients: Array<{client_id: string; client_name: string; redirect_uris: string[]}>;
}
