/**
 * The Device Authorization Grant's state (RFC 8628): a device code and its user code, what the user
 * decided, and the device's polls. The endpoints are endpoints/device-authorization.ts (the device asks),
 * endpoints/device-pages.ts (the user decides) and grants/device-code.ts (the device polls).
 */
import type {CatalogClient} from './catalog';
import type {DeviceLimits, Sandbox} from './context';
import {ServerError, TemporarilyUnavailable} from './errors';
import {randomToken, sha256} from './tokens';

export const DEFAULT_DEVICE_LIMITS: DeviceLimits = {
  total: 500,
  guessesPerBrowser: 5,
  guessesTotal: 100,
  guessWindow: 600,
};

/**
 * RFC 8628 §6.1: the user code's characters. Twenty consonants, no vowels (no words can be spelled), no
 * digits (none to confuse with letters); case does not matter when the user types it.
 */
export const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
/** Eight of them: 20^8 is about 2^34.6 codes, enough with the guess limits of §5.1 (checks/device-guesses.ts). */
export const USER_CODE_LENGTH = 8;

/**
 * After a device code expires it is kept this long more, in seconds, so that a device still polling gets
 * `expired_token` (§3.5) rather than `invalid_grant` for a code the server forgot.
 */
export const EXPIRED_GRACE = 300;
/** §3.5 slow_down: "the interval MUST be increased by 5 seconds for this and all subsequent requests". */
export const SLOW_DOWN_STEP = 5;
/**
 * How much sooner than the interval a poll may come without being too fast, in milliseconds: the server
 * measures between arrivals, and a client that waits the full interval between sending its polls can see
 * them arrive a little closer together when one took longer on the way.
 */
export const POLL_TOLERANCE_MS = 250;
/** How many users' browsers may be on their way through the pages with one code at once; older ones are dropped. */
const INTERACTIONS_PER_CODE = 5;

export type DeviceStatus = 'pending' | 'approved' | 'denied' | 'redeemed';

/** A device authorization request in progress (§3.1), found by its device code's hash. */
export interface DeviceAuthorization {
  clientId: string;
  /** The user code, normalized: USER_CODE_LENGTH letters of USER_CODE_ALPHABET. */
  userCode: string;
  scopes: string[];
  /** The access token's audience: an API identifier, or the userinfo endpoint. */
  aud: string;
  /** When the device code expires, ms since the epoch. */
  expiresAt: number;
  /** The current minimum time between polls, in seconds: the client's, plus 5 for each slow_down. */
  interval: number;
  /** When the device last polled, ms since the epoch. */
  lastPollAt?: number;
  status: DeviceStatus;
  /** The grant the user approved (status approved or redeemed). */
  grantId?: string;
  /** The device interactions (the user's way through the pages) that started with this code. */
  interactions: string[];
}

const deviceKey = (hash: string) => `device:${hash}`;
const userCodeKey = (userCode: string) => `device:user-code:${userCode}`;
const LIVE = 'device:live';

/** Seconds left before a record may be forgotten: its lifetime and the grace after it. */
function keptFor(record: Pick<DeviceAuthorization, 'expiresAt'>, now: number): number {
  return Math.max(1, Math.ceil((record.expiresAt - now) / 1000) + EXPIRED_GRACE);
}

/** An unbiased random user code (rejection sampling over random bytes). */
export function generateUserCode(): string {
  let code = '';
  while (code.length < USER_CODE_LENGTH) {
    for (const byte of crypto.getRandomValues(new Uint8Array(16))) {
      // 240 = 12 * 20: bytes above it would favour the first letters.
      if (byte < 240 && code.length < USER_CODE_LENGTH)
        code += USER_CODE_ALPHABET.charAt(byte % USER_CODE_ALPHABET.length);
    }
  }
  return code;
}

