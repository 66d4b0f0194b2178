import {DEVICE_CODE_GRANT_TYPE} from '../../contract/catalog';

/**
 * The token endpoint's grant types (RFC 6749 §4, §6; RFC 8628 §3.4), by their `grant_type` wire value: the one list
 * the token endpoint dispatches on (registry.ts holds a handler for each), discovery advertises
 * (RFC 8414 §2 `grant_types_supported`) and the OpenAPI description documents a request body for.
 * Names only, so the description can read them without loading the handlers.
 */
export const GRANT_TYPES = [
  'authorization_code',
  'client_credentials',
  'password',
  'refresh_token',
  DEVICE_CODE_GRANT_TYPE,
] as const;

/** A `grant_type` the token endpoint accepts. */
export type GrantType = (typeof GRANT_TYPES)[number];
