/** A thrown value made readable: OAuth errors keep their `error` and `error_description`. */
export interface DescribedError {
  message: string;
  error?: string;
  errorDescription?: string;
  status?: number;
  /** The stable code of a client-side check that failed (oauth4webapi's `code`, e.g. OAUTH_JWT_TIMESTAMP_CHECK_FAILED). */
  code?: string;
  /**
   * The refusal answers what the reader typed into the step's form (a password, a secret):
   * running the step again with other input can succeed.
   */
  correctable?: boolean;
  /**
   * The request never got an HTTP answer: fetch() rejected with a TypeError. In a browser that is
   * a server that is down or unreachable, or one whose CORS headers do not allow this page's origin.
   */
  network?: boolean;
  /** The client-side check of oauth4webapi that failed (its error code), when it is one with advice below. */
  check?: keyof typeof CHECK_ADVICE;
  /** This browser cannot run the sandbox (no Service Worker, or the worker refused or never took control). */
  sandboxUnavailable?: boolean;
}

interface Challenge {
  scheme?: string;
  parameters?: Record<string, string | undefined>;
}

function stringField(value: unknown, name: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[name];
  return typeof field === 'string' ? field : undefined;
}

/**
 * Describes anything a step may throw. oauth4webapi's errors carry the
 * server's `error` / `error_description` (RFC 6749 §4.1.2.1, §5.2) directly,
 * or inside WWW-Authenticate challenges (RFC 6750 §3).
 */
export function describeError(thrown: unknown): DescribedError {
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  const described: DescribedError = {message};
  const error = stringField(thrown, 'error');
  if (error) {
    described.error = error;
    described.errorDescription = stringField(thrown, 'error_description');
  } else if (typeof thrown === 'object' && thrown !== null && Array.isArray((thrown as {cause?: unknown}).cause)) {
    const challenge = (thrown as {cause: Challenge[]}).cause[0];
    if (challenge?.parameters?.error) {
      described.error = challenge.parameters.error;
      described.errorDescription = challenge.parameters.error_description;
    }
  }
  const code = stringField(thrown, 'code');
  if (code && !described.error) described.code = code;
  const status = typeof thrown === 'object' && thrown !== null ? (thrown as {status?: unknown}).status : undefined;
  if (typeof status === 'number') described.status = status;
  if (typeof thrown === 'object' && thrown !== null && (thrown as {correctable?: unknown}).correctable === true)
    described.correctable = true;
  // fetch() rejects with a bare TypeError; oauth4webapi's own argument errors are TypeErrors with a code.
  if (thrown instanceof TypeError && stringField(thrown, 'code') === undefined) described.network = true;
  if (code && Object.hasOwn(CHECK_ADVICE, code)) described.check = code as keyof typeof CHECK_ADVICE;
  if (thrown instanceof Error && thrown.name === 'SandboxUnavailableError') described.sandboxUnavailable = true;
  return described;
}

/** An OAuth error response (RFC 6749 §5.2) with its code read, whatever threw it first. */
export class ErrorResponse extends Error {
  readonly error: string;
  readonly error_description?: string;
  readonly status?: number;
  readonly correctable: boolean;

  constructor(
    message: string,
    fields: {error: string; error_description?: string; status?: number; correctable?: boolean},
    options: {cause?: unknown} = {},
  ) {
    super(message, options);
    this.name = 'ErrorResponse';
    this.error = fields.error;
    if (fields.error_description !== undefined) this.error_description = fields.error_description;
    if (fields.status !== undefined) this.status = fields.status;
    this.correctable = fields.correctable ?? false;
  }
}

/**
 * The status and JSON body of a thrown error's unread HTTP response, when it has one: oauth4webapi keeps
 * it as `response`, or as `cause` when the status was not one it reads error bodies for (a 5xx).
 */
async function responseOf(thrown: unknown): Promise<{status: number; body: unknown} | undefined> {
  if (typeof thrown !== 'object' || thrown === null) return undefined;
  const {response: kept, cause} = thrown as {response?: unknown; cause?: unknown};
  const response = kept instanceof Response ? kept : cause;
  if (!(response instanceof Response)) return undefined;
  try {
    return {status: response.status, body: await response.clone().json()};
  } catch {
    return undefined;
  }
}

