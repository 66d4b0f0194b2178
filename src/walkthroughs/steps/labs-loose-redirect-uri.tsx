/**
 * The loose redirect URI lab's switch and moves: the attacker crafts an authorization link for Acme Notes
 * whose redirect_uri climbs out of the registered callback to the attacker's page, the victim opens it,
 * and the attacker redeems whatever code reached its page.
 */
import React from 'react';
import {ParameterList} from '@site/src/components/HttpExchange';
import {breakDownUrl} from '@site/src/components/HttpExchange/exchange';
import {returnedResponse} from '@site/src/flows/labs/browser-actions';
import * as flow from '@site/src/flows/labs/loose-redirect-uri';
import {TokenSummary} from './authorization';
import {chooseLabClient, labMove, leavePage, Verdict} from './labs';
import {withFetch, type AuthorizationServer, type Configured} from './shared';
import {DemoUsers} from './views';
import styles from './styles.module.css';

/** The same Acme Notes app, registered twice with the same callback: matched by prefix, and exactly. */
export const MATCHING_CLIENTS = {off: 'lab-notes-web-prefix', on: 'lab-notes-web-exact'};

/** The switch: the choice picks the client the link names. */
export const chooseMatching = chooseLabClient<flow.LabConfig>({
  defence: 'exact matching',
  clients: MATCHING_CLIENTS,
  off: (
    <>
      Acme Notes is <code>{MATCHING_CLIENTS.off}</code>, whose redirect URI the server compares by prefix
    </>
  ),
  on: (
    <>
      Acme Notes is <code>{MATCHING_CLIENTS.on}</code>, whose redirect URI must equal the registered one, character for
      character
    </>
  ),
  why: "Run the lab once with exact matching off and once with it on. The app, its registered callback, the attacker's link and the victim stay the same; only the server's redirect URI check changes.",
  describe: (defence, config) => (
    <>
      This run has exact matching <strong>{defence}</strong>: the link names <code>{config.clientId}</code>, whose
      registered redirect URI is <code className={styles.wrap}>{config.registeredRedirectUri}</code>.
    </>
  ),
});

type LabState = Configured<flow.LabConfig>;

/** Where the victim's sign-in ended: a code at the attacker's page, or the server's refusal. */
type Landing = {landedUrl: string} | {refused: {status: number; message: string}};

/** The attacker starts a request of its own, so the state and the PKCE verifier are the attacker's. */
export const attackerSecrets = labMove<object, {secrets: flow.AttackerSecrets}>({
  title: 'The attacker prepares its own request',
  why: 'You play the attacker, who can publish a page on the same site as Acme Notes. The authorization request you are about to craft is yours, so you make its state and its PKCE verifier, and you keep the verifier.',
  action: 'Create the values',
  arrows: [{from: 'backend', to: 'backend', label: 'state, code_verifier (kept)'}],
  copyable: false,
  act: async () => ({secrets: await flow.createAttackerSecrets()}),
  view: ({secrets}) => (
    <ParameterList
      label="The attacker's values"
      entries={[
        ['state', secrets.state],
        ['code_verifier (kept by the attacker)', secrets.pkce.verifier],
        ['code_challenge (sent)', secrets.pkce.challenge],
      ]}
    />
  ),
});

/** The attacker builds Acme Notes' sign-in link with the crafted redirect_uri. */
export const craftLink = labMove<
  LabState & {as: AuthorizationServer; secrets: flow.AttackerSecrets},
  {authorizationUrl: string}
>({
  title: 'The attacker crafts a sign-in link for Acme Notes',
  why: "The link asks for Acme Notes' sign-in with Acme Notes' public client_id. Its redirect_uri begins with the callback Acme Notes registered, then climbs out of it with \"..\" to the attacker's page on the same site.",
  action: 'Craft the link',
  arrows: [],
  copyable: false,
  act: async ({state}) => ({authorizationUrl: flow.buildAuthorizationUrl(state.as, state.config, state.secrets).href}),
  view: ({authorizationUrl}, {state}) => {
    const crafted = flow.craftRedirectUri(state.config.registeredRedirectUri, state.config.attackerPage);
    return (
      <>
        <ParameterList
          label="The redirect URI, registered and crafted"
          entries={[
            ['registered by Acme Notes', state.config.registeredRedirectUri],
            ["in the attacker's link", crafted],
            ['where a browser goes', new URL(crafted).href],
          ]}
        />
        <ParameterList entries={breakDownUrl(authorizationUrl).parameters} label="Authorization request parameters" />
      </>
    );
  },
});

/**
 * The victim opens the link. The page first asks the server for it without following the answer: a
 * redirect means the server accepted the redirect_uri, and then the browser goes there to sign in; a
 * refusal is the server's own error page, which the step shows (RFC 6749 §4.1.2.1: no redirect).
 */
