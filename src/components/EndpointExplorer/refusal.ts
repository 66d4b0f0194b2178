/**
 * A refused request in words: the RFC error code from the body (RFC 6749 §5.2, RFC 6750 §3.1), or what
 * a bearer challenge without a code means, explained with the walkthroughs' own advice.
 */
import type {RecordedResponse} from '../../lib/http-exchange';
import {adviceFor} from '../../walkthroughs/engine/errors';

export interface Refusal {
  /** The RFC error code, when the server sent one. */
  error?: string;
  errorDescription?: string;
  status: number;
  explanation: string;
}

function header(response: RecordedResponse, name: string): string | undefined {
  return response.headers.find(([key]) => key.toLowerCase() === name)?.[1];
}

/**
 * The device code grant's answers while a device polls (RFC 8628 §3.5), as a reader polling by hand
 * reads them: some say "ask again later", not "this failed". All are 400s (RFC 6749 §5.2); the sandbox's
 * reset refuses with a 403 `access_denied` of its own.
 */
const POLLING: Record<string, string> = {
  authorization_pending:
    'The user has not answered yet: open the verification URI on another device, enter the user code and approve, then send this request again, no sooner than the interval (RFC 8628 §3.5).',
  slow_down:
    'Polled too soon: wait the interval, which has grown by 5 seconds for this device code, before sending again (RFC 8628 §3.5).',
  access_denied:
    'The user denied the request on the verification page: the device code gets no tokens (RFC 8628 §3.5).',
  expired_token:
    'The device code has expired before the user approved: start again with a new device authorization request (RFC 8628 §3.5).',
};

export function refusalOf(response: RecordedResponse): Refusal | undefined {
  if (response.status < 400) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    body = undefined;
  }
  const field = (name: string) => {
    const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
    return typeof value === 'string' ? value : undefined;
  };
  const error = field('error');
  const errorDescription = field('error_description');
  const challenge = header(response, 'www-authenticate');
  if (error) {
    return {
      error,
      ...(errorDescription ? {errorDescription} : {}),
      status: response.status,
      explanation:
        (response.status === 400 ? POLLING[error] : undefined) ??
        adviceFor({message: '', error, status: response.status}).explanation,
    };
  }
  if (response.status === 401 && challenge?.toLowerCase().startsWith('bearer')) {
    return {
      status: 401,
      ...(errorDescription ? {errorDescription} : {}),
      explanation:
        'The request carried no access token. The API answers with a Bearer challenge, and with no error code, because nothing was wrong with a token it never saw (RFC 6750 §3, §3.1). Choose an access token for this API and send again.',
    };
  }
  if (response.status === 404) return {status: 404, explanation: 'Nothing answers at this address.'};
  return {
    status: response.status,
    ...(errorDescription ? {errorDescription} : {}),
    explanation: `The server refused the request with HTTP ${response.status}${challenge ? ` and the challenge "${challenge}"` : ''}.`,
  };
}