/**
 * Reads the OAuth error code of a refusal wherever the server put it, for `describeError`. oauth4webapi
 * reads the error body of a 4xx answer only, so a `server_error` (500) or `temporarily_unavailable`
 * (503, RFC 6749 §4.1.2.1) is read here. A client that fails HTTP Basic authentication gets 401 with a `WWW-Authenticate: Basic` challenge and the
 * `invalid_client` code in the body (RFC 6749 §5.2); the challenge has no `error` parameter, so
 * oauth4webapi throws its challenge error without reading that body. This reads it.
 *
 * `correctable` marks the refusal as an answer to what the reader typed, so the step offers a retry.
 * Returns what was thrown unchanged when it holds no OAuth error.
 */
export async function readRefusal(thrown: unknown, options: {correctable?: boolean} = {}): Promise<unknown> {
  const described = describeError(thrown);
  // Already read (a step's own refusal, correctable or not): reading it again changes nothing.
  if (described.error && !options.correctable) return thrown;
  const response = described.error ? undefined : await responseOf(thrown);
  const error = described.error ?? stringField(response?.body, 'error');
  if (!error) return thrown;
  return new ErrorResponse(
    described.message,
    {
      error,
      error_description: described.error
        ? described.errorDescription
        : stringField(response?.body, 'error_description'),
      status: described.status ?? response?.status,
      correctable: options.correctable,
    },
    {cause: thrown},
  );
}

/** What the reader can do about a failed step. */
export interface Advice {
  /** What went wrong, in words. */
  explanation: string;
  /** The action that can help: run the same step again, or start the walkthrough over. */
  next: 'try-again' | 'start-over';
}

/**
 * RFC errors in words. A code, a consent or a refresh token that was refused is spent: running the
 * step again cannot help, so these point the reader to starting over (a fresh authorization), unless
 * the refusal was `correctable` (a wrong password typed into the step's form).
 */
const ADVICE: Record<string, Advice> = {
  access_denied: {
    explanation: 'The request was not authorized: consent was denied at the authorization server (RFC 6749 §4.1.2.1).',
    next: 'start-over',
  },
  expired_token: {
    explanation:
      'The device code expired before the user approved it, so the device stopped polling (RFC 8628 §3.5). Start over for a new code.',
    next: 'start-over',
  },
  login_required: {explanation: 'The authorization server needs the user to sign in again.', next: 'start-over'},
  consent_required: {explanation: 'The authorization server needs the user to consent again.', next: 'start-over'},
  invalid_grant: {
    explanation:
      'The authorization server refused the grant: a wrong username or password, or a code or refresh token that is expired, already used, revoked, or issued to another client or redirect URI (RFC 6749 §5.2).',
    next: 'start-over',
  },
  invalid_client: {
    explanation:
      'The client could not be authenticated: an unknown client_id, a wrong secret, or an authentication method it is not registered for (RFC 6749 §5.2, RFC 7591 §2).',
    next: 'try-again',
  },
  invalid_request: {
    explanation: 'The request was malformed or is missing a required parameter (RFC 6749 §5.2).',
    next: 'start-over',
  },
  invalid_scope: {
    explanation: 'A requested scope is unknown, or wider than what was granted (RFC 6749 §5.2).',
    next: 'start-over',
  },
  invalid_target: {
    explanation: 'The requested API (resource / audience) is not one this client may get a token for (RFC 8707 §2).',
    next: 'start-over',
  },
  unauthorized_client: {
    explanation: 'This client is not registered for this grant type (RFC 6749 §5.2).',
    next: 'start-over',
  },
  invalid_token: {
    explanation: 'The API refused the access token: expired, revoked, or issued for another audience (RFC 6750 §3.1).',
    next: 'start-over',
  },
  insufficient_scope: {
    explanation: 'The access token lacks the scope this API operation needs (RFC 6750 §3.1).',
    next: 'start-over',
  },
  server_error: {
    explanation:
      'The authorization server failed to answer; its description says why. Running the step again may work; if it does not, reset the sandbox.',
    next: 'try-again',
  },
  temporarily_unavailable: {
    explanation:
      'The authorization server could not answer just now; its description says why. Running the step again may work; if it does not, reset the sandbox.',
    next: 'try-again',
  },
};

