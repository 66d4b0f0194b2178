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
