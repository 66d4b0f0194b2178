/**
 * Step kinds of the ID token replay lab (OIDC Core §15.5.2): the victim signs in to a form_post app, the
 * attacker copies the posted ID token, then starts a sign-in of their own and posts the copy in place of
 * their own ID token. The attacker's browser is this page's fetch, so every request it sends is shown.
 */
import React from 'react';
import {decodeJwt} from 'jose';
import {ParameterList} from '@site/src/components/HttpExchange';
import type {BackChannelReport} from '@site/src/flows/web-app-support';
import type {FetchFunction} from '@site/src/lib/http-exchange';
import type {CatalogUser} from '@site/src/contract/catalog';
import type {Step, WalkthroughEnv} from '../engine/types';
import type {Defence} from './labs';
import {shorten} from './shared';
import styles from './styles.module.css';

/** Where the lab's app is mounted: beside the sandbox, under its issuer (src/sandbox/relying_parties.ts). */
const appUrl = (env: WalkthroughEnv) => `${env.issuer}/webapp/lab/id-token-replay`;

const victimOf = (users: CatalogUser[]) => users[0];
const attackerOf = (users: CatalogUser[]) => users[1] ?? users[0];

async function readReport(fetch: FetchFunction, env: WalkthroughEnv): Promise<BackChannelReport> {
  const response = await fetch(`${appUrl(env)}/back-channel`, {method: 'GET', headers: {accept: 'application/json'}, credentials: 'same-origin'});
  if (!response.ok) throw new Error(`The app answered ${response.status} for its report.`);
  return (await response.json()) as BackChannelReport;
}

function nonceOf(idToken: string | undefined): string {
  if (!idToken) return '(none)';
  const nonce = decodeJwt(idToken).nonce;
  return typeof nonce === 'string' ? nonce : '(none)';
}

const idTokenOf = (parameters: Array<[string, string]>) => parameters.find(([name]) => name === 'id_token')?.[1];

/** The victim signs in to the app; the page comes back with what the app's server reports. */
export function victimSignsIn(): Step<{defence: Defence}, {stolenIdToken: string; victimSub: string}> {
  return {
    title: 'The victim signs in to Members',
    why: 'You are the victim first. Members asks for an ID token by form post, with a fresh nonce. After you sign in, the authorization server answers with a page whose form posts the ID token to Members\' server, which verifies it and starts your session. That form crossed your browser, and the attacker copies the ID token from it.',
    action: 'Sign in to Members',
    arrows: [
      {from: 'browser', to: 'backend', label: 'GET /login'},
      {from: 'backend', to: 'browser', label: '303 to /authorize (nonce)', reply: true},
      {from: 'browser', to: 'as', label: 'GET /authorize id_token'},
      {from: 'as', to: 'browser', label: 'form: id_token, state', reply: true},
      {from: 'browser', to: 'backend', label: 'POST /callback id_token'},
    ],
    copyable: false,
    before: ({env}) => {
      const victim = victimOf(env.users);
      return (
        <p className={styles.note}>
          The victim signs in as <strong>{victim?.name}</strong>: <code>{victim?.username}</code> / <code>{victim?.password}</code>. The lab continues when
          you come back.
        </p>
      );
    },
    run: ({env, state, navigate}) => navigate(`${appUrl(env)}/login?check_nonce=${state.defence}&return_to=${encodeURIComponent(env.pageUrl)}`),
    resume: async (_url, {env}) => {
      const report = await readReport((url, init) => fetch(url, init), env);
      if (report.failure) throw new Error(`The app reported: ${report.failure}`);
      const idToken = idTokenOf(report.frontChannel?.response?.parameters ?? []);
      const sub = report.session?.idTokenClaims.sub;
      // No answer yet: the reader came back some other way (the Back button); the step stays open.
      return idToken && typeof sub === 'string' ? {stolenIdToken: idToken, victimSub: sub} : undefined;
    },
    render: ({stolenIdToken, victimSub}) => (
      <>
        <p>
          Members signed you in as <code>{victimSub}</code>. The attacker now holds a copy of the ID token that was posted:
        </p>
        <ParameterList
          label="The copied ID token"
          entries={[
            ['id_token', shorten(stolenIdToken)],
            ['sub', String(decodeJwt(stolenIdToken).sub)],
            ['nonce', nonceOf(stolenIdToken)],
          ]}
        />
      </>
    ),
  };
}

interface PostedForm {
  action: string;
  fields: Array<[string, string]>;
}

/** The first POST form of a page: where it posts (resolved against the page's URL), and its named fields. */
async function formOf(page: Response): Promise<PostedForm | undefined> {
  const form = new DOMParser().parseFromString(await page.text(), 'text/html').querySelector<HTMLFormElement>('form[method="post"]');
  if (!form) return undefined;
  const fields = Array.from(form.querySelectorAll<HTMLInputElement>('input[name]'), (input) => [input.name, input.value] as [string, string]);
  return {action: new URL(form.getAttribute('action') ?? '', page.url || window.location.href).href, fields};
}

async function postForm(fetch: FetchFunction, form: PostedForm, extra: Array<[string, string]>): Promise<Response> {
  return fetch(form.action, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams([...form.fields, ...extra]).toString(),
  });
}

