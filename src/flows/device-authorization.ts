/**
 * The Device Authorization Grant (RFC 8628), as the device runs it: a TV, a console, a command-line
 * tool on a remote server, anything with no browser or no keyboard worth typing on.
 *
 * The device asks the authorization server for a pair of codes (§3.1-3.2): a long `device_code` it
 * keeps, and a short `user_code` it shows with a URL. The user opens that URL on their phone or
 * computer, enters the code, signs in and approves (§3.3). Meanwhile the device polls the token
 * endpoint with the device_code (§3.4), no faster than the server's `interval`, slowing down when
 * told to, until it gets tokens or an error that ends the wait (§3.5). Everything protocol-level is
 * done by oauth4webapi; this module wires the steps together with web-standard APIs only (fetch,
 * URL, AbortSignal), so the same code runs in Node and in a browser.
 *
 * @see RFC 8628 (OAuth 2.0 Device Authorization Grant)
 * @see RFC 6749 §5 (token responses and errors)
 */
import * as oauth from 'oauth4webapi';

/** What the device knows about itself and the authorization server. */
export interface DeviceConfig {
  /** Issuer identifier of the authorization server, e.g. `https://auth.example.com`. */
  issuer: string;
  /** The device app's registered client_id. */
  clientId: string;
  /**
   * The client secret of a confidential device client (sent with HTTP Basic, RFC 6749 §2.3.1). Most
   * devices are public clients: an app installed on many devices cannot keep a secret (RFC 8628 §5.6).
   */
  clientSecret?: string;
  /** Space-separated scopes, e.g. `openid profile offline_access calendar:read`. */
  scope: string;
  /** Identifier of the API the access token is for (RFC 8707 `resource`). */
  audience?: string;
  /** A fetch implementation to use instead of the global one (e.g. to log or test requests). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Allow plain-HTTP requests, for a development server such as `npm run sandbox` on localhost. */
  allowInsecureRequests?: boolean;
}

/** The server's answer to the device authorization request (RFC 8628 §3.2). */
export type DeviceAuthorization = oauth.DeviceAuthorizationResponse;

/** One poll of the token endpoint and what the server answered. */
export interface Poll {
  /** 1 for the first poll. */
  attempt: number;
  /** When the request was sent (milliseconds since the epoch). */
  sentAt: number;
  /**
   * `tokens`, or the error code: `authorization_pending` and `slow_down` keep the device waiting;
   * `access_denied`, `expired_token` and any other error end the wait (RFC 8628 §3.5).
   */
  answer: 'tokens' | 'authorization_pending' | 'slow_down' | (string & {});
  /** Seconds the device waits before its next poll, after this answer (none once the wait is over). */
  nextInterval?: number;
}

/** What the polling loop can be given. */
export interface PollingOptions {
  /** Called after each poll, with the server's answer. */
  onPoll?: (poll: Poll) => void;
  /** Stops the wait: the loop rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Waits `milliseconds` before the next poll (default: a timer). A caller may end a wait early, to
   * poll sooner than the server allows and see `slow_down`.
   */
  wait?: (milliseconds: number, signal?: AbortSignal) => Promise<void>;
  /** The clock (default `Date.now`). */
  now?: () => number;
}

/** RFC 8628 §3.2: without an `interval` in the answer, the client waits 5 seconds between polls. */
export const DEFAULT_INTERVAL = 5;

/** RFC 8628 §3.5: on `slow_down`, the interval grows by 5 seconds for this and every later poll. */
export const SLOW_DOWN_STEP = 5;

/** The answers that mean "not yet, ask again" (RFC 8628 §3.5). */
const KEEP_POLLING = new Set(['authorization_pending', 'slow_down']);

function clientOf(config: DeviceConfig): oauth.Client {
  return {client_id: config.clientId};
}

/** A public device sends only its client_id (RFC 6749 §2.1); a confidential one authenticates (§2.3.1). */
function clientAuthentication(config: DeviceConfig): oauth.ClientAuth {
  return config.clientSecret ? oauth.ClientSecretBasic(config.clientSecret) : oauth.None();
}

function httpOptions(config: Pick<DeviceConfig, 'fetch' | 'allowInsecureRequests'>) {
  const options: oauth.HttpRequestOptions<string, URLSearchParams | oauth.ProtectedResourceRequestBody> = {};
  const customFetch = config.fetch;
  // oauth4webapi's request options are fetch()'s RequestInit in all but their TypeScript name.
  if (customFetch) options[oauth.customFetch] = (url, init) => customFetch(url, init as RequestInit);
  // oauth4webapi refuses http: URLs unless told otherwise (RFC 6749 §3.1 and §3.2 require TLS).
  if (config.allowInsecureRequests) options[oauth.allowInsecureRequests] = true;
  return options;
}

/**
 * Fetches and validates the authorization server's metadata, which names the
 * `device_authorization_endpoint` (RFC 8628 §4).
 *
 * @see RFC 8414 §3 (the response's `issuer` must equal the issuer asked for)
 */
export async function discover(config: DeviceConfig): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(config.issuer);
  const response = await oauth.discoveryRequest(issuer, {...httpOptions(config), algorithm: 'oidc'});
  const as = await oauth.processDiscoveryResponse(issuer, response);
  if (!as.device_authorization_endpoint) {
    throw new Error(`${config.issuer} does not announce a device_authorization_endpoint (RFC 8628 §4).`);
  }
  return as;
}

