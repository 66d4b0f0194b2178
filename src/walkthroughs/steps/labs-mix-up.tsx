/**
 * Step kinds of the mix-up lab (RFC 9700 §4.4): an app that trusts two authorization servers, the user's
 * pick of the attacker's, the round trip the attacker bends to the honest server, the app's handling of
 * the response with or without the `iss` check (RFC 9207 §2.4), and the attacker's use of what it got.
 */
import React from 'react';
import {decodeJwt} from 'jose';
import {ParameterList} from '@site/src/components/HttpExchange';
import {breakDownUrl} from '@site/src/components/HttpExchange/exchange';
import type {Step} from '../engine/types';
import {TokenSummary} from './authorization';
import type {Defence} from './labs';
import {withFetch, type AuthorizationServer, type Configured, type TokenEndpointResponse, type Transport} from './shared';
import {DemoUsers} from './views';
import styles from './styles.module.css';

/** A server the app offers, with the client_id it holds there (the flow module's ServerRegistration). */
interface ServerRegistration {
  name: string;
  issuer: string;
  clientId: string;
}

/** The two servers of this lab: the honest sandbox and the attacker's. */
export interface MixUpServers {
  servers: {honest: ServerRegistration; attacker: ServerRegistration};
}

interface SignInSession {
  server: ServerRegistration;
  state: string;
  codeVerifier: string;
}

type RedeemOutcome =
  | {sent: false; error: string; code?: string}
  | {sent: true; tokens: TokenEndpointResponse}
  | {sent: true; status: number; error: string; error_description?: string};

interface ReceivedTokenRequest {
  received_at: string;
  client_id?: string;
  code: string;
  code_verifier?: string;
  redirect_uri?: string;
}

/** The user picks the attacker's server on the app's sign-in screen; the app reads that server's metadata. */
export function pickAttackerServer<Config>(
  discover: (config: Config & Transport, server: ServerRegistration) => Promise<AuthorizationServer>,
): Step<Configured<Config> & MixUpServers, {as: AuthorizationServer}> {
  return {
    title: 'The user picks a server; the app reads its metadata',
    why: 'Trip Planner offers two ways to sign in, each its own authorization server. You pick the attacker\'s (it looks like any other provider, or the attacker steered the choice). The app fetches that server\'s discovery document and checks that it names the issuer it asked for, which it does: the attacker runs a real server.',
    action: 'Pick the attacker\'s server',
    arrows: [
      {from: 'client', to: 'backend', label: 'GET attacker discovery metadata'},
      {from: 'backend', to: 'client', label: 'its issuer and endpoints', reply: true},
    ],
    before: ({state}) => (
      <p className={styles.note}>
        The app&apos;s sign-in screen offers <strong>{state.servers.honest.name}</strong> (<code className={styles.wrap}>{state.servers.honest.issuer}</code>) and{' '}
        <strong>{state.servers.attacker.name}</strong> (<code className={styles.wrap}>{state.servers.attacker.issuer}</code>). In this lab you pick the second.
      </p>
    ),
    run: async ({state, fetch}) => ({as: await discover(withFetch(state.config, fetch), state.servers.attacker)}),
    render: ({as}) => (
      <>
        <ParameterList
          label="The chosen server's endpoints"
          entries={(['issuer', 'authorization_endpoint', 'token_endpoint'] as const).flatMap((name) => {
            const value = as[name];
            return typeof value === 'string' ? [[name, value] as [string, string]] : [];
          })}
        />
        <p>
          Its document does not announce <code>authorization_response_iss_parameter_supported</code> (RFC 9207 §3): the attacker&apos;s own responses would
          carry no <code>iss</code>.
        </p>
      </>
    ),
  };
}

/** The app remembers the chosen server and builds its authorization request to it (RFC 6749 §4.1.1, RFC 7636 §4.3). */
export function startSignInAtChosenServer<Config>(
  start: (as: AuthorizationServer, config: Config, server: ServerRegistration) => Promise<{session: SignInSession; url: URL}>,
): Step<Configured<Config> & MixUpServers & {as: AuthorizationServer}, {session: SignInSession; authorizationUrl: string}> {
  return {
    title: 'The app starts the sign-in at the chosen server',
    why: 'The app keeps, for this sign-in, which server it went to, a state value and a PKCE verifier, and sends you to that server\'s authorization endpoint with its client_id there and the challenge.',
    action: 'Build the URL',
    arrows: [{from: 'client', to: 'client', label: 'remember server, state, code_verifier'}],
    copyable: false,
    run: async ({state}) => {
      const {session, url} = await start(state.as, state.config, state.servers.attacker);
      return {session, authorizationUrl: url.href};
    },
    render: ({session, authorizationUrl}) => (
      <>
        <ParameterList
          label="What the app remembers"
          entries={[
            ['server (issuer)', session.server.issuer],
            ['state', session.state],
            ['code_verifier (kept)', session.codeVerifier],
          ]}
        />
        <p>
          The browser will go to <code className={styles.wrap}>{breakDownUrl(authorizationUrl).address}</code>:
        </p>
        <ParameterList entries={breakDownUrl(authorizationUrl).parameters} label="Authorization request parameters" />
      </>
    ),
  };
}

