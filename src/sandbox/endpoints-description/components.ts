/** What the OpenAPI document puts around the rows: its info, tags, security schemes and shared headers. */
import type {HeaderObject, Schema} from '../../contract/openapi';
import {DEVICE_CODE_GRANT_TYPE} from '../../contract/catalog';
import {GRANT_TYPES, type GrantType} from '../grants/grant-types';
import {rfc} from './parts';
import type {DescriptionContext, EndpointsDescription} from './types';

export function info(issuer: string): EndpointsDescription['info'] {
  return {
    title: 'OAuth 2.0 sandbox',
    version: '1.0.0',
    summary: 'A sandbox OAuth 2.0 and OpenID Connect authorization server with two demo APIs.',
    description: `The sandbox behind "OAuth 2.0 Flows, Live", for the issuer \`${issuer}\`. Paths are relative to the issuer. Errors are JSON \`{error, error_description}\` with the status the RFCs name (${rfc(6749, '5.2')}, ${rfc(6750, '3.1')}). The demo clients, users and their secrets are at \`${issuer}/catalog\`.`,
    license: {name: 'MIT', identifier: 'MIT'},
  };
}

export function tags({catalog}: DescriptionContext): EndpointsDescription['tags'] {
  return [
    {name: 'Discovery', description: 'Server metadata and signing keys.'},
    {name: 'Authorization server', description: 'The OAuth 2.0 and OpenID Connect endpoints.'},
    {name: 'Sandbox', description: 'Sandbox-only endpoints: the demo world, reset, this description.'},
    ...catalog.apis.map((api) => ({
      name: api.name,
      description: `A demo resource server for the audience \`${api.identifier}\`.`,
    })),
  ];
}

/**
 * The OpenAPI OAuth flow of each grant registered in grants/registry.ts, under its OpenAPI name.
 * `refresh_token` is no flow of its own: it is the `refreshUrl` of the flows whose tokens it refreshes,
 * which client_credentials' are not (RFC 6749 §4.4.3).
 */
function oauthFlows({issuer, allScopes, apiScopes}: DescriptionContext): Record<string, Schema> {
  const tokenUrl = `${issuer}/token`;
  const refresh = GRANT_TYPES.includes('refresh_token') ? {refreshUrl: tokenUrl} : {};
  const flows: Record<GrantType, [string, Schema] | undefined> = {
    authorization_code: [
      'authorizationCode',
      {authorizationUrl: `${issuer}/authorize`, tokenUrl, ...refresh, scopes: allScopes},
    ],
    client_credentials: ['clientCredentials', {tokenUrl, scopes: apiScopes}],
    password: ['password', {tokenUrl, ...refresh, scopes: allScopes}],
    refresh_token: undefined,
    // OpenAPI 3.1's OAuth Flows Object has no device flow: the device code grant is documented by its
    // endpoint (postDeviceAuthorization) and its token request body instead.
    [DEVICE_CODE_GRANT_TYPE]: undefined,
  };
  return Object.fromEntries(GRANT_TYPES.map((grant) => flows[grant]).filter((flow) => flow !== undefined));
}

export function securitySchemes(context: DescriptionContext): Record<string, Schema> {
  return {
    clientSecretBasic: {
      type: 'http',
      scheme: 'basic',
      description: `Client authentication with the client_id and client_secret, each form-urlencoded first (client_secret_basic, ${rfc(6749, '2.3.1')}). Public clients send only \`client_id\` in the body, client_secret_post clients send \`client_id\` and \`client_secret\` there instead, and private_key_jwt clients a signed \`client_assertion\` (${rfc(7523, '2.2')}).`,
    },
    bearer: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: `An access token in the \`Authorization: Bearer\` header (${rfc(6750, '2.1')}), a JWT (${rfc(9068, '2')}) for the API named by its \`aud\`. A DPoP-bound token (\`cnf.jkt\`) goes in \`Authorization: DPoP\` instead, with a \`DPoP\` proof header (${rfc(9449, '7.1')}).`,
    },
    oauth2: {
      type: 'oauth2',
      description: `The flows this server supports (${rfc(6749, '4')}). Public clients add PKCE with S256 (${rfc(7636, '4')}).`,
      flows: oauthFlows(context),
    },
  };
}

export const headers: Record<string, HeaderObject> = {
  CacheControlNoStore: {
    description: `\`no-store\`: responses with tokens or credentials must not be cached (${rfc(6749, '5.1')}).`,
    required: true,
    schema: {type: 'string', const: 'no-store'},
  },
  PragmaNoCache: {
    description: `\`no-cache\`, for HTTP/1.0 caches (${rfc(6749, '5.1')}).`,
    schema: {type: 'string', const: 'no-cache'},
  },
  BasicChallenge: {
    description: `\`Basic realm="…"\` when the client authenticated with HTTP Basic (${rfc(6749, '5.2')}).`,
    schema: {type: 'string'},
  },
  BearerChallenge: {
    description: `\`Bearer realm="…"\` with \`error\`, \`error_description\` and, for insufficient_scope, \`scope\` (${rfc(6750, '3')}); for a DPoP-bound token, or a request with the DPoP scheme, \`DPoP realm="…"\` with the same attributes and \`algs\`, the proof algorithms accepted (${rfc(9449, '7.1')}).`,
    required: true,
    schema: {type: 'string'},
  },
  DPoPNonce: {
    description: `A server nonce to put in the next DPoP proof (${rfc(9449, '8')}, ${rfc(9449, '9')}): with \`use_dpop_nonce\`, and on a success whose proof carried the previous nonce.`,
    schema: {type: 'string'},
  },
};
