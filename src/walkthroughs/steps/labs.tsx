/**
 * Step kinds of the security labs: the switch that turns a defence off or on, and the steps where the
 * reader plays the attacker. A lab runs the same steps both ways; the switch is its first step.
 */
import React, {type ReactNode} from 'react';
import {ParameterList} from '@site/src/components/HttpExchange';
import {breakDownUrl} from '@site/src/components/HttpExchange/exchange';
import type {Step} from '../engine/types';
import {TokenSummary} from './authorization';
import {withFetch, type AuthorizationServer, type Configured, type TokenEndpointResponse, type Transport} from './shared';
import {DemoUsers} from './views';
import styles from './styles.module.css';

/** Whether the lab's defence is in place for this run. */
export type Defence = 'off' | 'on';

/** The first step of a lab: the reader picks whether the defence is in place, then runs the attack. */
export function chooseDefence(options: {defence: string; off: ReactNode; on: ReactNode; why: ReactNode}): Step<object, {defence: Defence}> {
  return {
    title: `Switch ${options.defence} off or on`,
    why: options.why,
    action: 'Start this run',
    arrows: [],
    copyable: false,
    before: () => (
      <fieldset className={styles.choice}>
        <legend>{options.defence.charAt(0).toUpperCase() + options.defence.slice(1)}</legend>
        <label className={styles.option}>
          <input type="radio" name="defence" value="off" defaultChecked /> Off: {options.off}
        </label>
        <label className={styles.option}>
          <input type="radio" name="defence" value="on" /> On: {options.on}
        </label>
      </fieldset>
    ),
    run: async ({form}) => ({defence: form.get('defence') === 'on' ? 'on' : 'off'}),
    render: ({defence}) => (
      <p>
        This run has {options.defence} <strong>{defence}</strong>.
      </p>
    ),
  };
}

/** The victim's one-time values: `state`, and the PKCE pair only when the defence is on. */
interface VictimSecrets {
  state: string;
  pkce?: {verifier: string; challenge: string; method: 'S256'};
}

/** The victim app creates its values for this sign-in, with or without PKCE (RFC 7636 §4.1-4.2). */
export function victimSecrets(create: (usePkce: boolean) => Promise<VictimSecrets>): Step<{defence: Defence}, {secrets: VictimSecrets}> {
  return {
    title: 'The victim app prepares its sign-in',
    why: 'You are the user of the Notes app, which is about to send you to the authorization server. It always makes a state value; with the defence on it also makes a PKCE verifier, which it keeps, and a challenge, which it sends.',
    action: 'Create the values',
    arrows: [{from: 'client', to: 'client', label: 'state (+ code_verifier when PKCE is on)'}],
    copyable: false,
    run: async ({state}) => ({secrets: await create(state.defence === 'on')}),
    render: ({secrets}) => (
      <ParameterList
        label="The victim app's values"
        entries={[['state', secrets.state], ...(secrets.pkce ? ([['code_verifier (kept)', secrets.pkce.verifier], ['code_challenge (sent)', secrets.pkce.challenge]] as Array<[string, string]>) : [])]}
      />
    ),
  };
}

/** The victim's authorization request, built by the lab's flow module. */
export function victimRequest<Config>(
  build: (as: AuthorizationServer, config: Config, secrets: VictimSecrets) => URL,
): Step<Configured<Config> & {as: AuthorizationServer; secrets: VictimSecrets}, {authorizationUrl: string}> {
  return {
    title: 'The victim app builds its authorization request',
    why: 'Look for code_challenge in the parameters: it is there only when PKCE is on. Everything else in the URL is public, and the redirect URI is one the malicious app answers too.',
    action: 'Build the URL',
    arrows: [],
    copyable: false,
    run: async ({state}) => ({authorizationUrl: build(state.as, state.config, state.secrets).href}),
    render: ({authorizationUrl}) => <ParameterList entries={breakDownUrl(authorizationUrl).parameters} label="Authorization request parameters" />,
  };
}

