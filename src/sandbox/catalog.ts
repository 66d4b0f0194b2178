/**
 * The demo world: clients, users and APIs. `GET {issuer}/catalog` serves it and everything
 * else (docs UI, tests) reads it from there. Secrets and passwords are public on purpose:
 * this is a sandbox whose login page shows them.
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
  | 'attack-lab';

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
  | 'tokens-in-url';

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
  | 'implicit-token-response';

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
  token_endpoint_auth_method: 'client_secret_basic' | 'client_secret_post' | 'none';
  /** True when the client must send a PKCE S256 challenge: every client of the code flow, public or confidential (RFC 9700 §2.1.1). */
  require_pkce: boolean;
  /**
   * Only on clients that exist for a security lab. The weakened server paths are keyed on this field
   * alone, so a client without it gets every defence.
   */
  lab?: LabMembership;
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

export const OIDC_SCOPES: ScopeDescription[] = [
  {value: 'openid', description: 'Sign you in and know who you are'},
  {value: 'profile', description: 'See your name'},
  {value: 'email', description: 'See your email address'},
  {value: 'offline_access', description: 'Stay connected when you are not using the app'},
];

/** Builds the demo world for an issuer (no trailing slash) and the docs site URL (with one). */
export function buildCatalog(issuer: string, siteUrl: string): Catalog {
  return {
    issuer,
    clients: [
      {
        client_id: 'm2m-cron',
        client_secret: 'm2m-cron-secret-5bd1e8',
        client_name: 'Nightly Sync Job',
        type: 'confidential',
        guide_case: 'machine-to-machine',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
        require_pkce: false,
      },
      {
        client_id: 'regular-web-app',
        client_secret: 'regular-web-app-secret-9c4f2a',
        client_name: 'Acme Web Portal',
        type: 'confidential',
        guide_case: 'regular-web-app',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [`${issuer}/webapp/callback`],
        token_endpoint_auth_method: 'client_secret_basic',
        require_pkce: true,
      },
      {
        client_id: 'trusted-first-party',
        client_secret: 'trusted-first-party-secret-3e7a61',
        client_name: 'Acme Legacy Console',
        type: 'confidential',
        guide_case: 'trusted-first-party',
        grant_types: ['password', 'refresh_token'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_post',
        require_pkce: false,
      },
      {
        client_id: 'spa',
        client_name: 'Acme Single-Page App',
        type: 'public',
        guide_case: 'single-page-app',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [
          `${siteUrl}flows/authorization-code-pkce`,
          `${siteUrl}concepts/multiple-audiences`,
          `${siteUrl}concepts/refresh-tokens`,
          // The endpoint explorer's authorization requests come back to its page.
          `${siteUrl}concepts/try-the-endpoints`,
        ],
        token_endpoint_auth_method: 'none',
        require_pkce: true,
      },
      {
        client_id: 'native-app',
        client_name: 'Acme Mobile',
        type: 'public',
        guide_case: 'native-app',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        // RFC 8252 §7.3: the loopback redirect matches on any port.
        redirect_uris: ['http://127.0.0.1/callback', 'com.example.oauthflows:/callback', `${siteUrl}flows/native-apps`],
        token_endpoint_auth_method: 'none',
        require_pkce: true,
      },
      {
        client_id: 'form-post-app',
        client_name: 'Acme Sign-In Widget',
        type: 'public',
        guide_case: 'spa-id-token-only',
        grant_types: ['implicit'],
        response_types: ['id_token', 'id_token token'],
        redirect_uris: [`${issuer}/webapp/form-post/callback`],
        token_endpoint_auth_method: 'none',
        require_pkce: false,
      },
      {
        // RFC 7662 §2.1: the protected resource authenticates to the introspection endpoint. It asks
        // about tokens; it gets none itself, so it has no grant types and no redirect URIs.
        client_id: 'calendar-api',
        client_secret: 'calendar-api-secret-71d0b4',
        client_name: 'Calendar API (resource server)',
        type: 'confidential',
        guide_case: 'resource-server',
        grant_types: [],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
        require_pkce: false,
      },
      ...labClients(siteUrl, issuer),
    ],
    users: [
      {
        sub: 'user-alice',
        username: 'alice',
        password: 'wonderland-42',
        name: 'Alice Liddell',
        given_name: 'Alice',
        family_name: 'Liddell',
        email: 'alice@example.com',
        email_verified: true,
      },
      {
        sub: 'user-bob',
        username: 'bob',
        password: 'builder-7',
        name: 'Bob Builder',
        given_name: 'Bob',
        family_name: 'Builder',
        email: 'bob@example.com',
        email_verified: true,
      },
    ],
    apis: [
      {
        id: 'calendar',
        name: 'Calendar API',
        identifier: `${issuer}/api/calendar`,
        base_url: `${issuer}/api/calendar`,
        scopes: [
          {value: 'calendar:read', description: 'See your calendar events'},
          {value: 'calendar:write', description: 'Add events to your calendar'},
        ],
        introspection_client_id: 'calendar-api',
        operations: [
          {method: 'GET', url: `${issuer}/api/calendar/events`, scope: 'calendar:read', description: 'List your events'},
          {
            method: 'POST',
            url: `${issuer}/api/calendar/events`,
            scope: 'calendar:write',
            description: 'Add an event',
            body: {title: 'a string of up to 200 characters', start: 'an ISO 8601 date-time'},
          },
        ],
      },
      {
        id: 'contacts',
        name: 'Contacts API',
        identifier: `${issuer}/api/contacts`,
        base_url: `${issuer}/api/contacts`,
        scopes: [
          {value: 'contacts:read', description: 'See your contacts'},
          {value: 'contacts:write', description: 'Change your contacts'},
        ],
        operations: [{method: 'GET', url: `${issuer}/api/contacts/people`, scope: 'contacts:read', description: 'List your contacts'}],
      },
    ],
    oidc_scopes: OIDC_SCOPES,
    lab_issuers: labIssuers(issuer, siteUrl),
  };
}

/** Where the mix-up lab's attacker serves its authorization server: a path of its own, beside the sandbox's endpoints. */
export function attackerIssuer(issuer: string): string {
  return `${issuer}/attacker`;
}

/**
 * The authorization servers of the security labs. The mix-up lab's attacker runs one the lab's app is
 * registered at too, as in RFC 9700 §4.4.1, where a client trusts several servers and one of them is
 * the attacker's.
 */
function labIssuers(issuer: string, siteUrl: string): LabIssuer[] {
  return [
    {
      issuer: attackerIssuer(issuer),
      name: 'Attacker AS (lab: mix-up)',
      lab: 'mix-up',
      // The same app and the same redirect URI as its registration at the sandbox, `lab-trip-planner`.
      clients: [{client_id: 'trip-planner', client_name: 'Trip Planner', redirect_uris: [`${siteUrl}security/mix-up`]}],
    },
  ];
}

/**
 * The security labs' clients. Each names its lab; the weakened ones name the defence they lack. They
 * share no redirect URI with the demo clients above, so no page of the flows section can use them.
 */
function labClients(siteUrl: string, issuer: string): CatalogClient[] {
  return [
    {
      // The victim of code interception: a native note-taking app whose private-use scheme another app
      // on the device also claims (RFC 8252 §8.1). It may leave PKCE out, which is what the lab turns off.
      client_id: 'lab-notes-app',
      client_name: 'Notes (lab: code interception)',
      type: 'public',
      guide_case: 'attack-lab',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: ['com.example.notes:/callback', `${siteUrl}security/code-interception`],
      token_endpoint_auth_method: 'none',
      require_pkce: false,
      lab: {slug: 'code-interception', weakness: 'pkce-optional'},
    },
    {
      // The malicious app that registered the same scheme on the device. The authorization server holds
      // it to every rule; it never needs a weakness, because it redeems stolen codes as the victim app.
      client_id: 'lab-flashlight-app',
      client_name: 'Free Flashlight (lab: code interception)',
      type: 'public',
      guide_case: 'attack-lab',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: ['com.example.notes:/callback'],
      token_endpoint_auth_method: 'none',
      require_pkce: true,
      lab: {slug: 'code-interception'},
    },
    {
      // A single-page app whose refresh tokens never rotate: a stolen one keeps working for as long as it lives.
      client_id: 'lab-spa-no-rotation',
      client_name: 'Acme SPA without rotation (lab: refresh token theft)',
      type: 'public',
      guide_case: 'attack-lab',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [`${siteUrl}security/refresh-token-theft`],
      token_endpoint_auth_method: 'none',
      require_pkce: true,
      lab: {slug: 'refresh-token-theft', weakness: 'refresh-not-rotated'},
    },
    {
      // The same app with the defence in place: rotation and reuse detection, like every demo client.
      client_id: 'lab-spa-rotation',
      client_name: 'Acme SPA with rotation (lab: refresh token theft)',
      type: 'public',
      guide_case: 'attack-lab',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [`${siteUrl}security/refresh-token-theft`],
      token_endpoint_auth_method: 'none',
      require_pkce: true,
      lab: {slug: 'refresh-token-theft'},
    },
    {
      // An app that lets its users sign in with one of several authorization servers, one of which is the
      // attacker's (catalog `lab_issuers`). The sandbox holds it to every rule: the mix-up lab's defence is
      // the app's own check of `iss` (RFC 9207 §2.4), not anything the server leaves out.
      client_id: 'lab-trip-planner',
      client_name: 'Trip Planner (lab: mix-up)',
      type: 'public',
      guide_case: 'attack-lab',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [`${siteUrl}security/mix-up`],
      token_endpoint_auth_method: 'none',
      require_pkce: true,
      lab: {slug: 'mix-up'},
    },
    {
      // A web app, Acme Notes, whose callback is the one URI it registered. The server matches it by
      // string prefix, so `<callback>/../<any page of the same site>` passes the check (RFC 9700 §4.1.1).
      // No page serves the callback: the lab never runs the app's own sign-in, only the attacker's.
      client_id: 'lab-notes-web-prefix',
      client_name: 'Acme Notes, prefix matching (lab: loose redirect URI)',
      type: 'public',
      guide_case: 'attack-lab',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [`${siteUrl}security/notes-app/callback`],
      token_endpoint_auth_method: 'none',
      require_pkce: true,
      lab: {slug: 'loose-redirect-uri', weakness: 'redirect-uri-prefix-match'},
    },
    {
      // The same app with the defence in place: its redirect URI is compared exactly, like every demo client's.
      client_id: 'lab-notes-web-exact',
      client_name: 'Acme Notes, exact matching (lab: loose redirect URI)',
      type: 'public',
      guide_case: 'attack-lab',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [`${siteUrl}security/notes-app/callback`],
      token_endpoint_auth_method: 'none',
      require_pkce: true,
      lab: {slug: 'loose-redirect-uri'},
    },
    {
      // A single-page app of the old kind: the implicit grant, the access token in the redirect's fragment
      // (RFC 6749 §4.2). The only client the sandbox answers `response_type=token` for.
      client_id: 'lab-spa-implicit',
      client_name: 'Acme SPA, implicit grant (lab: tokens in the URL)',
      type: 'public',
      guide_case: 'attack-lab',
      grant_types: ['implicit'],
      response_types: ['token'],
      redirect_uris: [`${siteUrl}security/tokens-in-url`],
      token_endpoint_auth_method: 'none',
      require_pkce: false,
      lab: {slug: 'tokens-in-url', weakness: 'implicit-token-response'},
    },
    {
      // The same app with the defence in place: the code flow with PKCE, so only a code travels in a URL.
      client_id: 'lab-spa-code',
      client_name: 'Acme SPA, code flow with PKCE (lab: tokens in the URL)',
      type: 'public',
      guide_case: 'attack-lab',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [`${siteUrl}security/tokens-in-url`],
      token_endpoint_auth_method: 'none',
      require_pkce: true,
      lab: {slug: 'tokens-in-url'},
    },
    {
      // The victim of login CSRF: a single-page app that saves appointments to the calendar of whoever is
      // signed in. Registered without PKCE, which would also stop the attack (RFC 9700 §4.7.1), so that the
      // lab's switch, the client's own state check, is the only defence in play.
      client_id: 'lab-planner',
      client_name: 'Planner (lab: login CSRF)',
      type: 'public',
      guide_case: 'attack-lab',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [`${siteUrl}security/login-csrf`],
      token_endpoint_auth_method: 'none',
      require_pkce: false,
      lab: {slug: 'login-csrf', weakness: 'pkce-optional'},
    },
    {
      // The relying party of the ID token replay lab: a web app that signs people in with an ID token posted
      // to its server (implicit, form_post). The server holds it to every rule, nonce included (OIDC Core
      // §3.2.2.1); the check the lab turns off is the app's own comparison of the nonce it gets back.
      client_id: 'lab-members-app',
      client_name: 'Members (lab: ID token replay)',
      type: 'public',
      guide_case: 'attack-lab',
      grant_types: ['implicit'],
      response_types: ['id_token'],
      redirect_uris: [`${issuer}/webapp/lab/id-token-replay/callback`],
      token_endpoint_auth_method: 'none',
      require_pkce: false,
      lab: {slug: 'id-token-replay'},
    },
  ];
}

export function findClient(catalog: Catalog, clientId: string): CatalogClient | undefined {
  return catalog.clients.find((client) => client.client_id === clientId);
}

export function findUserBySub(catalog: Catalog, sub: string): CatalogUser | undefined {
  return catalog.users.find((user) => user.sub === sub);
}

export function findApi(catalog: Catalog, identifier: string): CatalogApi | undefined {
  return catalog.apis.find((api) => api.identifier === identifier);
}
