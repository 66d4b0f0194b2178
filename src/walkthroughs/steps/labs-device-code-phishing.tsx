/**
 * The device-code phishing lab's moves (RFC 8628 §5.4): the attacker's device starts a device flow, the
 * attacker writes the victim a message with the link, the victim follows it in the phone panel while
 * the attacker's device polls, and the attacker uses whatever its device got.
 */
import React, {type ReactNode} from 'react';
import type {DeviceAuthorizationResponse} from 'oauth4webapi';
import * as flow from '@site/src/flows/labs/device-code-phishing';
import type {Step} from '../engine/types';
import {TokenSummary} from './authorization';
import {DeviceAndPhone, DeviceCodeValues, DevicePanel, PhonePanel, PollLog} from './device';
import {chooseLabClient, labMove, Verdict, type Defence} from './labs';
import {withFetch, type AuthorizationServer, type Configured} from './shared';
import styles from './labs-device-code-phishing.module.css';

type LabState = Configured<flow.LabConfig> & {defence: Defence};

/** What the attacker's device got from the server (RFC 8628 §3.2). */
export type DeviceAuthorization = Pick<
  DeviceAuthorizationResponse,
  'device_code' | 'user_code' | 'verification_uri' | 'verification_uri_complete' | 'expires_in' | 'interval'
>;

/** The brand the attacker poses as, in the message: the TV app's name without the lab's note. */
const BRAND = 'Acme TV';

const minutes = (seconds: number) =>
  seconds % 60 === 0 ? `${seconds / 60} minute${seconds === 60 ? '' : 's'}` : `${seconds} seconds`;

/** The switch: the lab client without the §5.4 confirmation, or its twin with it and short-lived codes. */
export const chooseConfirmation = chooseLabClient<flow.LabConfig>({
  defence: 'the confirmation step',
  clients: {off: 'lab-tv-unconfirmed', on: 'lab-tv-confirmed'},
  off: 'the server goes from the sign-in straight to consent, and codes live 30 minutes (lab-tv-unconfirmed)',
  on: 'the server names the client and asks "Did you start this on a device in front of you?", and codes live 5 minutes (lab-tv-confirmed)',
  why: 'Run the lab once without the confirmation RFC 8628 §5.4 recommends and once with it. The attacker, the message and the victim stay the same.',
  describe: (defence, config) => (
    <>
      This run has the confirmation step <strong>{defence}</strong>: the attacker poses as{' '}
      <code>{config.clientId}</code>.
    </>
  ),
});

/** The attacker's device asks the server for a code, as the real TV app would (RFC 8628 §3.1-3.2). */
export const attackerStartsFlow = labMove<
  LabState,
  {as: AuthorizationServer; authorization: DeviceAuthorization; issuedAt: number}
>({
  title: 'The attacker starts a sign-in on their own device',
  why: "The attacker's device, or a script that acts like one, reads the server's metadata and posts the TV app's public client_id to the device authorization endpoint. Nothing in the request says whose device it is. The server answers with a code for a person to enter, and a link that carries it.",
  action: 'Start the device flow as the attacker',
  arrows: [
    {from: 'backend', to: 'as', label: 'POST /device_authorization client_id'},
    {from: 'as', to: 'backend', label: 'device_code, user_code, link', reply: true},
  ],
  act: async ({state, fetch}) => {
    const config = withFetch(state.config, fetch);
    const as = await flow.discover(config);
    const response = await flow.startDeviceFlow(as, config);
    const {device_code, user_code, verification_uri, verification_uri_complete, expires_in, interval} = response;
    return {
      as,
      authorization: {
        device_code,
        user_code,
        verification_uri,
        expires_in,
        ...(verification_uri_complete ? {verification_uri_complete} : {}),
        ...(interval ? {interval} : {}),
      },
      issuedAt: Date.now(),
    };
  },
  view: ({authorization}) => (
    <>
      <p>
        The server answered the attacker as it would answer the TV app. Its code lives{' '}
        <strong>{minutes(authorization.expires_in)}</strong>: that is how long the attacker has to find someone who
        enters it.
      </p>
      <DeviceCodeValues code={authorization} />
    </>
  ),
});

/** The message card: what the victim reads. */
export function MessageCard({lure}: {lure: flow.Lure}): ReactNode {
  const [before, after] = lure.body.split(lure.link);
  return (
    <article className={styles.message} aria-label="The attacker's message">
      <dl className={styles.messageHeader}>
        <div>
          <dt>From</dt>
          <dd>{lure.from}</dd>
        </div>
        <div>
          <dt>Subject</dt>
          <dd>{lure.subject}</dd>
        </div>
      </dl>
      <p className={styles.messageBody}>
        {before}
        <a href={lure.link} target="_blank" rel="noreferrer">
          {lure.link}
        </a>
        {after}
      </p>
    </article>
  );
}