/**
 * The user signs in, and the redirect meant for the victim app reaches the malicious app, which
 * registered the same scheme (RFC 8252 §8.1). This page plays the device: it takes the response.
 */
export function interceptCode(): Step<{authorizationUrl: string}, {interceptedUrl: string}> {
  return {
    title: 'Sign in; the malicious app catches the redirect',
    why: 'You sign in and consent as usual. The server redirects to the app\'s URI scheme, and the operating system hands the response to the other app that claimed the same scheme. You now play that app: it holds the code.',
    action: 'Go to the authorization server',
    arrows: [
      {from: 'client', to: 'browser', label: 'open /authorize', reply: true},
      {from: 'browser', to: 'as', label: 'GET /authorize'},
      {from: 'as', to: 'browser', label: '302 to the app scheme ?code', reply: true},
      {from: 'browser', to: 'backend', label: 'the malicious app gets ?code'},
    ],
    copyable: false,
    before: ({env}) => <DemoUsers users={env.users} then="The lab continues when you come back." />,
    run: ({state, navigate}) => navigate(state.authorizationUrl),
    resume: async (url) => {
      if (url.searchParams.has('error')) throw new Error(`The authorization server answered ${url.searchParams.get('error')}: ${url.searchParams.get('error_description') ?? ''}`);
      return url.searchParams.has('code') ? {interceptedUrl: url.href} : undefined;
    },
    render: ({interceptedUrl}) => (
      <>
        <p>The malicious app read these parameters from the redirect. It has the code; it never saw the victim app&apos;s memory.</p>
        <ParameterList entries={breakDownUrl(interceptedUrl).parameters} label="Intercepted response" />
      </>
    ),
  };
}

/** What the attacker got from the stolen code. */
type StolenCodeOutcome =
  | {redeemed: true; tokens: TokenEndpointResponse}
  | {redeemed: false; status: number; error: string; error_description?: string};

/**
 * The attacker redeems the intercepted code with its own token request and, when that works, calls the
 * API with the stolen access token. A refusal is a result of this step, not a failure.
 */
export function redeemInterceptedCode<Config>(flow: {
  redeemStolenCode: (as: AuthorizationServer, config: Config & Transport, interceptedUrl: string) => Promise<StolenCodeOutcome>;
  callApiWithStolenToken: (url: string, accessToken: string, config: Config & Transport) => Promise<{status: number; body: unknown}>;
}): Step<Configured<Config> & {as: AuthorizationServer; interceptedUrl: string}, {outcome: StolenCodeOutcome; apiStatus?: number}> {
  return {
    title: 'The malicious app redeems the code',
    why: 'The attacker posts the code to the token endpoint with the victim app\'s client_id, which is public. It has no code_verifier to send. Then, if it got an access token, it calls the calendar API with it.',
    action: 'Redeem the stolen code',
    arrows: [
      {from: 'backend', to: 'as', label: 'POST /token code, no code_verifier'},
      {from: 'as', to: 'backend', label: 'tokens, or 400 invalid_grant', reply: true},
      {from: 'backend', to: 'api', label: 'GET /events with the stolen token'},
    ],
    run: async ({env, state, fetch}) => {
      const config = withFetch(state.config, fetch);
      const outcome = await flow.redeemStolenCode(state.as, config, state.interceptedUrl);
      if (!outcome.redeemed) return {outcome};
      const api = await flow.callApiWithStolenToken(`${env.api.base_url}/events`, outcome.tokens.access_token, config);
      return {outcome, apiStatus: api.status};
    },
    render: ({outcome, apiStatus}, {env}) =>
      outcome.redeemed ? (
        <div className={styles.accepted} role="note" aria-label="Attack succeeded">
          <TokenSummary tokens={outcome.tokens} />
          <p>
            The attack worked: the malicious app holds the victim&apos;s tokens, and the {env.api.name} answered <strong>{apiStatus}</strong> to it.
          </p>
        </div>
      ) : (
        <div className={styles.refused} role="note" aria-label="Attack refused">
          <p>
            The token endpoint refused the stolen code with HTTP {outcome.status}: <code>{outcome.error}</code>
          </p>
          {outcome.error_description && <p>{outcome.error_description}</p>}
          <p>The code was bound to a challenge whose verifier never left the victim app, so the code is worthless to anyone else.</p>
        </div>
      ),
  };
}