export const victimOpensLink = leavePage<LabState & {authorizationUrl: string}, {landing: Landing}>({
  title: 'The victim opens the link and signs in',
  why: 'You are the victim now: you got the link in a message, and it leads to the real authorization server, asking for Acme Notes, an app you know. If the server accepts the redirect URI, you sign in and consent as usual, and the server sends your browser, with the code, to the page the link named.',
  action: 'Open the link',
  arrows: [
    {from: 'browser', to: 'as', label: 'GET /authorize redirect_uri=…/callback/../../page'},
    {from: 'as', to: 'browser', label: 'sign-in, or 400 error page', reply: true},
    {from: 'as', to: 'browser', label: '303 to …/callback/../../page ?code', reply: true},
    {from: 'browser', to: 'backend', label: "the attacker's page ?code"},
  ],
  before: ({env}) => <DemoUsers users={env.users} then="The lab continues on the page the code is sent to." />,
  to: async ({state, fetch}) => {
    const verdict = await flow.checkLink(state.authorizationUrl, withFetch(state.config, fetch));
    return verdict.accepted
      ? state.authorizationUrl
      : {stay: {landing: {refused: {status: verdict.status, message: verdict.message}}}};
  },
  read: (url) => {
    const landedUrl = returnedResponse(url, ['code']);
    return landedUrl ? {landing: {landedUrl}} : undefined;
  },
  view: ({landing}, {state}) =>
    'landedUrl' in landing ? (
      <>
        <p>
          The server accepted the crafted redirect URI. Your browser resolved its <code>..</code> segments and brought
          the code to <code className={styles.wrap}>{new URL(landing.landedUrl).pathname}</code>: this page, which plays
          the attacker&apos;s page. Its script reads the address.
        </p>
        <ParameterList entries={breakDownUrl(landing.landedUrl).parameters} label="What the attacker's page received" />
      </>
    ) : (
      <Verdict kind="refused" label="Attack refused">
        <p>
          The authorization server refused the link with HTTP {landing.refused.status} and its own error page, and
          redirected nowhere: {landing.refused.message}
        </p>
        <p>
          No sign-in page, no code. The request and the server&apos;s page follow;{' '}
          <a href={state.authorizationUrl}>open the link</a> to see the page the victim gets.
        </p>
      </Verdict>
    ),
});

/** The attacker redeems the code its page received, with its own verifier, and reads the victim's calendar. */
export const attackerRedeems = labMove<
  LabState & {as: AuthorizationServer; secrets: flow.AttackerSecrets; landing: Landing},
  {outcome?: flow.RedeemOutcome; api?: {status: number; sub?: string}}
>({
  title: 'The attacker redeems the code',
  why: "The attacker posts the code to the token endpoint with Acme Notes' client_id, the crafted redirect URI the code was issued for, and its own code_verifier. PKCE is satisfied: the verifier matches the challenge, because the attacker made both. Then it calls the calendar API.",
  action: 'Redeem the code as the attacker',
  arrows: [
    {from: 'backend', to: 'as', label: "POST /token code + attacker's code_verifier"},
    {from: 'as', to: 'backend', label: "the victim's tokens", reply: true},
    {from: 'backend', to: 'api', label: 'GET /events as the victim'},
  ],
  act: async ({env, state, fetch}) => {
    if (!('landedUrl' in state.landing)) return {};
    const config = withFetch(state.config, fetch);
    const outcome = await flow.redeemCode(state.as, config, state.secrets, state.landing.landedUrl);
    if (!outcome.redeemed) return {outcome};
    const api = await flow.callApi(`${env.api.base_url}/events`, outcome.tokens.access_token, config);
    const sub = (api.body as {caller?: {sub?: string}} | null)?.caller?.sub;
    return {outcome, api: {status: api.status, ...(sub ? {sub} : {})}};
  },
  view: ({outcome, api}, {env}) => {
    if (!outcome) {
      return (
        <Verdict kind="refused" label="Nothing to redeem">
          <p>
            No code ever reached the attacker&apos;s page: the server refused the link before anyone signed in. The
            attacker has nothing to redeem.
          </p>
        </Verdict>
      );
    }
    if (!outcome.redeemed) {
      return (
        <Verdict kind="refused" label="Attack refused">
          <p>
            The token endpoint refused the code with HTTP {outcome.status}: <code>{outcome.error}</code>
          </p>
        </Verdict>
      );
    }
    return (
      <Verdict kind="accepted" label="Attack succeeded">
        <TokenSummary tokens={outcome.tokens} />
        <p>
          The attack worked: the {env.api.name} answered <strong>{api?.status}</strong> to the attacker, as the victim
          {api?.sub ? (
            <>
              {' '}
              (<code>caller.sub</code> is <code>{api.sub}</code>)
            </>
          ) : null}
          .
        </p>
      </Verdict>
    );
  },
});