/**
 * The user goes to the attacker's server, which sends them on to the sandbox's authorization endpoint
 * with the app's sandbox client_id; they sign in there, and the sandbox sends its code back to this page.
 */
export function signInThroughAttacker(): Step<MixUpServers & {authorizationUrl: string}, {callbackUrl: string}> {
  return {
    title: 'Sign in; the attacker passes you on to the sandbox',
    why: 'The attacker\'s authorization endpoint does not sign anyone in. It redirects you to the sandbox\'s, with the same state, challenge and redirect URI, but the app\'s client_id at the sandbox. You sign in at the sandbox, which you trust, and consent for Trip Planner, the app you are using. The sandbox sends its code back to the app.',
    action: 'Go to the chosen server',
    arrows: [
      {from: 'client', to: 'browser', label: 'redirect to attacker /authorize', reply: true},
      {from: 'browser', to: 'backend', label: 'GET /authorize'},
      {from: 'backend', to: 'browser', label: '302 to sandbox /authorize, client_id swapped', reply: true},
      {from: 'browser', to: 'as', label: 'GET /authorize, sign in, consent'},
      {from: 'as', to: 'browser', label: '302 to redirect_uri ?code&state&iss', reply: true},
      {from: 'browser', to: 'client', label: 'this page ?code&state&iss'},
    ],
    copyable: false,
    before: ({env}) => <DemoUsers users={env.users} then="Look at the address bar on the way: the sign-in page is the sandbox's. The lab continues when you come back." />,
    run: ({state, navigate}) => navigate(state.authorizationUrl),
    resume: async (url) => {
      if (url.searchParams.has('error')) throw new Error(`The authorization server answered ${url.searchParams.get('error')}: ${url.searchParams.get('error_description') ?? ''}`);
      return url.searchParams.has('code') ? {callbackUrl: url.href} : undefined;
    },
    render: ({callbackUrl}, {state}) => (
      <>
        <p>
          The browser came back with a code from the sandbox. The response says who issued it: <code>iss</code> is{' '}
          <code className={styles.wrap}>{new URL(callbackUrl).searchParams.get('iss') ?? '(missing)'}</code>, while the app sent this sign-in to{' '}
          <code className={styles.wrap}>{state.servers.attacker.issuer}</code>.
        </p>
        <ParameterList entries={breakDownUrl(callbackUrl).parameters} label="Callback parameters" />
      </>
    ),
  };
}

/**
 * The app handles the response and redeems the code at the token endpoint of the server it believes it
 * talks to. With the check on, the response's `iss` stops it first (RFC 9207 §2.4): a result, not a failure.
 */
export function redeemAtChosenServer<Config>(
  redeem: (as: AuthorizationServer, config: Config & Transport, session: SignInSession, callbackUrl: string, checkIssuer: boolean) => Promise<RedeemOutcome>,
): Step<Configured<Config> & {defence: Defence; as: AuthorizationServer; session: SignInSession; callbackUrl: string}, {redeemed: RedeemOutcome}> {
  return {
    title: 'The app redeems the code at the server it chose',
    why: 'The app checks the response, then posts the code with its code_verifier to the token endpoint of the server it sent you to: the attacker\'s. Unless the iss check stops it first.',
    action: 'Handle the response',
    arrows: [
      {from: 'client', to: 'client', label: 'check state (and iss when on)'},
      {from: 'client', to: 'backend', label: 'POST /token code + code_verifier'},
      {from: 'backend', to: 'client', label: '400 invalid_grant', reply: true},
    ],
    run: async ({state, fetch}) => ({
      redeemed: await redeem(state.as, withFetch(state.config, fetch), state.session, state.callbackUrl, state.defence === 'on'),
    }),
    render: ({redeemed}, {state}) => {
      if (!redeemed.sent) {
        return (
          <div className={styles.refused} role="note" aria-label="Attack refused">
            <p>
              The app stopped before sending anything: <code>{redeemed.error}</code>
              {redeemed.code && (
                <>
                  {' '}
                  (<code>{redeemed.code}</code>)
                </>
              )}
            </p>
            <p>
              The response&apos;s <code>iss</code> names the sandbox, but this sign-in went to <code className={styles.wrap}>{state.session.server.issuer}</code>. The
              code and the verifier stay in this page; no token request was made.
            </p>
          </div>
        );
      }
      if ('tokens' in redeemed) return <TokenSummary tokens={redeemed.tokens} />;
      return (
        <div className={styles.accepted} role="note" aria-label="Code sent to the attacker">
          <p>
            The app posted the sandbox&apos;s code and its code_verifier to <code className={styles.wrap}>{state.as.token_endpoint}</code>. That server answered
            HTTP {redeemed.status}: <code>{redeemed.error}</code>. To you this is a failed sign-in; the attacker now holds the code and the verifier.
          </p>
        </div>
      );
    },
  };
}

