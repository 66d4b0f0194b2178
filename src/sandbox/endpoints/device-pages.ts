import type {Context, Handler} from 'hono';
import {getCookie, setCookie} from 'hono/cookie';
import {findApi, findClient, findUserBySub, type CatalogClient} from '../catalog';
import {takeGuess} from '../checks/device-guesses';
import {checkPassword, retryIn} from '../checks/password-attempts';
import {epochSeconds, type Sandbox, type SandboxEnv} from '../context';
import {
  addInteraction,
  decide,
  findByHash,
  findByUserCode,
  formatUserCode,
  isOpen,
  normalizeUserCode,
  type DeviceAuthorization,
} from '../device';
import {createGrant, revokeGrant} from '../grant-store';
import {skipsDeviceConfirmation} from '../labs';
import {consentPage} from '../pages/consent';
import {confirmDevicePage, deviceDonePage, enterCodePage} from '../pages/device';
import {loginPage} from '../pages/login';
import {getSession, startSession} from '../session';
import {randomToken} from '../tokens';
import {sameOriginForm} from './interaction';

/**
 * The user's side of the Device Authorization Grant (RFC 8628 §3.3), at `{issuer}/device`: enter the user
 * code, sign in (skipped with a single sign-on session), confirm the device (§5.4), consent, done. Each
 * browser that enters a valid code goes through the steps in a device interaction of its own, whose forms
 * carry its CSRF value and must come from the sandbox's own pages (`sameOriginForm`, as for sign-in).
 */

/** A browser's way through the steps for one device code. */
interface DeviceInteraction {
  id: string;
  /** The value the step forms must echo (CSRF protection). */
  csrf: string;
  /** The hash of the device code, its record's key. */
  hash: string;
  clientId: string;
  userCode: string;
  /** When it expires (ms since the epoch): with the code, or after ten minutes, whichever comes first. */
  expiresAt: number;
  sub?: string;
  authTime?: number;
  /** The user said they started this on a device in front of them (§5.4). */
  confirmed?: boolean;
}

type Step = 'login' | 'confirm' | 'consent';
const STEPS: readonly string[] = ['login', 'confirm', 'consent'];
const INTERACTION_TTL = 600;
const interactionKey = (id: string) => `device:interaction:${id}`;
/** Names the browser for the per-browser guess limit (Node; a Service Worker serves one browser). */
const BROWSER_COOKIE = 'sandbox_device_browser';
const NO_STORE = {'Cache-Control': 'no-store'};

const enterUrl = (sandbox: Sandbox) => sandbox.endpoints.deviceVerification;
const stepUrl = (sandbox: Sandbox, interaction: DeviceInteraction, step: Step) =>
  `${sandbox.endpoints.deviceVerification}/${interaction.id}/${step}`;

/** Where the interaction stands: sign in, then confirm (unless the lab's weak client skips it), then consent. */
function currentStep(interaction: DeviceInteraction, client: CatalogClient): Step {
  if (!interaction.sub) return 'login';
  // RFC 8628 §5.4; only the device-code phishing lab's weak client goes without (sandbox/labs.ts).
  if (!interaction.confirmed && !skipsDeviceConfirmation(client)) return 'confirm';
  // Consent is asked every time, never taken from a remembered one: approving a device is a decision about a
  // request someone started elsewhere, which the user must make knowingly (§5.4).
  return 'consent';
}

function renderEnter(c: Context, sandbox: Sandbox, status: 200 | 400 | 404 | 429, error?: string, userCode?: string) {
  return c.html(
    enterCodePage({action: enterUrl(sandbox), ...(error ? {error} : {}), ...(userCode ? {userCode} : {})}),
    status,
    NO_STORE,
  );
}

/** A code as typed, to show back: formatted when it is one, otherwise as it was (escaped by the page). */
const shownBack = (typed: string | null | undefined) =>
  typed ? (normalizeUserCode(typed) ? formatUserCode(normalizeUserCode(typed)!) : typed.slice(0, 20)) : undefined;

/** The browser a guess is counted against: its cookie, or one shared name for every browser without one. */
async function guessingBrowser(sandbox: Sandbox, c: Context): Promise<string> {
  if (sandbox.session === 'store') return 'browser';
  const cookie = getCookie(c, BROWSER_COOKIE);
  if (cookie && /^[A-Za-z0-9_-]{20,64}$/.test(cookie)) return cookie;
  setCookie(c, BROWSER_COOKIE, randomToken(24), {
    path: new URL(sandbox.issuer).pathname,
    httpOnly: true,
    sameSite: 'Lax',
    secure: sandbox.issuer.startsWith('https:'),
    maxAge: 24 * 60 * 60,
  });
  return 'anonymous';
}

/** `GET /device`: the code entry page, prefilled from `?user_code=` (§3.3.1 verification_uri_complete). */
export function enterCodeForm(sandbox: Sandbox): Handler<SandboxEnv> {
  return async (c) => {
    if (sandbox.session === 'cookie' && !getCookie(c, BROWSER_COOKIE)) await guessingBrowser(sandbox, c);
    return renderEnter(c, sandbox, 200, undefined, shownBack(new URL(c.req.url).searchParams.get('user_code')));
  };
}

