import type {Params} from './checks/params';
import {epochSeconds, type Sandbox} from './context';
import {TemporarilyUnavailable} from './errors';
import {randomToken} from './tokens';

/** RFC 9126 §2.2: the URN prefix of every `request_uri` the sandbox hands out. */
export const REQUEST_URI_PREFIX = 'urn:ietf:params:oauth:request_uri:';
/** RFC 9126 §2.2 `expires_in`: a pushed request is meant to be used at once (the RFC's example: 60 s). */
export const PUSHED_REQUEST_LIFETIME = 60;
/**
 * How many pushed requests may wait at once, in all: a public client pushes with nothing but its client_id,
 * so without a cap a flood of pushes would grow the Store (each lives PUSHED_REQUEST_LIFETIME seconds).
 */
export const MAX_PENDING_PUSHED_REQUESTS = 1000;

/** A pushed authorization request as the Store keeps it until it is used or expires. */
export interface PushedRequest {
  clientId: string;
  values: Array<[string, string]>;
  repeated: string[];
}

const requestKey = (id: string) => `par:${id}`;
const PENDING_KEY = 'par:pending';

/** Keeps a validated pushed request and answers its one-time `request_uri` (RFC 9126 §2.2). */
export async function savePushedRequest(sandbox: Sandbox, clientId: string, params: Params): Promise<string> {
  const now = epochSeconds(sandbox);
  let full = false as boolean;
  await sandbox.store.update<{expiries: number[]}>(
    PENDING_KEY,
    (current) => {
      const expiries = (current?.expiries ?? []).filter((expiry) => expiry > now);
      full = expiries.length >= MAX_PENDING_PUSHED_REQUESTS;
      if (!full) expiries.push(now + PUSHED_REQUEST_LIFETIME);
      return {expiries};
    },
    PUSHED_REQUEST_LIFETIME,
  );
  // RFC 6749 §4.1.2.1 temporarily_unavailable, as the device authorization endpoint answers when full.
  if (full) throw new TemporarilyUnavailable('too many pushed authorization requests are waiting; try again shortly');
  // RFC 9126 §2.2 and §7.1: the request_uri must not be guessable; 256 random bits.
  const id = randomToken(32);
  const record: PushedRequest = {clientId, values: [...params.values], repeated: [...params.repeated]};
  await sandbox.store.set(requestKey(id), record, PUSHED_REQUEST_LIFETIME);
  return `${REQUEST_URI_PREFIX}${id}`;
}

/** Why a request_uri could not be used; the authorization endpoint answers with `invalid_request_uri`. */
export type RequestUriProblem = 'unknown' | 'other-client';

/**
 * Redeems a `request_uri` for `clientId` (RFC 9126 §4): once only (a second use finds nothing), and only by
 * the client that pushed it, whose attempt by another client leaves it in place for its own. Unknown,
 * expired and used ones are alike: the Store no longer has them.
 */
export async function redeemPushedRequest(
  sandbox: Sandbox,
  clientId: string,
  requestUri: string,
): Promise<Params | RequestUriProblem> {
  if (!requestUri.startsWith(REQUEST_URI_PREFIX)) return 'unknown';
  const key = requestKey(requestUri.slice(REQUEST_URI_PREFIX.length));
  const found = await sandbox.store.get<PushedRequest>(key);
  if (!found) return 'unknown';
  if (found.clientId !== clientId) return 'other-client';
  // Atomic: of two requests with the same request_uri, one takes it.
  const taken = await sandbox.store.take<PushedRequest>(key);
  if (!taken) return 'unknown';
  return {values: new Map(taken.values), repeated: new Set(taken.repeated)};
}
