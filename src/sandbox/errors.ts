/**
 * One class per error code the sandbox returns, each carrying the HTTP status its RFC names.
 * Handlers throw these; `app.onError` renders them as `{ error, error_description }`.
 */
import type {ContentfulStatusCode} from 'hono/utils/http-status';
import {StorageError} from './store/store';

/** Base class: an error with a stable code from an OAuth/OIDC registry. */
export class OAuthError extends Error {
  readonly status: ContentfulStatusCode = 400;
  /** A `WWW-Authenticate` challenge to send with the error (RFC 6749 §5.2, RFC 6750 §3). */
  challenge?: string;
  /** Other headers to send with the error, such as `DPoP-Nonce` (RFC 9449 §8). */
  readonly headers: Record<string, string> = {};
  /** The `error_description` sent on the wire; `message` keeps the original text for HTML pages. */
  readonly description: string;
  constructor(
    readonly code: string,
    description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
    this.description = wireDescription(description);
  }
  /** Adds a `WWW-Authenticate` challenge and returns the error, for `throw error.withChallenge(...)`. */
  withChallenge(challenge: string): this {
    this.challenge = challenge;
    return this;
  }
  /** Adds a response header and returns the error, for `throw error.withHeader(...)`. */
  withHeader(name: string, value: string): this {
    this.headers[name] = value;
    return this;
  }
  /** The JSON error response body, RFC 6749 §5.2. */
  toJSON(): Record<string, string> {
    return {error: this.code, error_description: this.description};
  }
}

/**
 * RFC 6749 §4.1.2.1 / §5.2, RFC 6750 §3: error_description "MUST NOT include characters outside the set
 * %x20-21 / %x23-5B / %x5D-7E". Descriptions may echo request values, so anything else is replaced.
 */
function wireDescription(text: string): string {
  return text
    .replaceAll('§', 'section ')
    .replaceAll('"', "'")
    .replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, '?');
}

function errorClass(code: string, status: ContentfulStatusCode) {
  return class extends OAuthError {
    override readonly status = status;
    constructor(description: string) {
      super(code, description);
    }
  };
}

// RFC 6749 §4.1.2.1, §4.2.2.1, §5.2
export class InvalidRequest extends errorClass('invalid_request', 400) {}
export class InvalidClient extends errorClass('invalid_client', 401) {}
export class InvalidGrant extends errorClass('invalid_grant', 400) {}
export class UnauthorizedClient extends errorClass('unauthorized_client', 400) {}
export class UnsupportedGrantType extends errorClass('unsupported_grant_type', 400) {}
export class InvalidScope extends errorClass('invalid_scope', 400) {}
export class AccessDenied extends errorClass('access_denied', 400) {}
export class UnsupportedResponseType extends errorClass('unsupported_response_type', 400) {}
export class ServerError extends errorClass('server_error', 500) {}
export class TemporarilyUnavailable extends errorClass('temporarily_unavailable', 503) {}
// RFC 8707 §2
export class InvalidTarget extends errorClass('invalid_target', 400) {}
// RFC 8628 §3.5: the token endpoint's answers to a device polling with its device code
export class AuthorizationPending extends errorClass('authorization_pending', 400) {}
export class SlowDown extends errorClass('slow_down', 400) {}
export class ExpiredToken extends errorClass('expired_token', 400) {}
// OIDC Core §3.1.2.6
export class LoginRequired extends errorClass('login_required', 400) {}
export class ConsentRequired extends errorClass('consent_required', 400) {}
// RFC 6750 §3.1
export class InvalidToken extends errorClass('invalid_token', 401) {}
export class InsufficientScope extends errorClass('insufficient_scope', 403) {}
// RFC 9449 §5, §8, §12.2: the token endpoint's DPoP errors; a protected resource answers them with 401 (§7.1, §9)
export class InvalidDpopProof extends errorClass('invalid_dpop_proof', 400) {}
export class UseDpopNonce extends errorClass('use_dpop_nonce', 400) {}
// RFC 7009 §2.2.1
export class UnsupportedTokenType extends errorClass('unsupported_token_type', 400) {}
// Not OAuth codes, but rendered in the same shape so every response is predictable.
export class NotFound extends errorClass('not_found', 404) {}
export class MethodNotAllowed extends errorClass('invalid_request', 405) {}
export class PayloadTooLarge extends errorClass('invalid_request', 413) {}
/**
 * The body stopped before it was complete: the client disconnected mid-upload (or, in the worker, the
 * page went away). That is the client's doing, not a fault of the sandbox, so it is an invalid_request
 * like any other bad body, not a 500, and nothing is logged; usually nobody is left to read the answer.
 */
export class IncompleteBody extends errorClass('invalid_request', 400) {}

/**
 * RFC 6750 §3.1: a request without any token gets the challenge but "SHOULD NOT include an error
 * code", so the body carries only a description.
 */
export class BearerTokenMissing extends OAuthError {
  override readonly status = 401;
  constructor(description: string) {
    super('', description);
  }
  override toJSON(): Record<string, string> {
    return {error_description: this.description};
  }
}

/**
 * A store failure as the OAuth error a client can act on (RFC 6749 §4.1.2.1 defines both codes; the
 * token endpoint answers with them too, with their HTTP status). A full storage quota will not pass by
 * itself: `server_error`, saying what to do. An interrupted transaction may pass on a retry:
 * `temporarily_unavailable`. Anything else is returned as it is.
 */
export function asOAuthError(error: unknown): unknown {
  if (!(error instanceof StorageError)) return error;
  if (error.kind === 'full') {
    return new ServerError(
      `the sandbox could not save its state: ${error.message}. Free some space for this site, then reset the sandbox`,
    );
  }
  return new TemporarilyUnavailable(
    `the sandbox could not save its state: ${error.message}. Try again; if it keeps failing, reset the sandbox`,
  );
}
