/**
 * The login CSRF lab's moves (RFC 6749 §10.12, RFC 9700 §4.7): the attacker signs in with their own
 * account and keeps the response; the victim's browser is made to deliver it to the app, which signs the
 * victim in as the attacker unless it checks `state`.
 */
import React from 'react';
import {ParameterList} from '@site/src/components/HttpExchange';
import {breakDownUrl} from '@site/src/components/HttpExchange/exchange';
import {returnedResponse} from '@site/src/flows/labs/browser-actions';
import * as flow from '@site/src/flows/labs/login-csrf';
import type {CatalogUser} from '@site/src/contract/catalog';
import {labMove, leavePage, Verdict, type Defence} from './labs';
import {withFetch, type AuthorizationServer, type Configured} from './shared';
import styles from './styles.module.css';

type LabState = Configured<flow.LabConfig> & {as: AuthorizationServer; defence: Defence};

const attackerOf = (users: CatalogUser[]) => users[1] ?? users[0];
const victimOf = (users: CatalogUser[]) => users[0];

/**
 * The attacker starts an ordinary sign-in at the app in their own browser, signs in with their own account,
 * and keeps the response instead of letting the app have it.
 */
export const attackerSignsIn = leavePage<LabState, {plantedUrl: string}>({
  title: 'The attacker signs in with their own account',
  why: 'Meanwhile, you play the attacker. You start an ordinary sign-in at Planner in your own browser and sign in as yourself. When the authorization server sends the browser back with a code, you stop: that response, a valid code for your own account, is what you will plant.',
  action: 'Sign in as the attacker',
  arrows: [
    {from: 'backend', to: 'as', label: "GET /authorize (attacker's own sign-in)"},
    {from: 'as', to: 'backend', label: '302 ?code (kept, not followed)', reply: true},
  ],
  before: ({env}) => {
    const attacker = attackerOf(env.users);
    return (
      <p className={styles.note}>
        The attacker signs in as <strong>{attacker?.name}</strong>: <code>{attacker?.username}</code> /{' '}
        <code>{attacker?.password}</code>. The server asks for a login even if this browser is signed in already. The
        lab continues when you come back.
      </p>
    );
  },
  to: ({state}) => flow.attackerStartsOwnSignIn(state.as, state.config, state.defence === 'on').href,
  read: (url) => {
    const plantedUrl = returnedResponse(url, ['code']);
    return plantedUrl ? {plantedUrl} : undefined;
  },
  view: ({plantedUrl}) => (
    <>
      <p>
        The attacker kept this response. Its code is good for one thing: signing in to Planner as the attacker. Codes
        are short-lived (the sandbox&apos;s expire after 60 seconds), so the attacker&apos;s page has to deliver it
        quickly: go on to the next two steps now.
      </p>
      <ParameterList entries={breakDownUrl(plantedUrl).parameters} label="The attacker's authorization response" />
    </>
  ),
});

/** The victim opens the app, which starts a sign-in: with the defence on, it keeps a state in this tab. */
export const victimOpensApp = labMove<LabState, {victimRequest: string}>({
  title: 'You open Planner, which starts your sign-in',
  why: "You are the victim first. You open Planner, signed out, and it starts a sign-in for you. With state on, it first stores a random state in this tab's sessionStorage and puts it in the request. You have not signed in yet when the attacker's page gets to your browser.",
  action: 'Open Planner',
  arrows: [{from: 'client', to: 'client', label: 'state into sessionStorage (when on)'}],
  copyable: false,
  act: async ({state}) => ({
    victimRequest: flow.startSignIn(state.as, state.config, window.sessionStorage, state.defence === 'on').href,
  }),
  view: ({victimRequest}) => {
    const sent = new URL(victimRequest).searchParams.get('state');
    return (
      <>
        <p>
          {sent ? (
            <>
              Planner stored the state <code>{sent}</code> in this tab before sending the request.
            </>
          ) : (
            'Planner sent no state and stored nothing: any response that comes back will do.'
          )}
        </p>
        <ParameterList entries={breakDownUrl(victimRequest).parameters} label="Your authorization request" />
      </>
    );
  },
});

