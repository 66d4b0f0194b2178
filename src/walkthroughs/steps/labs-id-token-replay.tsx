/**
 * The ID token replay lab's moves (OIDC Core §15.5.2): the victim signs in to a form_post app, the attacker
 * copies the posted ID token, then starts a sign-in of their own and posts the copy in place of their own
 * ID token. The attacker's browser is this page's fetch, so every request it sends is shown.
 */
import React from 'react';
import {decodeJwt} from 'jose';
import {ParameterList} from '@site/src/components/HttpExchange';
import type {PostedForm} from '@site/src/flows/labs/browser-actions';
import * as attacker from '@site/src/flows/labs/id-token-replay-attacker';
import type {CatalogUser} from '@site/src/contract/catalog';
import type {WalkthroughEnv} from '../engine/types';
import {labMove, leavePage, Verdict, type Defence} from './labs';
import {demoAppUrl} from '@site/src/contract/demo-apps';
import {shorten} from './shared';
import styles from './styles.module.css';

/** The lab's app, mounted beside the sandbox under its issuer (src/sandbox/relying-parties.ts), with this run's switch. */
const configOf = (
  env: WalkthroughEnv,
  defence: Defence,
  fetch?: attacker.AttackerConfig['fetch'],
): attacker.AttackerConfig => ({
  appUrl: demoAppUrl(env.issuer, 'idTokenReplayLab'),
  checkNonce: defence === 'on',
  ...(fetch ? {fetch} : {}),
});

const victimOf = (users: CatalogUser[]) => users[0];
const attackerOf = (users: CatalogUser[]) => users[1] ?? users[0];

function nonceOf(idToken: string | undefined): string {
  if (!idToken) return '(none)';
  const nonce = decodeJwt(idToken).nonce;
  return typeof nonce === 'string' ? nonce : '(none)';
}

/** The victim signs in to the app; the page comes back and the attacker copies the ID token that was posted. */
export const victimSignsIn = leavePage<{defence: Defence}, {stolenIdToken: string; victimSub: string}>({
  title: 'The victim signs in to Members',
  why: "You are the victim first. Members asks for an ID token by form post, with a fresh nonce. After you sign in, the authorization server answers with a page whose form posts the ID token to Members' server, which verifies it and starts your session. That form crossed your browser, and the attacker copies the ID token from it.",
  action: 'Sign in to Members',
  arrows: [
    {from: 'browser', to: 'backend', label: 'GET /login'},
    {from: 'backend', to: 'browser', label: '303 to /authorize (nonce)', reply: true},
    {from: 'browser', to: 'as', label: 'GET /authorize id_token'},
    {from: 'as', to: 'browser', label: 'form: id_token, state', reply: true},
    {from: 'browser', to: 'backend', label: 'POST /callback id_token'},
  ],
  before: ({env}) => {
    const victim = victimOf(env.users);
    return (
      <p className={styles.note}>
        The victim signs in as <strong>{victim?.name}</strong>: <code>{victim?.username}</code> /{' '}
        <code>{victim?.password}</code>. The lab continues when you come back.
      </p>
    );
  },
  to: ({env, state}) => attacker.signInLink(configOf(env, state.defence), env.pageUrl),
  read: async (_url, {env, state}) => {
    // No copy yet: the reader came back some other way (the Back button); the step stays open.
    const copied = await attacker.copyPostedIdToken(configOf(env, state.defence));
    return copied ? {stolenIdToken: copied.idToken, victimSub: copied.victimSub} : undefined;
  },
  view: ({stolenIdToken, victimSub}) => (
    <>
      <p>
        Members signed you in as <code>{victimSub}</code>. The attacker now holds a copy of the ID token that was
        posted:
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
});

const idTokenOf = (form: PostedForm) => form.fields.find(([name]) => name === 'id_token')?.[1];

/**
 * The attacker, in their own browser, starts a sign-in at Members and signs in as themselves: the login
 * page, the consent page when it comes, and the form the server answers with, which they keep from posting.
 */
export const attackerStartsSignIn = labMove<{defence: Defence}, {attackerForm: PostedForm}>({
  title: 'The attacker starts a sign-in of their own',
  why: 'Now you are the attacker, in your own browser. You start a real sign-in at Members, so Members holds a pending sign-in with its own state and a new nonce, and you sign in as yourself. The server answers with the self-submitting form. You stop it before it posts.',
  action: 'Sign in as the attacker',
  arrows: [
    {from: 'client', to: 'backend', label: 'GET /login (new state, new nonce)'},
    {from: 'client', to: 'as', label: 'sign in as the attacker'},
    {from: 'as', to: 'client', label: "form: the attacker's id_token, state", reply: true},
  ],
  copyable: false,
  before: ({env}) => {
    const person = attackerOf(env.users);
    return (
      <p className={styles.note}>
        The attacker signs in as <strong>{person?.name}</strong> (<code>{person?.username}</code>). This page plays the
        attacker&apos;s browser: it fills in the sandbox&apos;s login form itself, and every request appears below.
      </p>
    );
  },
  act: async ({env, state, fetch}) => {
    const person = attackerOf(env.users);
    if (!person) throw new Error('The sandbox catalog lists no demo user.');
    return {attackerForm: await attacker.startOwnSignIn(configOf(env, state.defence, fetch), person)};
  },
  view: ({attackerForm}) => (
    <>
      <p>
        The form the server sent the attacker, unposted. Its ID token is the attacker&apos;s own, with this
        sign-in&apos;s nonce.
      </p>
      <ParameterList
        label="The attacker's form"
        entries={[
          ...attackerForm.fields.map(
            ([name, value]) => [name, name === 'id_token' ? shorten(value) : value] as [string, string],
          ),
          ['nonce in its id_token', nonceOf(idTokenOf(attackerForm))],
        ]}
      />
    </>
  ),
});

/** The attacker posts their own form with the copied ID token in place of theirs. */
export const attackerPostsStolenToken = labMove<
  {defence: Defence; stolenIdToken: string; attackerForm: PostedForm},
  {replay: attacker.ReplayOutcome}
>({
  title: 'The attacker posts the copied ID token',
  why: "The attacker swaps the ID token in the form for the copied one and posts it. The state is right: it is this sign-in's. The ID token is genuine: signed by the server, for Members, not expired. Only its nonce belongs to another sign-in.",
  action: 'Post the swapped form',
  arrows: [
    {from: 'client', to: 'backend', label: "POST /callback, the victim's id_token"},
    {from: 'backend', to: 'as', label: 'GET /jwks'},
    {from: 'backend', to: 'client', label: 'session for the victim, or 400', reply: true},
  ],
  act: async ({env, state, fetch}) => ({
    replay: await attacker.postCopiedIdToken(
      configOf(env, state.defence, fetch),
      state.attackerForm,
      state.stolenIdToken,
    ),
  }),
  view: ({replay}, {env}) =>
    replay.accepted ? (
      <Verdict kind="accepted" label="Attack succeeded">
        <p>
          Members accepted the copied ID token as a fresh sign-in. The attacker&apos;s browser now has a session for{' '}
          <strong>{replay.name ?? replay.sub}</strong> (<code>sub</code> {replay.sub}), though the attacker signed in as{' '}
          {attackerOf(env.users)?.name}.
        </p>
      </Verdict>
    ) : (
      <Verdict kind="refused" label="Attack refused">
        <p>
          Members refused it with HTTP {replay.status}: {replay.failure}
        </p>
        <p>
          The nonce in the copied ID token is the victim&apos;s sign-in&apos;s, not the one Members sent for this
          sign-in. Nobody is signed in.
        </p>
      </Verdict>
    ),
});