/**
 * The attacker, in their own browser, starts a sign-in at Members and signs in as themselves: the login
 * page, the consent page when it comes, and the form the server answers with, which they keep from posting.
 */
export function attackerStartsSignIn(): Step<{defence: Defence}, {attackerForm: PostedForm}> {
  return {
    title: 'The attacker starts a sign-in of their own',
    why: 'Now you are the attacker, in your own browser. You start a real sign-in at Members, so Members holds a pending sign-in with its own state and a new nonce, and you sign in as yourself. The server answers with the self-submitting form. You stop it before it posts.',
    action: 'Sign in as the attacker',
    arrows: [
      {from: 'client', to: 'backend', label: 'GET /login (new state, new nonce)'},
      {from: 'client', to: 'as', label: 'sign in as the attacker'},
      {from: 'as', to: 'client', label: 'form: the attacker\'s id_token, state', reply: true},
    ],
    copyable: false,
    before: ({env}) => {
      const attacker = attackerOf(env.users);
      return (
        <p className={styles.note}>
          The attacker signs in as <strong>{attacker?.name}</strong> (<code>{attacker?.username}</code>). This page plays the attacker&apos;s browser: it fills
          in the sandbox&apos;s login form itself, and every request appears below.
        </p>
      );
    },
    run: async ({env, state, fetch}) => {
      const attacker = attackerOf(env.users);
      if (!attacker) throw new Error('The sandbox catalog lists no demo user.');
      let page = await fetch(`${appUrl(env)}/login?check_nonce=${state.defence}`, {method: 'GET'});
      let form = await formOf(page);
      // The sandbox's login page (prompt=login asks every time), then its consent page the first time.
      if (form?.fields.some(([name]) => name === 'username')) {
        page = await postForm(fetch, {...form, fields: form.fields.filter(([name]) => name === 'csrf')}, [
          ['username', attacker.username],
          ['password', attacker.password],
          ['action', 'login'],
        ]);
        form = await formOf(page);
      }
      if (form?.fields.some(([name]) => name === 'csrf')) {
        page = await postForm(fetch, form, [['decision', 'allow']]);
        form = await formOf(page);
      }
      if (!form || !form.fields.some(([name]) => name === 'id_token')) throw new Error(`The authorization server did not answer with the form post (HTTP ${page.status}).`);
      return {attackerForm: form};
    },
    render: ({attackerForm}) => (
      <>
        <p>The form the server sent the attacker, unposted. Its ID token is the attacker&apos;s own, with this sign-in&apos;s nonce.</p>
        <ParameterList
          label="The attacker's form"
          entries={[...attackerForm.fields.map(([name, value]) => [name, name === 'id_token' ? shorten(value) : value] as [string, string]), ['nonce in its id_token', nonceOf(idTokenOf(attackerForm.fields))]]}
        />
      </>
    ),
  };
}

/** What Members made of the swapped form: a session for the stolen token's subject, or a refusal. */
type ReplayOutcome = {accepted: true; sub: string; name?: string} | {accepted: false; status: number; failure: string};

/** The attacker posts their own form with the copied ID token in place of theirs. */
export function attackerPostsStolenToken(): Step<{stolenIdToken: string; victimSub: string; attackerForm: PostedForm}, {replay: ReplayOutcome}> {
  return {
    title: 'The attacker posts the copied ID token',
    why: 'The attacker swaps the ID token in the form for the copied one and posts it. The state is right: it is this sign-in\'s. The ID token is genuine: signed by the server, for Members, not expired. Only its nonce belongs to another sign-in.',
    action: 'Post the swapped form',
    arrows: [
      {from: 'client', to: 'backend', label: 'POST /callback, the victim\'s id_token'},
      {from: 'backend', to: 'as', label: 'GET /jwks'},
      {from: 'backend', to: 'client', label: 'session for the victim, or 400', reply: true},
    ],
    run: async ({env, state, fetch}) => {
      const swapped = {...state.attackerForm, fields: state.attackerForm.fields.map(([name, value]) => [name, name === 'id_token' ? state.stolenIdToken : value] as [string, string])};
      const response = await postForm(fetch, swapped, []);
      const report = await readReport(fetch, env);
      const sub = report.session?.idTokenClaims.sub;
      if (response.ok && typeof sub === 'string') {
        const name = report.session?.idTokenClaims.name;
        return {replay: {accepted: true, sub, ...(typeof name === 'string' ? {name} : {})}};
      }
      return {replay: {accepted: false, status: response.status, failure: report.failure ?? '(no reason given)'}};
    },
    render: ({replay}, {env}) =>
      replay.accepted ? (
        <div className={styles.accepted} role="note" aria-label="Attack succeeded">
          <p>
            Members accepted the copied ID token as a fresh sign-in. The attacker&apos;s browser now has a session for <strong>{replay.name ?? replay.sub}</strong>{' '}
            (<code>sub</code> {replay.sub}), though the attacker signed in as {attackerOf(env.users)?.name}.
          </p>
        </div>
      ) : (
        <div className={styles.refused} role="note" aria-label="Attack refused">
          <p>
            Members refused it with HTTP {replay.status}: {replay.failure}
          </p>
          <p>The nonce in the copied ID token is the victim&apos;s sign-in&apos;s, not the one Members sent for this sign-in. Nobody is signed in.</p>
        </div>
      ),
  };
}
