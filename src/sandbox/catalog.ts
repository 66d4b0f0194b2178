/**
 * The demo world: clients, users and APIs. `GET {issuer}/catalog` serves it and everything
 * else (docs UI, tests) reads it from there. Secrets and passwords are public on purpose:
 * this is a sandbox whose login page shows them.
 */
import {
  DEVICE_CODE_GRANT_TYPE,
  type Catalog,
  type CatalogApi,
  type CatalogClient,
  type CatalogUser,
  type ScopeDescription,
} from '../contract/catalog';
import {demoAppCallback} from '../contract/demo-apps';
import {labClients, labIssuers} from './catalog-labs';
import {CLIENT_KEY_ALG} from './client-keys';

// The catalog's types are the contract the site reads; sandbox modules keep importing them from here.
export type * from '../contract/catalog';
export {DEVICE_CODE_GRANT_TYPE} from '../contract/catalog';
export {attackerIssuer} from './catalog-labs';

export const OIDC_SCOPES: ScopeDescription[] = [
  {value: 'openid', description: 'Sign you in and know who you are'},
  {value: 'profile', description: 'See your name'},
  {value: 'email', description: 'See your email address'},
  {value: 'offline_access', description: 'Stay connected when you are not using the app'},
];

/** Builds the demo world for an issuer (no trailing slash) and the docs site URL (with one). */
export function buildCatalog(issuer: string, siteUrl: string): Catalog {
  const spa: CatalogClient = {
    client_id: 'spa',
    client_name: 'Acme Single-Page App',
    type: 'public',
    guide_case: 'single-page-app',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: spaRedirectUris(siteUrl),
    token_endpoint_auth_method: 'none',
    require_pkce: true,
  };
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
        redirect_uris: [demoAppCallback(issuer, 'webApp')],
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
      spa,
      // RFC 9449: the same single-page app, its tokens bound to a key it keeps in the browser (DPoP), so a
      // stolen access or refresh token is useless without that key.
      {...spa, client_id: 'spa-dpop', client_name: 'Calendar SPA (DPoP)', dpop_bound_access_tokens: true},
      {
        ...spa,
        client_id: 'spa-dpop-nonce',
        client_name: 'Calendar SPA (DPoP, server nonces)',
        dpop_bound_access_tokens: true,
        dpop_nonce_required: true,
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
        redirect_uris: [demoAppCallback(issuer, 'formPost')],
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
      // RFC 8628: devices without a browser, or one the user cannot type on. No redirect URI: the user
      // approves on another device, at the verification URI, while the device polls the token endpoint.
      {
        client_id: 'tv-app',
        client_name: 'Acme TV',
        type: 'public',
        guide_case: 'device',
        grant_types: [DEVICE_CODE_GRANT_TYPE, 'refresh_token'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'none',
        require_pkce: false,
        device_flow: {code_lifetime: 600, interval: 5},
      },
      {
        // The walkthrough's "let it expire" run: the same app with codes that expire before anyone could finish.
        client_id: 'tv-app-quick-expiry',
        client_name: 'Acme TV (demo: codes expire in 15 s)',
        type: 'public',
        guide_case: 'device',
        grant_types: [DEVICE_CODE_GRANT_TYPE],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'none',
        require_pkce: false,
        device_flow: {code_lifetime: 15, interval: 3},
      },
      {
        // A device that can keep a secret (a managed meeting-room display): it authenticates at both endpoints.
        client_id: 'meeting-room-display',
        client_secret: 'meeting-room-display-secret-4a8d27',
        client_name: 'Acme Meeting Room Display',
        type: 'confidential',
        guide_case: 'device',
        grant_types: [DEVICE_CODE_GRANT_TYPE, 'refresh_token'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
        require_pkce: false,
        device_flow: {code_lifetime: 600, interval: 5},
      },
      {
        // RFC 9126: a web app that pushes its authorization requests to the sandbox first (§2) and sends the
        // browser with only a request_uri (§4); it must (§6), so a plain authorization request is refused.
        client_id: 'web-app-par',
        client_secret: 'web-app-par-secret-62e0c9',
        client_name: 'Calendar Web App (PAR)',
        type: 'confidential',
        guide_case: 'regular-web-app',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [demoAppCallback(issuer, 'webApp')],
        token_endpoint_auth_method: 'client_secret_basic',
        require_pkce: true,
        require_pushed_authorization_requests: true,
      },
      {
        // RFC 7523 §2.2: a job that authenticates with a JWT signed by its private key instead of a shared
        // secret. Its key pair is made per sandbox: GET /catalog adds `jwks` and `private_jwk` (client-keys.ts).
        client_id: 'm2m-private-key-jwt',
        client_name: 'Nightly Report Job (private_key_jwt)',
        type: 'confidential',
        guide_case: 'machine-to-machine',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: CLIENT_KEY_ALG,
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
          {
            method: 'GET',
            url: `${issuer}/api/calendar/events`,
            scope: 'calendar:read',
            description: 'List your events',
          },
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
        operations: [
          {
            method: 'GET',
            url: `${issuer}/api/contacts/people`,
            scope: 'contacts:read',
            description: 'List your contacts',
          },
        ],
      },
    ],
    oidc_scopes: OIDC_SCOPES,
    lab_issuers: labIssuers(issuer, siteUrl),
  };
}

/** The single-page apps' redirect URIs: the pages that run their flows. */
function spaRedirectUris(siteUrl: string): string[] {
  return [
    `${siteUrl}flows/authorization-code-pkce`,
    `${siteUrl}concepts/multiple-audiences`,
    `${siteUrl}concepts/refresh-tokens`,
    // The endpoint explorer's authorization requests come back to its page.
    `${siteUrl}concepts/try-the-endpoints`,
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
