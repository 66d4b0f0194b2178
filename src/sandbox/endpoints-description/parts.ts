/**
 * The pieces the endpoint rows share: RFC citations as links, schema shorthands, and the responses
 * several endpoints give (client authentication failures, storage failures, RFC 6750 §3.1 errors).
 */
import type {MediaType, Response, Schema} from '../../contract/openapi';
import type {DescriptionContext} from './types';

/**
 * RFC 7523 §2.2's client_assertion_type, as checks/client-assertion.ts takes it. Written out: the description
 * imports no module of the running sandbox (the Postman runner loads it apart from the sandbox it starts, and
 * two copies of the error classes would not recognize each other's errors).
 */
const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export const rfc = (number: number, section: string) =>
  `[RFC ${number} §${section}](https://www.rfc-editor.org/rfc/rfc${number}#section-${section})`;
export const oidcCore = (section: string, anchor: string) =>
  `[OpenID Connect Core §${section}](https://openid.net/specs/openid-connect-core-1_0.html#${anchor})`;

export const ref = (name: string) => ({$ref: `#/components/schemas/${name}`});
/**
 * The component name of a grant's token request body. Component names are limited to `[A-Za-z0-9._-]`
 * (OpenAPI 3.1 §4.8.7.1), so a URN grant type (RFC 8628 §3.4) is named by its last segment.
 */
export const tokenRequestName = (grant: string) => `TokenRequest_${grant.slice(grant.lastIndexOf(':') + 1)}`;
export const json = (schema: Schema, examples?: MediaType['examples']): Record<string, MediaType> => ({
  'application/json': examples ? {schema, examples} : {schema},
});
export const string = (description: string, extra: Schema = {}): Schema => ({type: 'string', description, ...extra});
/** An HTML page answer. */
export const html = (description: string): Response => ({
  description,
  content: {'text/html': {schema: {type: 'string'}}},
});

/** An error response `{error, error_description}` whose `error` is one of `codes`. */
export function oauthError(description: string, codes: string[], headers?: Response['headers']): Response {
  const schema: Schema = {
    allOf: [ref('OAuthError'), {properties: {error: {enum: codes}}}],
  };
  return {description, ...(headers ? {headers} : {}), content: json(schema)};
}

export const NO_STORE = {$ref: '#/components/headers/CacheControlNoStore'};
export const PRAGMA = {$ref: '#/components/headers/PragmaNoCache'};
export const BASIC_CHALLENGE = {$ref: '#/components/headers/BasicChallenge'};
export const BEARER_CHALLENGE = {$ref: '#/components/headers/BearerChallenge'};
export const DPOP_NONCE = {$ref: '#/components/headers/DPoPNonce'};

/**
 * How the `DPoP` request header (RFC 9449 §4) is used, at the token endpoint and at every token-protected
 * operation. Told in the operations' descriptions rather than as a header parameter: a proof is made per
 * request by the client's key, not typed into a form (the endpoint explorer turns header parameters into fields).
 */
export function dpopUse(where: 'token' | 'resource'): string {
  return where === 'token'
    ? `A \`DPoP\` header with a DPoP proof (${rfc(9449, '4')}: a JWT with \`typ: dpop+jwt\`, the public key as \`jwk\`, \`htm\` POST, \`htu\` this URL, \`iat\` and a one-time \`jti\`) binds the access token to the key (\`token_type: DPoP\`, \`cnf.jkt\`, ${rfc(9449, '5')}, ${rfc(9449, '6.1')}), and a public client's refresh token too. Clients registered with \`dpop_bound_access_tokens\` must send one (${rfc(9449, '5.2')}); clients with the sandbox setting \`dpop_nonce_required\` must also carry the server's \`nonce\` (${rfc(9449, '8')}).`
    : `A DPoP-bound token goes in \`Authorization: DPoP\`, with a \`DPoP\` proof header for this request (${rfc(9449, '7.1')}): signed by the key the token is bound to, with this request's \`htm\` and \`htu\`, and \`ath\`, the hash of the access token; for \`dpop_nonce_required\` clients, the server's \`nonce\` (${rfc(9449, '9')}).`;
}

/** The token, revocation and introspection endpoints' 401 (RFC 6749 §5.2). */
export const invalidClient = oauthError(
  `Client authentication failed: \`invalid_client\`, for a client assertion too (${rfc(7521, '4.2.1')}), saying which check failed. When the client used HTTP Basic, the response carries a \`WWW-Authenticate: Basic\` challenge (${rfc(6749, '5.2')}).`,
  ['invalid_client'],
  {'WWW-Authenticate': BASIC_CHALLENGE, 'Cache-Control': NO_STORE},
);