/** What a refresh got its sender (the lab's flow module's outcome). */
type RefreshOutcome =
  | {ok: true; tokens: TokenEndpointResponse; refreshToken: string; rotated: boolean}
  | {ok: false; status: number; error: string; error_description?: string};

/** What the theft lab's steps need of its flow module. */
interface RefreshLabFlow<Config> {
  useRefreshToken: (as: AuthorizationServer, config: Config & Transport, refreshToken: string) => Promise<RefreshOutcome>;
  callApi: (url: string, accessToken: string, config: Config & Transport) => Promise<{status: number; body: unknown}>;
}

/** A refresh and, when it worked, a call to the API with the new access token. */
interface RefreshAttempt {
  outcome: RefreshOutcome;
  apiStatus?: number;
}

/**
 * A lab switch that picks one of two registrations of the same app: the lab client without the
 * defence (`off`) or its strict twin (`on`). The choice sets the client the whole run uses;
 * `configure` may change more of the run's configuration with it.
 */
export function chooseLabClient<Config extends {clientId: string}>(options: {
  defence: string;
  clients: Record<Defence, string>;
  off: ReactNode;
  on: ReactNode;
  why: ReactNode;
  configure?: (config: Config, defence: Defence) => Config;
  describe: (defence: Defence, config: Config) => ReactNode;
}): Step<Configured<Config>, {defence: Defence; config: Config}> {
  const base = chooseDefence(options);
  return {
    title: base.title,
    why: base.why,
    action: base.action,
    arrows: base.arrows,
    copyable: false,
    before: base.before,
    run: async (context) => {
      const {defence} = await base.run(context);
      const config = {...context.state.config, clientId: options.clients[defence]};
      return {defence, config: options.configure ? options.configure(config, defence) : config};
    },
    render: ({defence, config}) => <p>{options.describe(defence, config)}</p>,
  };
}

/**
 * The switch of the refresh token theft lab: the same single-page app, registered twice, once without
 * rotation and once with it. The choice picks the client the whole run uses.
 */
export function chooseRotation<Config extends {clientId: string}>(clients: Record<Defence, string>): Step<Configured<Config>, {defence: Defence; config: Config}> {
  return chooseLabClient<Config>({
    defence: 'rotation',
    clients,
    off: (
      <>
        the app is <code>{clients.off}</code>, whose refresh tokens never change
      </>
    ),
    on: (
      <>
        the app is <code>{clients.on}</code>: each refresh returns a new refresh token, and reuse revokes the family
      </>
    ),
    why: 'Run the lab once with rotation off and once with it on. The app, the user, the theft and the requests stay the same; only the server\'s handling of the refresh token changes.',
    describe: (defence, config) => (
      <>
        This run has rotation <strong>{defence}</strong>: the app signs in as <code>{config.clientId}</code>.
      </>
    ),
  });
}

async function attempt<Config>(
  flow: RefreshLabFlow<Config>,
  context: {env: {api: {base_url: string}}; as: AuthorizationServer; config: Config & Transport},
  refreshToken: string,
): Promise<RefreshAttempt> {
  const outcome = await flow.useRefreshToken(context.as, context.config, refreshToken);
  if (!outcome.ok) return {outcome};
  const api = await flow.callApi(`${context.env.api.base_url}/events`, outcome.tokens.access_token, context.config);
  return {outcome, apiStatus: api.status};
}