/** §6.1: shown in two groups of four, `WDJB-MJHT`, easier to read and to type. */
export function formatUserCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * A user code as typed (§6.1: case-insensitive, punctuation such as the dash ignored): the normalized code,
 * or undefined when it cannot be one.
 */
export function normalizeUserCode(input: string): string | undefined {
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  return new RegExp(`^[${USER_CODE_ALPHABET}]{${USER_CODE_LENGTH}}$`).test(code) ? code : undefined;
}

/**
 * Starts a device authorization for a validated request: a device code (256 random bits, §5.2: the
 * server must make it hard to guess), a user code unique among the live ones, and their records, kept for
 * the client's code lifetime (and EXPIRED_GRACE). Throws TemporarilyUnavailable past the total limit.
 */
export async function startDeviceAuthorization(
  sandbox: Sandbox,
  client: CatalogClient,
  request: {scopes: string[]; aud: string},
): Promise<{deviceCode: string; userCode: string; record: DeviceAuthorization}> {
  const settings = client.device_flow;
  if (!settings) throw new ServerError(`client ${client.client_id} has no device_flow settings`);
  const now = sandbox.now();
  const expiresAt = now + settings.code_lifetime * 1000;
  let full = false as boolean;
  await sandbox.store.update<{expiresAt: number}[]>(
    LIVE,
    (list) => {
      const live = (list ?? []).filter((entry) => entry.expiresAt > now);
      full = live.length >= sandbox.limits.devices.total;
      return full ? undefined : [...live, {expiresAt}];
    },
    // As long as the longest-lived code of any client.
    Math.max(...sandbox.catalog.clients.map((candidate) => candidate.device_flow?.code_lifetime ?? 0)),
  );
  if (full) throw new TemporarilyUnavailable('too many devices are waiting for approval; try again in a few minutes');

  const deviceCode = randomToken(32);
  const hash = await sha256(deviceCode);
  let userCode: string | undefined;
  // 20^8 codes: a collision with one of at most `total` live codes is rare, a few in a row practically impossible.
  for (let attempt = 0; attempt < 10 && userCode === undefined; attempt++) {
    const candidate = generateUserCode();
    const taken = await sandbox.store.update<string>(
      userCodeKey(candidate),
      (current) => (current === undefined ? hash : undefined),
      settings.code_lifetime,
    );
    if (taken === undefined) userCode = candidate;
  }
  if (userCode === undefined) throw new ServerError('could not find a free user code');
  const record: DeviceAuthorization = {
    clientId: client.client_id,
    userCode,
    scopes: request.scopes,
    aud: request.aud,
    expiresAt,
    interval: settings.interval,
    status: 'pending',
    interactions: [],
  };
  await sandbox.store.set(deviceKey(hash), record, keptFor(record, now));
  return {deviceCode, userCode, record};
}

/** A pending, unexpired device authorization by its (normalized) user code, with the key to change it by. */
export async function findByUserCode(
  sandbox: Sandbox,
  userCode: string,
): Promise<{hash: string; record: DeviceAuthorization} | undefined> {
  const hash = await sandbox.store.get<string>(userCodeKey(userCode));
  const record = hash === undefined ? undefined : await findByHash(sandbox, hash);
  return hash !== undefined && record && isOpen(record, sandbox.now()) ? {hash, record} : undefined;
}

export async function findByHash(sandbox: Sandbox, hash: string): Promise<DeviceAuthorization | undefined> {
  return sandbox.store.get<DeviceAuthorization>(deviceKey(hash));
}

/** Whether the user may still decide: pending and not expired. */
export function isOpen(record: DeviceAuthorization, now: number): boolean {
  return record.status === 'pending' && record.expiresAt > now;
}

/**
 * Counts a device interaction on its code, dropping the oldest past INTERACTIONS_PER_CODE (the caller
 * deletes them): a code entered again and again creates no more than that. Undefined when the code can no
 * longer be decided.
 */
