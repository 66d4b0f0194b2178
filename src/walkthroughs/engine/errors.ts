/** A thrown value made readable: OAuth errors keep their `error` and `error_description`. */
export interface DescribedError {
  message: string;
  error?: string;
  errorDescription?: string;
  status?: number;
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
    const challenge = ((thrown as {cause: Challenge[]}).cause)[0];
    if (challenge?.parameters?.error) {
      described.error = challenge.parameters.error;
      described.errorDescription = challenge.parameters.error_description;
    }
  }
  const status = typeof thrown === 'object' && thrown !== null ? (thrown as {status?: unknown}).status : undefined;
  if (typeof status === 'number') described.status = status;
  return described;
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
 * step again cannot help, so these point the reader to starting over (a fresh authorization).
 */
const ADVICE: Record<string, Advice> = {
  access_denied: {
    explanation: 'The request was not authorized: consent was denied at the authorization server (RFC 6749 §4.1.2.1).',
    next: 'start-over',
  },
  login_required: {explanation: 'The authorization server needs the user to sign in again.', next: 'start-over'},
  consent_required: {explanation: 'The authorization server needs the user to consent again.', next: 'start-over'},
  invalid_grant: {
    explanation:
      'The authorization server refused the grant: a code or refresh token that is expired, already used, revoked, or issued to another client or redirect URI (RFC 6749 §5.2).',
    next: 'start-over',
  },
  invalid_client: {explanation: 'The client could not be authenticated: wrong client_id or secret (RFC 6749 §5.2).', next: 'try-again'},
  invalid_request: {explanation: 'The request was malformed or is missing a required parameter (RFC 6749 §5.2).', next: 'start-over'},
  invalid_scope: {explanation: 'A requested scope is unknown, or wider than what was granted (RFC 6749 §5.2).', next: 'start-over'},
  invalid_target: {explanation: 'The requested API (resource / audience) is not one this client may get a token for (RFC 8707 §2).', next: 'start-over'},
  unauthorized_client: {explanation: 'This client is not registered for this grant type (RFC 6749 §5.2).', next: 'start-over'},
  invalid_token: {
    explanation: 'The API refused the access token: expired, revoked, or issued for another audience (RFC 6750 §3.1).',
    next: 'start-over',
  },
  insufficient_scope: {explanation: 'The access token lacks the scope this API operation needs (RFC 6750 §3.1).', next: 'start-over'},
  server_error: {explanation: 'The sandbox failed to answer. Running the step again may work.', next: 'try-again'},
  temporarily_unavailable: {explanation: 'The server is busy. Running the step again may work.', next: 'try-again'},
};

/** What a failure means and what to do next; an error with no OAuth code (a network failure, a check) may pass on a retry. */
export function adviceFor(error: DescribedError): Advice {
  const known = error.error ? ADVICE[error.error] : undefined;
  if (known) return known;
  if (error.error) return {explanation: `The server answered with the error "${error.error}".`, next: 'start-over'};
  return {explanation: 'The step did not complete.', next: 'try-again'};
}