function AttemptView({who, attempt: {outcome, apiStatus}, good}: {who: string; attempt: RefreshAttempt; good: boolean}): ReactNode {
  if (!outcome.ok) {
    return (
      <div className={styles.refused} role="note" aria-label={`${who}: refused`}>
        <p>
          The token endpoint refused {who} with HTTP {outcome.status}: <code>{outcome.error}</code>
        </p>
        {outcome.error_description && <p>{outcome.error_description}</p>}
      </div>
    );
  }
  return (
    <div className={good ? styles.note : styles.accepted} role="note" aria-label={`${who}: new tokens`}>
      <p>
        {who[0]!.toUpperCase() + who.slice(1)} got a new access token, and the calendar API answered <strong>{apiStatus}</strong> to it.{' '}
        {outcome.rotated ? 'The refresh token rotated: the one presented is now retired.' : 'No new refresh token: the same one stays valid.'}
      </p>
    </div>
  );
}

/** The attacker copies the app's refresh token and uses it first (RFC 9700 §4.14.2's threat). */
export function thiefRefreshes<Config>(flow: RefreshLabFlow<Config>): Step<Configured<Config> & {as: AuthorizationServer; tokens: TokenEndpointResponse}, {theft: RefreshAttempt; thiefToken: string}> {
  return {
    title: 'The attacker steals the refresh token and uses it',
    why: 'You now play the attacker, who copied the app\'s refresh token. It needs nothing else: the app is a public client, so the request carries only the token and the public client_id.',
    action: 'Refresh as the attacker',
    arrows: [
      {from: 'browser', to: 'as', label: 'attacker: POST /token stolen refresh_token'},
      {from: 'as', to: 'browser', label: 'new access token', reply: true},
      {from: 'browser', to: 'api', label: 'attacker: GET /events'},
    ],
    run: async ({env, state, fetch}) => {
      const stolen = state.tokens.refresh_token;
      if (!stolen) throw new Error('The token response had no refresh token (was offline_access granted?).');
      const theft = await attempt(flow, {env, as: state.as, config: withFetch(state.config, fetch)}, stolen);
      return {theft, thiefToken: theft.outcome.ok ? theft.outcome.refreshToken : stolen};
    },
    render: ({theft}) => <AttemptView who="the attacker" attempt={theft} good={false} />,
  };
}

/** The app, unaware, refreshes with the token it holds: the same one the attacker used. */
export function appRefreshes<Config>(flow: RefreshLabFlow<Config>): Step<Configured<Config> & {as: AuthorizationServer; tokens: TokenEndpointResponse}, {appRefresh: RefreshAttempt}> {
  return {
    title: 'The app refreshes with the token it holds',
    why: 'You are the app again. It knows nothing of the theft and presents its refresh token as usual. With rotation on, that token was retired when the attacker used it: the server sees a retired token come back.',
    action: 'Refresh as the app',
    arrows: [
      {from: 'client', to: 'as', label: 'app: POST /token its refresh_token'},
      {from: 'as', to: 'client', label: 'new access token, or 400 invalid_grant', reply: true},
    ],
    run: async ({env, state, fetch}) => ({appRefresh: await attempt(flow, {env, as: state.as, config: withFetch(state.config, fetch)}, state.tokens.refresh_token ?? '')}),
    render: ({appRefresh}) => <AttemptView who="the app" attempt={appRefresh} good />,
  };
}

/** The attacker comes back later with the newest token it has. */
export function thiefRefreshesAgain<Config>(flow: RefreshLabFlow<Config>): Step<Configured<Config> & {as: AuthorizationServer; thiefToken: string}, {theftAgain: RefreshAttempt}> {
  return {
    title: 'The attacker comes back',
    why: 'The attacker again, later, with the newest refresh token it has. Without rotation that is still the stolen one. With rotation it is the token the server gave the attacker, from the family the server has just revoked.',
    action: 'Refresh as the attacker again',
    arrows: [
      {from: 'browser', to: 'as', label: 'attacker: POST /token its refresh_token'},
      {from: 'as', to: 'browser', label: 'new access token, or 400 invalid_grant', reply: true},
    ],
    run: async ({env, state, fetch}) => ({theftAgain: await attempt(flow, {env, as: state.as, config: withFetch(state.config, fetch)}, state.thiefToken)}),
    render: ({theftAgain}) => <AttemptView who="the attacker" attempt={theftAgain} good={false} />,
  };
}