export async function addInteraction(
  sandbox: Sandbox,
  hash: string,
  id: string,
): Promise<{dropped: string[]} | undefined> {
  const now = sandbox.now();
  let dropped: string[] = [];
  const before = await sandbox.store.update<DeviceAuthorization>(
    deviceKey(hash),
    (record) => {
      if (!record || !isOpen(record, now)) return undefined;
      const interactions = [...record.interactions, id];
      dropped = interactions.splice(0, Math.max(0, interactions.length - INTERACTIONS_PER_CODE));
      return {...record, interactions};
    },
    await remaining(sandbox, hash),
  );
  return before && isOpen(before, now) ? {dropped} : undefined;
}

/**
 * Records the user's decision, once (§3.3): approved with the grant it made, or denied. Only a pending,
 * unexpired code changes; the user code is then forgotten, so it cannot be entered again. Resolves to
 * whether this decision was the one recorded.
 */
export async function decide(
  sandbox: Sandbox,
  hash: string,
  decision: {status: 'approved'; grantId: string} | {status: 'denied'},
): Promise<boolean> {
  const now = sandbox.now();
  const before = await sandbox.store.update<DeviceAuthorization>(
    deviceKey(hash),
    (record) => (record && isOpen(record, now) ? {...record, ...decision} : undefined),
    await remaining(sandbox, hash),
  );
  if (!before) return false;
  await sandbox.store.delete(userCodeKey(before.userCode));
  return isOpen(before, now);
}

/** A record's expiry never changes, so reading it apart from the update that rewrites it is safe. */
async function remaining(sandbox: Sandbox, hash: string): Promise<number> {
  const record = await findByHash(sandbox, hash);
  return record ? keptFor(record, sandbox.now()) : 1;
}

/** What a poll with a device code finds (§3.4, §3.5), and the record as the poll leaves it. */
export type PollOutcome =
  'unknown' | 'other-client' | 'redeemed' | 'expired' | 'denied' | 'slow-down' | 'pending' | 'approved';

/**
 * The rules of §3.5 for one poll at `now`, as a pure function: the token endpoint runs it inside one atomic
 * update of the record, so of concurrent polls exactly one finds an approved code and redeems it.
 */
export function poll(
  record: DeviceAuthorization | undefined,
  clientId: string,
  now: number,
): {outcome: PollOutcome; next?: DeviceAuthorization} {
  if (!record) return {outcome: 'unknown'};
  // RFC 6749 §5.2 invalid_grant: "issued to another client". The poll changes nothing of that code.
  if (record.clientId !== clientId) return {outcome: 'other-client'};
  if (record.status === 'redeemed') return {outcome: 'redeemed'};
  if (record.expiresAt <= now) return {outcome: 'expired'};
  if (record.status === 'denied') return {outcome: 'denied'};
  if (record.status === 'approved')
    return {outcome: 'approved', next: {...record, status: 'redeemed', lastPollAt: now}};
  const tooSoon =
    record.lastPollAt !== undefined && now - record.lastPollAt < record.interval * 1000 - POLL_TOLERANCE_MS;
  if (tooSoon)
    return {outcome: 'slow-down', next: {...record, interval: record.interval + SLOW_DOWN_STEP, lastPollAt: now}};
  return {outcome: 'pending', next: {...record, lastPollAt: now}};
}

/** Runs `poll` atomically on the record of `deviceCode`; resolves to the outcome and the record as it was. */
export async function pollDeviceCode(
  sandbox: Sandbox,
  clientId: string,
  deviceCode: string,
): Promise<{outcome: PollOutcome; record?: DeviceAuthorization}> {
  const hash = await sha256(deviceCode);
  const now = sandbox.now();
  const before = await sandbox.store.update<DeviceAuthorization>(
    deviceKey(hash),
    (record) => poll(record, clientId, now).next,
    await remaining(sandbox, hash),
  );
  return {outcome: poll(before, clientId, now).outcome, ...(before ? {record: before} : {})};
}