/**
 * The answers of a sandbox whose storage failed (in the browser: IndexedDB), with the codes RFC 6749
 * §4.1.2.1 names for the server's own failures.
 */
export const storageErrors: Record<string, Response> = {
  '500': oauthError(
    `The sandbox could not save its state because the browser's storage for this site is full: \`server_error\` (${rfc(6749, '4.1.2.1')}). Free some space, then reset the sandbox.`,
    ['server_error'],
  ),
  '503': oauthError(
    `A storage transaction was cut short (the reader cleared site data, another worker version took over): \`temporarily_unavailable\` (${rfc(6749, '4.1.2.1')}). Try again after \`Retry-After\`.`,
    ['temporarily_unavailable'],
    {
      'Retry-After': {
        description: `Seconds to wait before trying again (${rfc(9110, '10.2.3')}).`,
        schema: {type: 'string'},
      },
    },
  ),
};

/** A resource server's RFC 6750 §3.1 errors, for a bearer-protected operation needing `scope`. */
export function bearerErrors(scope: string): Record<string, Response> {
  return {
    '400': oauthError(
      `The request is malformed, for example the token is sent in more than one place: \`invalid_request\` (${rfc(6750, '3.1')}).`,
      ['invalid_request'],
    ),
    '401': {
      description: `No access token, or one that is expired, revoked, malformed or for another audience: \`invalid_token\` (${rfc(6750, '3.1')}). Without any token the challenge carries no error code and the body only a description (${rfc(6750, '3')}). A DPoP-bound token sent as Bearer, or the DPoP scheme with a token that is not bound, is \`invalid_token\` with a \`DPoP\` challenge; a missing or bad proof, or one by another key, is \`invalid_dpop_proof\`; a proof without the current server nonce is \`use_dpop_nonce\`, with the nonce in \`DPoP-Nonce\` (${rfc(9449, '7.1')}, ${rfc(9449, '9')}).`,
      headers: {'WWW-Authenticate': BEARER_CHALLENGE, 'DPoP-Nonce': DPOP_NONCE},
      content: json({
        allOf: [
          ref('OAuthError'),
          {properties: {error: {enum: ['invalid_token', 'invalid_dpop_proof', 'use_dpop_nonce']}}},
        ],
      }),
    },
    '403': {
      description: `The access token lacks the \`${scope}\` scope: \`insufficient_scope\`, and the challenge names the scope needed (${rfc(6750, '3.1')}).`,
      headers: {'WWW-Authenticate': BEARER_CHALLENGE},
      content: json({allOf: [ref('OAuthError'), {properties: {error: {enum: ['insufficient_scope']}}}]}),
    },
  };
}

/**
 * `client_id`, `client_secret` and a client assertion in a form body, for clients that do not use HTTP
 * Basic: client_secret_post (RFC 6749 §2.3.1) and private_key_jwt (RFC 7523 §2.2).
 */
export function clientBodyAuth(): Record<string, Schema> {
  return {
    client_id: string(
      `The client, when it does not use HTTP Basic: a public client (${rfc(6749, '2.1')}), a client_secret_post client (${rfc(6749, '2.3.1')}), or a private_key_jwt client, where it is optional and must be the assertion's \`iss\` (${rfc(7521, '4.2')}).`,
    ),
    client_secret: string(
      `client_secret_post: the secret in the body (${rfc(6749, '2.3.1')}). Never together with HTTP Basic (${rfc(6749, '2.3')}).`,
    ),
    client_assertion_type: string(`private_key_jwt: the assertion's type (${rfc(7523, '2.2')}).`, {
      const: JWT_BEARER_ASSERTION,
    }),
    client_assertion: string(
      `private_key_jwt: a JWT signed with the client's registered key (catalog \`jwks\`; ES256, PS256 or RS256), with \`iss\` and \`sub\` the client_id, \`aud\` the issuer or the token endpoint URL (or this endpoint's URL), \`exp\` at most 300 s away, and a \`jti\` used once (${rfc(7523, '3')}, ${oidcCore('9', 'ClientAuthentication')}). Never together with a secret (${rfc(6749, '2.3')}).`,
    ),
  };
}

/** `scope` and the API the token is for (`resource` or `audience`), in a token request. */
export function targetProperties({allScopes, apiIdentifiers}: DescriptionContext): Record<string, Schema> {
  return {
    scope: string(`Space-separated scopes (${rfc(6749, '3.3')}).`, {examples: [Object.keys(allScopes).join(' ')]}),
    resource: string(`The API the token is for (${rfc(8707, '2')}).`, {enum: apiIdentifiers}),
    audience: string('The API the token is for, as an alternative to `resource`; one of the two, not both.', {
      enum: apiIdentifiers,
    }),
  };
}