/** `POST /device`: checks the user code within the guess limits (§5.1) and starts a device interaction. */
export function enterCodeSubmit(sandbox: Sandbox): Handler<SandboxEnv> {
  return async (c) => {
    const form = await sameOriginForm(sandbox, c);
    if (!form) return renderEnter(c, sandbox, 400, 'This form was not sent by this page. Enter the code again.');
    const typed = form.values.get('user_code') ?? '';
    const userCode = normalizeUserCode(typed);
    // Not a code at all: no guess, so not counted.
    if (!userCode) return renderEnter(c, sandbox, 200, 'Enter the 8 letters your device shows, like BCDF-GHJK.', typed);
    const guess = await takeGuess(sandbox, await guessingBrowser(sandbox, c));
    if (guess.outcome === 'paused') {
      c.header('Retry-After', String(guess.retryAfter));
      const when = retryIn(guess.retryAfter);
      return renderEnter(
        c,
        sandbox,
        429,
        `Too many wrong codes. For your safety, entering codes is paused: try again ${when}.`,
      );
    }
    const found = await findByUserCode(sandbox, userCode);
    const client = found && findClient(sandbox.catalog, found.record.clientId);
    if (!found || !client) {
      const shown = formatUserCode(userCode);
      return renderEnter(
        c,
        sandbox,
        200,
        `${shown} is not a valid code, or it expired. Check the code on your device.`,
        shown,
      );
    }
    await guess.refund();
    const session = await getSession(sandbox, c);
    const interaction: DeviceInteraction = {
      id: randomToken(16),
      csrf: randomToken(16),
      hash: found.hash,
      clientId: client.client_id,
      userCode,
      expiresAt: Math.min(found.record.expiresAt, sandbox.now() + INTERACTION_TTL * 1000),
      ...(session ? {sub: session.sub, authTime: session.authTime} : {}),
    };
    const added = await addInteraction(sandbox, found.hash, interaction.id);
    if (!added)
      return renderEnter(c, sandbox, 200, 'This code expired or was already used. Start again on your device.');
    await Promise.all(added.dropped.map((id) => sandbox.store.delete(interactionKey(id))));
    await saveInteraction(sandbox, interaction);
    return c.redirect(stepUrl(sandbox, interaction, currentStep(interaction, client)), 303);
  };
}

async function saveInteraction(sandbox: Sandbox, interaction: DeviceInteraction): Promise<void> {
  const left = Math.ceil((interaction.expiresAt - sandbox.now()) / 1000);
  if (left > 0) await sandbox.store.set(interactionKey(interaction.id), interaction, left);
}

interface Loaded {
  interaction: DeviceInteraction;
  record: DeviceAuthorization;
  client: CatalogClient;
  step: Step;
}

/** The interaction named in the path, its code and client; an answer instead when it cannot go on. */
async function load(sandbox: Sandbox, c: Context<SandboxEnv>): Promise<Loaded | Response> {
  const id = c.req.param('id') ?? '';
  const step = c.req.param('step') ?? '';
  if (!STEPS.includes(step)) return renderEnter(c, sandbox, 404, 'There is no such page. Enter the code again.');
  const interaction = /^[A-Za-z0-9_-]{1,64}$/.test(id)
    ? await sandbox.store.get<DeviceInteraction>(interactionKey(id))
    : undefined;
  const record = interaction && (await findByHash(sandbox, interaction.hash));
  const client = interaction && findClient(sandbox.catalog, interaction.clientId);
  if (!interaction || !record || !client) {
    return renderEnter(c, sandbox, 400, 'This step expired or does not exist. Enter the code your device shows again.');
  }
  if (!isOpen(record, sandbox.now())) {
    await sandbox.store.delete(interactionKey(interaction.id));
    return renderEnter(c, sandbox, 400, 'This code expired or was already used. Start again on your device.');
  }
  if (!interaction.sub) {
    // Signed in meanwhile, in another tab: the single sign-on session counts here too.
    const session = await getSession(sandbox, c);
    if (session) {
      Object.assign(interaction, {sub: session.sub, authTime: session.authTime});
      await saveInteraction(sandbox, interaction);
    }
  }
  return {interaction, record, client, step: step as Step};
}

/** `GET /device/:id/:step`: the step's page, or a redirect to the step the interaction is at. */
export function deviceStepForm(sandbox: Sandbox): Handler<SandboxEnv> {
  return async (c) => {
    const loaded = await load(sandbox, c);
    if (loaded instanceof Response) return loaded;
    const {interaction, record, client, step} = loaded;
    const current = currentStep(interaction, client);
    if (step !== current) return c.redirect(stepUrl(sandbox, interaction, current), 303);
    return renderStep(sandbox, c, interaction, record, client, step);
  };
}