/**
 * Asks for a device code and a user code (RFC 8628 §3.1), and checks the answer has what the device
 * needs (§3.2): `device_code`, `user_code`, `verification_uri`, `expires_in`. Throws
 * `oauth.ResponseBodyError` with the server's `error` on refusal (e.g. `invalid_client`).
 */
export async function requestDeviceCode(
  as: oauth.AuthorizationServer,
  config: DeviceConfig,
): Promise<DeviceAuthorization> {
  const parameters = new URLSearchParams({scope: config.scope});
  if (config.audience) parameters.set('resource', config.audience);
  const client = clientOf(config);
  const response = await oauth.deviceAuthorizationRequest(
    as,
    client,
    clientAuthentication(config),
    parameters,
    httpOptions(config),
  );
  return oauth.processDeviceAuthorizationResponse(as, client, response);
}

/** What one poll got: tokens, or an answer that says to ask again. */
export type PollOutcome =
  {tokens: oauth.TokenEndpointResponse} | {error: 'authorization_pending' | 'slow_down'; description?: string};

/**
 * Polls the token endpoint once with the device code (RFC 8628 §3.4). Resolves with the tokens, or
 * with `authorization_pending` or `slow_down` (§3.5); throws `oauth.ResponseBodyError` for any other
 * error, such as `access_denied`, `expired_token` or `invalid_grant`, which end the wait.
 */
export async function pollOnce(
  as: oauth.AuthorizationServer,
  config: DeviceConfig,
  deviceCode: string,
): Promise<PollOutcome> {
  const client = clientOf(config);
  const response = await oauth.deviceCodeGrantRequest(
    as,
    client,
    clientAuthentication(config),
    deviceCode,
    httpOptions(config),
  );
  try {
    // An ID token, when there is one, is validated too (OpenID Connect Core §3.1.3.7).
    return {tokens: await oauth.processDeviceCodeResponse(as, client, response)};
  } catch (error) {
    if (error instanceof oauth.ResponseBodyError && KEEP_POLLING.has(error.error)) {
      return {
        error: error.error as 'authorization_pending' | 'slow_down',
        ...(error.error_description ? {description: error.error_description} : {}),
      };
    }
    throw error;
  }
}

/** Waits `milliseconds`, or rejects as soon as `signal` is aborted. */
export function sleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, milliseconds);
    const stop = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    signal?.addEventListener('abort', stop, {once: true});
  });
}

/**
 * Polls until the user has answered: the first poll at once, then one every `interval` seconds
 * (§3.2, 5 when the server names none), 5 seconds more after each `slow_down` (§3.5). Resolves with
 * the tokens; rejects with `oauth.ResponseBodyError` on `access_denied` or `expired_token` (§3.5:
 * the device stops polling), or any other error. Once the codes' `expires_in` has passed, the next
 * answer is the last: a server that still says `authorization_pending` gets no more polls.
 */
export async function pollForTokens(
  as: oauth.AuthorizationServer,
  config: DeviceConfig,
  authorization: Pick<DeviceAuthorization, 'device_code' | 'expires_in' | 'interval'>,
  options: PollingOptions = {},
): Promise<oauth.TokenEndpointResponse> {
  const {onPoll, signal, wait = sleep, now = Date.now} = options;
  const expiresAt = now() + authorization.expires_in * 1000;
  let interval = authorization.interval ?? DEFAULT_INTERVAL;
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    const sentAt = now();
    let outcome: PollOutcome;
    try {
      outcome = await pollOnce(as, config, authorization.device_code);
    } catch (error) {
      onPoll?.({attempt, sentAt, answer: error instanceof oauth.ResponseBodyError ? error.error : 'error'});
      throw error;
    }
    if ('tokens' in outcome) {
      onPoll?.({attempt, sentAt, answer: 'tokens'});
      return outcome.tokens;
    }
    if (outcome.error === 'slow_down') interval += SLOW_DOWN_STEP;
    if (now() >= expiresAt) {
      onPoll?.({attempt, sentAt, answer: outcome.error});
      throw new Error(`The codes expired ${authorization.expires_in} s after they were issued, unanswered.`);
    }
    onPoll?.({attempt, sentAt, answer: outcome.error, nextInterval: interval});
    await wait(interval * 1000, signal);
  }
}

/** What an API answered. */
export interface ApiResponse {
  status: number;
  body: unknown;
}

/** Calls an API with the access token as a bearer token (RFC 6750 §2.1). Throws when it refuses. */
export async function callApi(
  url: string | URL,
  accessToken: string,
  config: Pick<DeviceConfig, 'fetch' | 'allowInsecureRequests'> = {},
): Promise<ApiResponse> {
  const response = await oauth.protectedResourceRequest(
    accessToken,
    'GET',
    new URL(url),
    new Headers({accept: 'application/json'}),
    null,
    httpOptions(config),
  );
  const body: unknown = await response.json();
  if (!response.ok) throw new Error(`The API answered ${response.status}: ${JSON.stringify(body)}`);
  return {status: response.status, body};
}
