import type {Handler} from 'hono';
import {ASSERTION_ALGS} from '../checks/client-assertion';
import type {Catalog} from '../catalog';
import type {Sandbox} from '../context';
import {DPOP_SIGNING_ALGS} from '../dpop';
import {GRANT_TYPES} from '../grants/grant-types';
import {SIGNING_ALG} from '../keys';

/**
 * Authorization server metadata, RFC 8414 §2 and OpenID Connect Discovery §3, advertising exactly
 * what the sandbox supports.
 */
export function serverMetadata(sandbox: Sandbox): Record<string, unknown> {
  const {issuer, endpoints, catalog} = sandbox;
  const clientAuthMethods = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'];
  return {
    issuer,
    authorization_endpoint: endpoints.authorization,
    token_endpoint: endpoints.token,
    userinfo_endpoint: endpoints.userinfo,
    jwks_uri: endpoints.jwks,
    revocation_endpoint: endpoints.revocation,
    introspection_endpoint: endpoints.introspection,
    // RFC 8628 §4
    device_authorization_endpoint: endpoints.deviceAuthorization,
    // RFC 9126 §5: where clients push authorization requests. Not required server-wide, only of the clients
    // registered with require_pushed_authorization_requests (§6).
    pushed_authorization_request_endpoint: endpoints.pushedAuthorization,
    require_pushed_authorization_requests: false,
    scopes_supported: [...catalog.oidc_scopes, ...catalog.apis.flatMap((api) => api.scopes)].map(
      (scope) => scope.value,
    ),
    // `token` is left out on purpose: the sandbox answers it for one security-lab client only (its catalog
    // entry lists it in response_types), never as a service of this issuer (RFC 9700 §2.1.2).
    response_types_supported: ['code', 'id_token', 'id_token token'],
    response_modes_supported: ['query', 'fragment', 'form_post'],
    grant_types_supported: [...GRANT_TYPES, 'implicit'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: clientAuthMethods,
    // RFC 8414 §2: the algorithms private_key_jwt client assertions may be signed with (RFC 7523 §3).
    token_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGS,
    revocation_endpoint_auth_methods_supported: clientAuthMethods,
    revocation_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGS,
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    introspection_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGS,
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [SIGNING_ALG],
    claims_supported: [
      'iss',
      'sub',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'nonce',
      'azp',
      'at_hash',
      'name',
      'given_name',
      'family_name',
      'preferred_username',
      'email',
      'email_verified',
    ],
    prompt_values_supported: ['none', 'login', 'consent'],
    // RFC 9207 §3: `iss` is returned in every authorization response.
    authorization_response_iss_parameter_supported: true,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    // RFC 9449 §5.1
    dpop_signing_alg_values_supported: DPOP_SIGNING_ALGS,
  };
}

/** `GET /.well-known/openid-configuration` and `/.well-known/oauth-authorization-server`. */
export function discoveryEndpoint(sandbox: Sandbox): Handler {
  return (c) => c.json(serverMetadata(sandbox));
}

/** `GET /jwks`: the public signing keys, RFC 7517 §5. */
export function jwksEndpoint(sandbox: Sandbox): Handler {
  return async (c) => c.json(await sandbox.keys.jwks());
}

/**
 * The catalog as `GET /catalog` serves it: each private_key_jwt client with this sandbox's key pair, its
 * `jwks` (RFC 7591 §2) and, since this is a sandbox, its `private_jwk` (client-keys.ts).
 */
export async function catalogWithClientKeys(sandbox: Sandbox): Promise<Catalog> {
  const clients = await Promise.all(
    sandbox.catalog.clients.map(async (client) => {
      if (client.token_endpoint_auth_method !== 'private_key_jwt') return client;
      const {publicJwk, privateJwk} = await sandbox.clientKeys.keyPair(client.client_id);
      return {...client, jwks: {keys: [publicJwk]}, private_jwk: privateJwk};
    }),
  );
  return {...sandbox.catalog, clients};
}

/** `GET /catalog`: the demo world, with this sandbox's key pairs for the private_key_jwt clients. */
export function catalogEndpoint(sandbox: Sandbox): Handler {
  return async (c) => c.json(await catalogWithClientKeys(sandbox));
}

/**
 * `POST /reset`: wipes sessions, codes, tokens, consents and keys. A post the browser marks as coming
 * from another site is refused, so no web page can wipe a reader's sandbox behind their back (the
 * docs site and the Node sandbox on localhost are the same site; curl sends no such header).
 */
/** The request header a reset must carry: no HTML form can send it, and no other site's script without a CORS preflight. */
export const RESET_HEADER = 'Sandbox-Reset';

export function resetEndpoint(sandbox: Sandbox): Handler {
  return async (c) => {
    // Trust model (docs/concepts/trust-model.mdx): another website must not wipe a reader's sandbox.
    // A Service Worker sees neither Sec-Fetch-Site nor Origin on a navigation, so an auto-submitting form
    // on any website could reach it; the custom header is what such a form cannot add.
    if (c.req.header('sec-fetch-site') === 'cross-site' || c.req.header(RESET_HEADER) !== 'confirm') {
      return c.json(
        {
          error: 'access_denied',
          error_description: `the sandbox can only be reset from the site itself, with ${RESET_HEADER}: confirm`,
        },
        403,
      );
    }
    await sandbox.store.clear();
    return c.json({reset: true});
  };
}
