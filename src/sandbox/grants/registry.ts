import {authorizationCode} from './authorization_code';
import {clientCredentials} from './client_credentials';
import {password} from './password';
import {refreshToken} from './refresh_token';
import type {GrantHandler} from './types';

/**
 * The token endpoint's grants (RFC 6749 §4, §6), keyed by their `grant_type` wire value: the one list
 * the token endpoint dispatches on, discovery advertises (RFC 8414 §2 `grant_types_supported`) and the
 * OpenAPI description documents a request body for.
 */
export const GRANTS = {
  authorization_code: authorizationCode,
  client_credentials: clientCredentials,
  password,
  refresh_token: refreshToken,
} as const satisfies Record<string, GrantHandler>;

/** A `grant_type` the token endpoint accepts. */
export type GrantType = keyof typeof GRANTS;

/** The registered grant types, in registration order. */
export const GRANT_TYPES = Object.keys(GRANTS) as GrantType[];