/** What the attacker got for its trouble. */
type Theft = {stolen: false; received: number} | {stolen: true; outcome: RedeemOutcome; sub?: string; apiStatus?: number};

/** What the attacker's step needs of the flow module. */
interface AttackerFlow<Config> {
  readAttackerLog: (attackerIssuer: string, config: Config & Transport) => Promise<ReceivedTokenRequest[]>;
  discover: (config: Config & Transport, server: ServerRegistration) => Promise<AuthorizationServer>;
  redeemStolenCode: (honest: AuthorizationServer, config: Config & Transport, honestClientId: string, stolen: ReceivedTokenRequest) => Promise<RedeemOutcome>;
  callApiWithStolenToken: (url: string, accessToken: string, config: Config & Transport) => Promise<{status: number; body: unknown}>;
}

/**
 * The attacker reads what its token endpoint received and redeems this sign-in's code at the sandbox,
 * as the app would have (RFC 9700 §4.4.1), then calls the calendar API with the access token.
 */
export function attackerRedeemsAtSandbox<Config>(
  flow: AttackerFlow<Config>,
): Step<Configured<Config> & MixUpServers & {callbackUrl: string}, {theft: Theft}> {
  return {
    title: 'The attacker redeems the code at the sandbox',
    why: 'You now play the attacker. Its token endpoint kept what the app sent. With this sign-in\'s code and verifier, it posts a token request to the sandbox, as Trip Planner, and then reads the calendar with the access token.',
    action: 'Redeem as the attacker',
    arrows: [
      {from: 'backend', to: 'backend', label: 'read what /token received'},
      {from: 'backend', to: 'as', label: 'POST /token code + code_verifier'},
      {from: 'as', to: 'backend', label: 'access token for the user', reply: true},
      {from: 'backend', to: 'api', label: 'GET /events'},
    ],
    run: async ({env, state, fetch}) => {
      const config = withFetch(state.config, fetch);
      const received = await flow.readAttackerLog(state.servers.attacker.issuer, config);
      const code = new URL(state.callbackUrl).searchParams.get('code');
      const stolen = received.find((entry) => entry.code === code);
      if (!stolen) return {theft: {stolen: false, received: received.length}};
      const honest = await flow.discover(config, state.servers.honest);
      const outcome = await flow.redeemStolenCode(honest, config, state.servers.honest.clientId, stolen);
      if (!outcome.sent || !('tokens' in outcome)) return {theft: {stolen: true, outcome}};
      const api = await flow.callApiWithStolenToken(`${env.api.base_url}/events`, outcome.tokens.access_token, config);
      const {sub} = decodeJwt(outcome.tokens.access_token);
      return {theft: {stolen: true, outcome, apiStatus: api.status, ...(sub ? {sub} : {})}};
    },
    render: ({theft}, {env}) => {
      if (!theft.stolen) {
        return (
          <div className={styles.refused} role="note" aria-label="Attack refused">
            <p>The attacker&apos;s token endpoint received nothing from this sign-in: there is no code to redeem.</p>
            {theft.received > 0 && <p>What it does hold is from earlier runs: codes the sandbox has already redeemed or let expire.</p>}
          </div>
        );
      }
      const {outcome} = theft;
      if (outcome.sent && 'tokens' in outcome) {
        return (
          <div className={styles.accepted} role="note" aria-label="Attack succeeded">
            <TokenSummary tokens={outcome.tokens} />
            <p>
              The attack worked: the sandbox issued the attacker an access token for <code>{theft.sub}</code>, the user who signed in, and the {env.api.name}{' '}
              answered <strong>{theft.apiStatus}</strong> to it.
            </p>
          </div>
        );
      }
      return (
        <div className={styles.refused} role="note" aria-label="Attack refused">
          <p>
            The sandbox refused the stolen code{outcome.sent ? ` with HTTP ${outcome.status}` : ''}: <code>{outcome.error}</code>
          </p>
        </div>
      );
    },
  };
}