/** The attacker writes the victim a message with the server's link (no request: the lure is not OAuth). */
export const attackerWritesMessage = labMove<LabState & {authorization: DeviceAuthorization}, {lure: flow.Lure}>({
  title: 'The attacker writes to the victim',
  why: 'The code is only worth something if a signed-in customer enters it. The attacker sends one a reason to: a paused subscription, a link that leads to the real server. The link carries the code, so the victim will type nothing.',
  action: 'Send the message',
  arrows: [{from: 'backend', to: 'browser', label: 'message with the link'}],
  copyable: false,
  act: async ({state}) => ({lure: flow.writeLure(state.authorization, BRAND)}),
  view: ({lure}) => <MessageCard lure={lure} />,
});

/** What the polling step shows while it runs: the polls so far. */
interface Polling {
  polls: flow.PollRecord[];
}

type PollingNeeds = LabState & {
  as: AuthorizationServer;
  authorization: DeviceAuthorization;
  issuedAt: number;
  lure: flow.Lure;
};

/**
 * The victim follows the link in the phone panel while the attacker's device polls (RFC 8628 §3.4-3.5),
 * each poll shown as it happens, until the server answers with tokens or refuses for good. A refusal
 * is this step's result, not its failure: it is the defence working.
 */
export const victimFollowsLink: Step<PollingNeeds, {answer: flow.PollAnswer; polls: flow.PollRecord[]}, Polling> = {
  title: 'You, the victim, follow the link',
  why: "The message looks right and so does the page: it is the real server, and the code is already filled in. Start the attacker's polling, then play the victim in the phone: continue, sign in, and answer as a victim who reads the page would.",
  action: "Poll as the attacker's device",
  arrows: [
    {from: 'backend', to: 'as', label: 'POST /token device_code, every interval'},
    {from: 'browser', to: 'as', label: 'open the link, sign in, answer'},
    {from: 'as', to: 'backend', label: 'tokens, or access_denied', reply: true},
  ],
  before: ({state, env, progress}) => (
    <DeviceAndPhone
      device={
        <DevicePanel code={state.authorization} issuedAt={state.issuedAt} title="The attacker's device">
          <PollLog polls={progress?.polls ?? []} issuedAt={state.issuedAt} />
        </DevicePanel>
      }
      phone={
        <PhonePanel
          url={state.lure.link}
          note={
            <>
              The victim opened the link from the message. Sign in as <code>{env.users[0]?.username}</code> /{' '}
              <code>{env.users[0]?.password}</code>. If the server asks whether you started this on a device in front of
              you, answer as the victim: you did not. If it asks for consent, allow: Acme TV is the app the message was
              about.
            </>
          }
        />
      }
    />
  ),
  run: async ({state, fetch, progress, signal}) => {
    const polls: flow.PollRecord[] = [];
    progress({polls});
    const answer = await flow.pollUntilAnswered(state.as, withFetch(state.config, fetch), state.authorization, {
      signal,
      onPoll: (poll) => {
        polls.push(poll);
        progress({polls: [...polls]});
      },
    });
    return {answer, polls};
  },
  render: ({answer, polls}, {state}) => (
    <>
      <PollLog polls={polls} issuedAt={state.issuedAt} />
      {answer.kind === 'tokens' ? (
        <TokenSummary tokens={answer.tokens} />
      ) : answer.kind === 'refused' ? (
        <p>
          The server answered the attacker&apos;s last poll with HTTP {answer.status}: <code>{answer.error}</code>
        </p>
      ) : null}
    </>
  ),
};

/** The attacker reads the victim's calendar, if its device got a token. */
export const attackerUsesTokens = labMove<
  LabState & {answer: flow.PollAnswer},
  {api?: {status: number; sub?: string; events?: number}}
>({
  title: "The attacker reads the victim's calendar",
  why: "If the attacker's device got an access token, the attacker calls the calendar API with it. The API sees a valid token for the victim, issued to Acme TV: it cannot tell whose TV that was.",
  action: 'Call the API as the attacker',
  arrows: [{from: 'backend', to: 'api', label: 'GET /events with the token'}],
  act: async ({env, state, fetch}) => {
    if (state.answer.kind !== 'tokens') return {};
    const config = withFetch(state.config, fetch);
    return {api: await flow.readCalendar(`${env.api.base_url}/events`, state.answer.tokens.access_token, config)};
  },
  view: ({api}, {env, state}) =>
    api ? (
      <Verdict kind="accepted" label="Attack succeeded">
        <p>
          The attack worked: the {env.api.name} answered <strong>{api.status}</strong> to the attacker
          {api.events === undefined ? '' : ` with ${api.events} events`}, as the victim
          {api.sub ? (
            <>
              {' '}
              (<code>caller.sub</code> is <code>{api.sub}</code>)
            </>
          ) : null}
          . The victim never typed a password anywhere but the real server.
        </p>
      </Verdict>
    ) : (
      <Verdict kind="refused" label="Attack refused">
        <p>
          The attacker&apos;s device got{' '}
          <code>{state.answer.kind === 'refused' ? state.answer.error : state.answer.kind}</code> and no token: it has
          nothing to call the API with.
          {state.answer.kind === 'refused' && state.answer.error === 'access_denied'
            ? ' The victim read the question and said no, and the server denied the request.'
            : ''}
        </p>
      </Verdict>
    ),
});