/** oauth4webapi's code for a token whose `exp`, `nbf` or `iat` does not fit the client's clock. */
const CLOCK_CHECK_FAILED = 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED';

const CLOCK_ADVICE: Advice = {
  explanation:
    "The token's times do not fit this device's clock: by it, the token expired before it arrived, or is not valid yet. The clocks of this device and the authorization server disagree by more than a client allows (OIDC Core §3.1.3.7). Set this device's clock right, then start over.",
  next: 'start-over',
};

/**
 * oauth4webapi's checks of what a server answered, in words: the ones a misconfigured provider
 * trips first. The codes are oauth4webapi's stable error codes.
 */
const CHECK_ADVICE = {
  OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED:
    'A value in the server\'s answer is not the one expected. In a discovery document, "issuer" must equal the issuer URL you entered, character for character, trailing slash included (RFC 8414 §3.3, OpenID Connect Discovery §4.3): copy the issuer from the document itself.',
  OAUTH_RESPONSE_IS_NOT_CONFORM:
    "The server answered with an unexpected HTTP status. For discovery, neither the issuer's /.well-known/openid-configuration nor its RFC 8414 /.well-known/oauth-authorization-server answered with a document: check the issuer URL.",
  OAUTH_RESPONSE_IS_NOT_JSON:
    'The server answered with something other than JSON: the URL may point at a web page rather than at the authorization server.',
  OAUTH_INVALID_RESPONSE:
    "The server's answer is missing something the protocol requires or has a value of the wrong type.",
  OAUTH_HTTP_REQUEST_FORBIDDEN:
    'The endpoint uses plain http. Only a server on localhost may; anywhere else OAuth needs TLS (RFC 6749 §3.1, §3.2).',
  OAUTH_JWT_CLAIM_COMPARISON_FAILED:
    'A claim of the ID token is not the one expected (iss, aud or nonce; OpenID Connect Core §3.1.3.7).',
  OAUTH_JWT_TIMESTAMP_CHECK_FAILED:
    "The ID token is expired or not yet valid: check this computer's clock (OpenID Connect Core §3.1.3.7).",
} as const;

/** Where the walkthrough runs when it is not the sandbox: what the reader's provider must be configured with. */
export interface OwnProviderContext {
  issuer: string;
  /** This site's origin, to allow for cross-origin requests. */
  siteOrigin: string;
  /** This page, the redirect URI to register. */
  redirectUri: string;
}

/** A request to the reader's provider got no answer the page may read: most often CORS, in words. */
function unreachable(context: OwnProviderContext): string {
  return (
    `This page could not read an answer from ${context.issuer}. Either the server is not reachable from this browser, or it refused the ` +
    `cross-origin request. Configure your provider for a browser app: allow the origin ${context.siteOrigin} for cross-origin requests ` +
    `(called "Allowed Web Origins" in Auth0, "Trusted Origins" with CORS in Okta, "Web origins" in Keycloak); register ${context.redirectUri} ` +
    'as a redirect URI; and make the client public (no client secret, token endpoint authentication "none") with PKCE.'
  );
}

/**
 * What a failure means and what to do next; an error with no OAuth code (a network failure, a check)
 * may pass on a retry, and so may a refusal of what the reader typed, once they change it. With
 * `ownProvider`, a request that got no answer says what to configure at that provider.
 */
export function adviceFor(error: DescribedError, ownProvider?: OwnProviderContext): Advice {
  if (error.network && ownProvider) return {explanation: unreachable(ownProvider), next: 'try-again'};
  if (error.code === CLOCK_CHECK_FAILED) return CLOCK_ADVICE;
  if (error.check) return {explanation: CHECK_ADVICE[error.check], next: 'try-again'};
  const known = error.error ? ADVICE[error.error] : undefined;
  if (known) return error.correctable ? {...known, next: 'try-again'} : known;
  if (error.error && error.correctable)
    return {explanation: `The server answered with the error "${error.error}".`, next: 'try-again'};
  if (error.error) return {explanation: `The server answered with the error "${error.error}".`, next: 'start-over'};
  return {explanation: 'The step did not complete.', next: 'try-again'};
}
