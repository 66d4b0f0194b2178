import type {InteractionLimits, Sandbox} from './context';
import {TemporarilyUnavailable} from './errors';
import type {Store} from './store/store';
import {randomToken} from './tokens';

/** `token` only for the tokens-in-url lab's client (sandbox/labs.ts); never offered in the metadata. */
export type ResponseType = 'code' | 'id_token' | 'id_token token' | 'token';
export type ResponseMode = 'query' | 'fragment' | 'form_post';

/** A validated authorization request, everything needed to answer the client later. */
export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  responseType: ResponseType;
  responseMode: ResponseMode;
  scopes: string[];
  /** The access token's audience: an API identifier, or the userinfo endpoint. */
  aud: string;
  state?: string;
  nonce?: string;
  codeChallenge?: string;
  prompt: string[];
  maxAge?: number;
}

/** An authorization request in progress across the login and consent pages. */
export interface Interaction {
  id: string;
  /** Per-interaction value the login and consent forms must echo (CSRF protection). */
  csrf: string;
  request: AuthorizationRequest;
  /** When it expires (ms since the epoch): saving it again never extends its life. Absent when a previous version stored it. */
  expiresAt?: number;
  /** The pending-interaction lists it is counted in (see InteractionLimits). Absent when a previous version stored it. */
  lists?: string[];
  /** Set once the user logged in during this interaction (or was already logged in). */
  sub?: string;
  authTime?: number;
  consented?: boolean;
}

export const DEFAULT_INTERACTION_LIMITS: InteractionLimits = {perBrowser: 20, perClient: 100, total: 500};

/** Interactions expire 10 minutes after the authorization request. */
export const INTERACTION_TTL = 600;
const interactionKey = (id: string) => `interaction:${id}`;
const ALL = 'pending:all';
const clientList = (clientId: string) => `pending:client:${clientId}`;
const browserList = (browser: string) => `pending:browser:${browser}`;

/** A list of pending interactions, oldest first. */
type PendingList = {id: string; expiresAt: number}[];

/**
 * Starts an interaction for a validated request, within the limits: `browser` names the browser's
 * session when it has one. Throws TemporarilyUnavailable when the total limit is reached.
 */
export async function createInteraction(
  sandbox: Sandbox,
  request: AuthorizationRequest,
  browser?: string,
): Promise<Interaction> {
  const limits = sandbox.limits.interactions;
  const now = sandbox.now();
  const id = randomToken(16);
  const expiresAt = now + INTERACTION_TTL * 1000;
  const live = (list: PendingList | undefined) => (list ?? []).filter((pending) => pending.expiresAt > now);

  let full = false as boolean;
  await sandbox.store.update<PendingList>(
    ALL,
    (list) => {
      const pending = live(list);
      full = pending.length >= limits.total;
      return full ? undefined : [...pending, {id, expiresAt}];
    },
    INTERACTION_TTL,
  );
  if (full) throw new TemporarilyUnavailable('too many sign-ins are in progress; try again in a few minutes');

  const lists = [ALL, clientList(request.clientId), ...(browser ? [browserList(browser)] : [])];
  const dropped = new Set<string>();
  for (const [key, limit] of [
    [lists[1]!, limits.perClient],
    [lists[2], limits.perBrowser],
  ] as const) {
    if (!key) continue;
    await sandbox.store.update<PendingList>(
      key,
      (list) => {
        const pending = [...live(list), {id, expiresAt}];
        for (const oldest of pending.splice(0, Math.max(0, pending.length - limit))) dropped.add(oldest.id);
        return pending;
      },
      INTERACTION_TTL,
    );
  }
  const interaction: Interaction = {id, csrf: randomToken(16), request, expiresAt, lists};
  await saveInteraction(sandbox, interaction);
  await Promise.all([...dropped].map((oldest) => endInteraction(sandbox, oldest)));
  return interaction;
}

export async function saveInteraction(sandbox: Sandbox, interaction: Interaction): Promise<void> {
  // An interaction a previous version stored has no expiresAt: it gets the full TTL once more.
  const left =
    interaction.expiresAt === undefined ? INTERACTION_TTL : Math.ceil((interaction.expiresAt - sandbox.now()) / 1000);
  if (left > 0) await sandbox.store.set(interactionKey(interaction.id), interaction, left);
}

export async function findInteraction(sandbox: Sandbox, id: string): Promise<Interaction | undefined> {
  return /^[A-Za-z0-9_-]{1,64}$/.test(id) ? sandbox.store.get<Interaction>(interactionKey(id)) : undefined;
}

/** Ends an interaction: it is deleted and no longer counts against any limit. */
export async function endInteraction(sandbox: Sandbox, id: string): Promise<void> {
  const interaction = await sandbox.store.take<Interaction>(interactionKey(id));
  if (!interaction) return;
  await Promise.all(
    // (An interaction a previous version stored is in no list.)
    (interaction.lists ?? []).map((key) =>
      sandbox.store.update<PendingList>(
        key,
        (list) =>
          list?.some((pending) => pending.id === id) ? list.filter((pending) => pending.id !== id) : undefined,
        INTERACTION_TTL,
      ),
    ),
  );
}

/** How many interactions are pending in total (for tests and diagnostics). */
export async function pendingInteractions(store: Store, now: number): Promise<number> {
  return ((await store.get<PendingList>(ALL)) ?? []).filter((pending) => pending.expiresAt > now).length;
}

export function interactionUrl(sandbox: Sandbox, interaction: Interaction, step: 'login' | 'consent'): string {
  return `${sandbox.issuer}/interaction/${interaction.id}/${step}`;
}
