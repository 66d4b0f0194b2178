/**
 * Step kinds that attack a form_post app the way a stolen ID token would be used, to show the
 * checks that refuse it: `state` bound to the browser's sign-in (RFC 6749 §10.12) and `nonce`
 * bound into the ID token (OIDC Core §3.2.2.11, §15.5.2).
 */
import React from 'react';
import type {BackChannelReport} from '@site/src/flows/web-app-support';
import type {FetchFunction} from '@site/src/lib/http-exchange';
import type {Step} from '../engine/types';
import type {AppUrl} from './web-app';
import styles from './styles.module.css';

interface Refusal {
  status: number;
  message: string;
}

/** The text of the app's failure page (its role="alert" paragraph). */
function failureText(html: string): string {
  const document = new DOMParser().parseFromString(html, 'text/html');
  return document.querySelector('[role="alert"]')?.textContent?.trim() ?? '(no message)';
}

/** Posts a form-encoded response to the app's callback and expects a refusal; an accepted post fails the step. */
async function postExpectingRefusal(fetch: FetchFunction, callback: string, parameters: Array<[string, string]>): Promise<Refusal> {
  const response = await fetch(callback, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams(parameters).toString(),
  });
  if (response.ok || response.redirected) throw new Error('The app accepted the posted response: it should have refused it.');
  return {status: response.status, message: failureText(await response.text())};
}

function RefusalView({refusal, label}: {refusal: Refusal; label: string}) {
  return (
    <div className={styles.refused} role="note" aria-label={label}>
      <p>
        The app refused it with HTTP {refusal.status}: {refusal.message}
      </p>
    </div>
  );
}

function postedParameters(report: BackChannelReport): Array<[string, string]> {
  const parameters = report.frontChannel?.response?.parameters;
  if (!parameters?.some(([name]) => name === 'id_token')) throw new Error('No posted ID token to replay: run the sign-in first.');
  return parameters;
}

/** Posts the very response of the sign-in again: its `state` was used once, so the app refuses it. */
export function replayFormPost(app: {url: AppUrl}): Step<{report: BackChannelReport}, {replay: Refusal}> {
  return {
    title: 'Replay the posted ID token',
    why: 'Anyone who copies the posted form (from a log, a proxy, the browser\'s history of form posts) could try to post it again to sign in. The app accepts a response only for a sign-in this browser started, and only once.',
    action: 'Post the same form again',
    arrows: [
      {from: 'browser', to: 'backend', label: 'POST /callback, same form again'},
      {from: 'backend', to: 'browser', label: '400 no sign-in pending', reply: true},
    ],
    run: async ({env, state, fetch}) => ({replay: await postExpectingRefusal(fetch, `${app.url(env)}/callback`, postedParameters(state.report))}),
    render: ({replay}) => <RefusalView refusal={replay} label="Replayed response" />,
  };
}

/**
 * Starts a fresh sign-in (single sign-on answers at once with a new form), then posts the old ID token
 * with the new `state`: the state now matches, but the ID token's `nonce` is the old sign-in's.
 */
export function injectIdToken(app: {url: AppUrl}): Step<{report: BackChannelReport}, {injection: Refusal}> {
  return {
    title: 'Inject the old ID token into a new sign-in',
    why: 'A cleverer attacker starts a real sign-in, so the state is right, and slips in an ID token stolen earlier. The nonce in that ID token belongs to another sign-in, and the app refuses it (OIDC Core §3.2.2.11).',
    action: 'Start a sign-in and swap the ID token',
    arrows: [
      {from: 'browser', to: 'backend', label: 'GET /login (a new nonce)'},
      {from: 'browser', to: 'as', label: 'GET /authorize (single sign-on)'},
      {from: 'as', to: 'browser', label: 'form with a new ID token', reply: true},
      {from: 'browser', to: 'backend', label: 'POST /callback, old ID token'},
      {from: 'backend', to: 'browser', label: '400 nonce mismatch', reply: true},
    ],
    run: async ({env, state, fetch}) => {
      const stolen = postedParameters(state.report).find(([name]) => name === 'id_token')![1];
      const page = await fetch(`${app.url(env)}/login`, {method: 'GET'});
      const form = new DOMParser().parseFromString(await page.text(), 'text/html').querySelector('form[method="post"]');
      const fresh = Array.from(form?.querySelectorAll<HTMLInputElement>('input[name]') ?? [], (input) => [input.name, input.value] as [string, string]);
      if (!fresh.some(([name]) => name === 'state')) {
        throw new Error('The authorization server did not answer with a form at once (no single sign-on session?): run the sign-in step again first.');
      }
      const swapped = fresh.map(([name, value]) => [name, name === 'id_token' ? stolen : value] as [string, string]);
      return {injection: await postExpectingRefusal(fetch, `${app.url(env)}/callback`, swapped)};
    },
    render: ({injection}) => <RefusalView refusal={injection} label="Injected ID token" />,
  };
}