function renderStep(
  sandbox: Sandbox,
  c: Context,
  interaction: DeviceInteraction,
  record: DeviceAuthorization,
  client: CatalogClient,
  step: Step,
  error?: string,
  username?: string,
): Response | Promise<Response> {
  const action = stepUrl(sandbox, interaction, step);
  const {csrf} = interaction;
  if (step === 'login') {
    const {users} = sandbox.catalog;
    const page = loginPage({
      action,
      csrf,
      client,
      users,
      back: [],
      ...(error ? {error} : {}),
      ...(username ? {username} : {}),
    });
    return c.html(page, 200, NO_STORE);
  }
  if (step === 'confirm') {
    return c.html(confirmDevicePage({action, csrf, client, userCode: formatUserCode(record.userCode)}), 200, NO_STORE);
  }
  const user = findUserBySub(sandbox.catalog, interaction.sub!)!;
  const known = [...sandbox.catalog.oidc_scopes, ...sandbox.catalog.apis.flatMap((api) => api.scopes)];
  const scopes = record.scopes.map(
    (value) => known.find((scope) => scope.value === value) ?? {value, description: value},
  );
  const api = findApi(sandbox.catalog, record.aud);
  return c.html(consentPage({action, csrf, client, user, scopes, back: [], ...(api ? {api} : {})}), 200, NO_STORE);
}

/** `POST /device/:id/:step`: sign in, confirm or consent; the decision reaches the device on its next poll. */
export function deviceStepSubmit(sandbox: Sandbox): Handler<SandboxEnv> {
  return async (c) => {
    const loaded = await load(sandbox, c);
    if (loaded instanceof Response) return loaded;
    const {interaction, record, client, step} = loaded;
    const form = await sameOriginForm(sandbox, c);
    if (!form || form.values.get('csrf') !== interaction.csrf) {
      return renderEnter(
        c,
        sandbox,
        400,
        'This form was not sent by this page. Enter the code your device shows again.',
      );
    }
    // A form of a step already done (sent twice, or from the back button): on to where the interaction is.
    const current = currentStep(interaction, client);
    if (step !== current) return c.redirect(stepUrl(sandbox, interaction, current), 303);
    const next = async () => {
      await saveInteraction(sandbox, interaction);
      return c.redirect(stepUrl(sandbox, interaction, currentStep(interaction, client)), 303);
    };
    if (step === 'login') {
      if (form.values.get('action') === 'cancel')
        return deny(sandbox, c, interaction, client, 'you cancelled the sign-in');
      const username = form.values.get('username') ?? '';
      // RFC 6749 §10.10: the same limit on wrong passwords as the sign-in of every other flow.
      const check = await checkPassword(sandbox, client.client_id, username, form.values.get('password'));
      if (check.outcome !== 'signed-in') {
        const error =
          check.outcome === 'locked'
            ? `Too many wrong passwords. For your safety, sign-in is paused: try again ${retryIn(check.retryAfter)}.`
            : 'Wrong username or password.';
        return renderStep(sandbox, c, interaction, record, client, step, error, username);
      }
      const authTime = epochSeconds(sandbox);
      await startSession(sandbox, c, {sub: check.user.sub, authTime});
      Object.assign(interaction, {sub: check.user.sub, authTime});
      return next();
    }
    if (step === 'confirm') {
      if (form.values.get('decision') !== 'yes') return deny(sandbox, c, interaction, client, 'you did not start it');
      interaction.confirmed = true;
      return next();
    }
    if (form.values.get('decision') !== 'allow') return deny(sandbox, c, interaction, client, 'you denied it');
    return approve(sandbox, c, interaction, record, client);
  };
}

/** Allow: a grant for the device's request, which its next poll redeems (§3.5). */
async function approve(
  sandbox: Sandbox,
  c: Context,
  interaction: DeviceInteraction,
  record: DeviceAuthorization,
  client: CatalogClient,
): Promise<Response> {
  const grant = await createGrant(sandbox, {
    clientId: client.client_id,
    sub: interaction.sub!,
    scopes: record.scopes,
    aud: record.aud,
    ...(interaction.authTime !== undefined ? {authTime: interaction.authTime} : {}),
  });
  const decided = await decide(sandbox, interaction.hash, {status: 'approved', grantId: grant.id});
  await sandbox.store.delete(interactionKey(interaction.id));
  if (!decided) {
    // Expired, or decided in another browser a moment ago: this grant is never handed out.
    await revokeGrant(sandbox, grant.id);
    return renderEnter(c, sandbox, 400, 'This code expired or was already used. Start again on your device.');
  }
  return c.html(deviceDonePage({client, approved: true}), 200, NO_STORE);
}

/** No, Deny or Cancel: the device gets access_denied (§3.5). */
async function deny(
  sandbox: Sandbox,
  c: Context,
  interaction: DeviceInteraction,
  client: CatalogClient,
  reason: string,
): Promise<Response> {
  await decide(sandbox, interaction.hash, {status: 'denied'});
  await sandbox.store.delete(interactionKey(interaction.id));
  return c.html(deviceDonePage({client, approved: false, reason}), 200, NO_STORE);
}