/** The attacker's page sends the victim's browser to the app's redirect URI with the attacker's response. */
export const plantResponse = leavePage<{plantedUrl: string}, {callbackUrl: string}>({
  title: "Your browser opens the attacker's link",
  why: "You follow a link, or load a page with a hidden image or a redirect, that the attacker made. It points at Planner's redirect URI, with the attacker's code and state. Nothing in it looks like a sign-in to you.",
  action: "Open the attacker's link",
  arrows: [{from: 'browser', to: 'client', label: "Planner ?code (the attacker's)"}],
  before: ({state}) => (
    <p className={styles.note}>
      The link: <code className={styles.wrap}>{state.plantedUrl}</code>
    </p>
  ),
  to: ({state}) => state.plantedUrl,
  read: (url) => {
    const callbackUrl = returnedResponse(url, ['code']);
    return callbackUrl ? {callbackUrl} : undefined;
  },
  view: ({callbackUrl}) => (
    <ParameterList entries={breakDownUrl(callbackUrl).parameters} label="Response that arrived at Planner" />
  ),
});

/** An appointment one day ahead, at nine, in UTC. */
function tomorrowAtNine(): string {
  const day = new Date(Date.now() + 24 * 60 * 60 * 1000);
  day.setUTCHours(9, 0, 0, 0);
  return day.toISOString();
}

/**
 * The app handles whatever arrived at its redirect URI and, when it signed someone in, the victim saves a
 * private appointment. A refusal is a result of this step, not a failure.
 */
export const appHandlesResponse = labMove<
  LabState & {callbackUrl: string},
  {outcome: flow.SignInOutcome; saved?: {status: number; sub?: string}}
>({
  title: 'Planner handles the response, and you save an appointment',
  why: 'Planner treats whatever reaches its redirect URI as the end of your sign-in. If it accepts the response, it redeems the code and shows whom it signed in. Then you, trusting it, save a private appointment.',
  action: 'Let Planner handle it',
  arrows: [
    {from: 'client', to: 'client', label: 'check state (when on)'},
    {from: 'client', to: 'as', label: "POST /token the attacker's code"},
    {from: 'as', to: 'client', label: "tokens for the attacker's account", reply: true},
    {from: 'client', to: 'api', label: 'POST /events your appointment'},
  ],
  act: async ({env, state, fetch}) => {
    const config = withFetch(state.config, fetch);
    const outcome = await flow.completeSignIn(
      state.as,
      config,
      window.sessionStorage,
      state.callbackUrl,
      state.defence === 'on',
    );
    if (!outcome.signedIn) return {outcome};
    const saved = await flow.saveAppointment(
      `${env.api.base_url}/events`,
      outcome.tokens.access_token,
      {title: 'Dentist (private)', start: tomorrowAtNine()},
      config,
    );
    const caller = (saved.body as {caller?: {sub?: string}} | null)?.caller;
    return {outcome, saved: {status: saved.status, ...(caller?.sub ? {sub: caller.sub} : {})}};
  },
  view: ({outcome, saved}, {env}) =>
    outcome.signedIn ? (
      <Verdict kind="accepted" label="Attack succeeded">
        <p>
          Planner signed you in as{' '}
          <strong>{typeof outcome.claims.name === 'string' ? outcome.claims.name : outcome.claims.sub}</strong> (
          <code>sub</code> {outcome.claims.sub}): the attacker&apos;s account, although you are{' '}
          {victimOf(env.users)?.name}.
        </p>
        <p>
          You saved &ldquo;Dentist (private)&rdquo;, and the {env.api.name} answered <strong>{saved?.status}</strong>:
          the appointment is in the calendar of <code>{saved?.sub}</code>, where the attacker can read it.
        </p>
      </Verdict>
    ) : (
      <Verdict kind="refused" label="Attack refused">
        <p>
          Planner refused the response before sending any token request: <code>{outcome.code}</code>: {outcome.message}
        </p>
        <p>
          {outcome.code === 'NO_SIGN_IN_STARTED'
            ? 'This tab started no sign-in, so Planner expects no response at all.'
            : 'The state in the response is not the one this tab stored, so Planner knows it did not ask for it.'}{' '}
          Nobody is signed in, and nothing was saved.
        </p>
      </Verdict>
    ),
});
