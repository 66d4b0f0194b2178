/**
 * The mix-up lab's moves (RFC 9700 §4.4): an app that trusts two authorization servers, the user's pick of
 * the attacker's, the round trip the attacker bends to the honest server, the app's handling of the
 * response with or without the `iss` check (RFC 9207 §2.4), and the attacker's use of what it got.
 */
import React from 'react';
import {ParameterList} from '@site/src/components/HttpExchange';
import {breakDownUrl} from '@site/src/components/HttpExchange/exchange';
import {returnedResponse} from '@site/src/flows/labs/browser-actions';
import * as flow from '@site/src/flows/labs/mix-up';
import {TokenSummary} from './authorization';
import {labMove, leavePage, Verdict, type Defence} from './labs';
import {withFetch, type AuthorizationServer, type Configured} from './shared';
import {DemoUsers} from './views';
import styles from './styles.module.css';

/** The two servers of this lab: the honest sandbox and the attacker's. */
export interface MixUpServers {
  servers: {honest: flow.ServerRegistration; attacker: flow.ServerRegistration};
}

type LabState = Configured<flow.LabConfig> & MixUpServers;

/** The user picks the attacker's server on the app's sign-in screen; the app reads that server's metadata. */
export const pickAttackerServer = labMove<LabState, {as: AuthorizationServer}>({
  title: 'The user picks a server; the app reads its metadata',
  why: "Trip Planner offers two ways to sign in, each its own authorization server. You pick the attacker's (it looks like any other provider, or the attacker steered the choice). The app fetches that server's discovery document and checks that it names the issuer it asked for, which it does: the attacker runs a real server.",
  action: "Pick the attacker's server",
  arrows: [
    {from: 'client', to: 'backend', label: 'GET attacker discovery metadata'},
    {from: 'backend', to: 'client', label: 'its issuer and endpoints', reply: true},
  ],
  before: ({state}) => (
    <p className={styles.note}>
      The app&apos;s sign-in screen offers <strong>{state.servers.honest.name}</strong> (
      <code className={styles.wrap}>{state.servers.honest.issuer}</code>) and{' '}
      <strong>{state.servers.attacker.name}</strong> (
      <code className={styles.wrap}>{state.servers.attacker.issuer}</code>). In this lab you pick the second.
    </p>
  ),
  act: async ({state, fetch}) => ({as: await flow.discover(withFetch(state.config, fetch), state.servers.attacker)}),
  view: ({as}) => (
    <>
      <ParameterList
        label="The chosen server's endpoints"
        entries={(['issuer', 'authorization_endpoint', 'token_endpoint'] as const).flatMap((name) => {
          const value = as[name];
          return typeof value === 'string' ? [[name, value] as [string, string]] : [];
        })}
      />
      <p>
        Its document does not announce <code>authorization_response_iss_parameter_supported</code> (RFC 9207 §3): the
        attacker&apos;s own responses would carry no <code>iss</code>.
      </p>
    </>
  ),
});

/** The app remembers the chosen server and builds its authorization request to it (RFC 6749 §4.1.1, RFC 7636 §4.3). */
export const startSignInAtChosenServer = labMove<
  LabState & {as: AuthorizationServer},
  {session: flow.SignInSession; authorizationUrl: string}
>({
  title: 'The app starts the sign-in at the chosen server',
  why: "The app keeps, for this sign-in, which server it went to, a state value and a PKCE verifier, and sends you to that server's authorization endpoint with its client_id there and the challenge.",
  action: 'Build the URL',
  arrows: [{from: 'client', to: 'client', label: 'remember server, state, code_verifier'}],
  copyable: false,
  act: async ({state}) => {
    const {session, url} = await flow.startSignIn(state.as, state.config, state.servers.attacker);
    return {session, authorizationUrl: url.href};
  },
  view: ({session, authorizationUrl}) => (
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
});

/**
 * The user goes to the attacker's server, which sends them on to the sandbox's authorization endpoint
 * with the app's sandbox client_id; they sign in there, and the sandbox sends its code back to this page.
 */
export const signInThroughAttacker = leavePage<MixUpServers & {authorizationUrl: string}, {callbackUrl: string}>({
  title: 'Sign in; the attacker passes you on to the sandbox',
  why: "The attacker's authorization endpoint does not sign anyone in. It redirects you to the sandbox's, with the same state, challenge and redirect URI, but the app's client_id at the sandbox. You sign in at the sandbox, which you trust, and consent for Trip Planner, the app you are using. The sandbox sends its code back to the app.",
  action: 'Go to the chosen server',
  arrows: [
    {from: 'client', to: 'browser', label: 'redirect to attacker /authorize', reply: true},
    {from: 'browser', to: 'backend', label: 'GET /authorize'},
    {from: 'backend', to: 'browser', label: '302 to sandbox /authorize, client_id swapped', reply: true},
    {from: 'browser', to: 'as', label: 'GET /authorize, sign in, consent'},
    {from: 'as', to: 'browser', label: '302 to redirect_uri ?code&state&iss', reply: true},
    {from: 'browser', to: 'client', label: 'this page ?code&state&iss'},
  ],
  before: ({env}) => (
    <DemoUsers
      users={env.users}
      then="Look at the address bar on the way: the sign-in page is the sandbox's. The lab continues when you come back."
    />
  ),
  to: ({state}) => state.authorizationUrl,
  read: (url) => {
    const callbackUrl = returnedResponse(url, ['code']);
    return callbackUrl ? {callbackUrl} : undefined;
  },
  view: ({callbackUrl}, {state}) => (
    <>
      <p>
        The browser came back with a code from the sandbox. The response says who issued it: <code>iss</code> is{' '}
        <code className={styles.wrap}>{new URL(callbackUrl).searchParams.get('iss') ?? '(missing)'}</code>, while the
        app sent this sign-in to <code className={styles.wrap}>{state.servers.attacker.issuer}</code>.
      </p>
      <ParameterList entries={breakDownUrl(callbackUrl).parameters} label="Callback parameters" />
    </>
  ),
});

/**
 * The app handles the response and redeems the code at the token endpoint of the server it believes it
 * talks to. With the check on, the response's `iss` stops it first (RFC 9207 §2.4): a result, not a failure.
 */
export const redeemAtChosenServer = labMove<
  LabState & {defence: Defence; as: AuthorizationServer; session: flow.SignInSession; callbackUrl: string},
  {redeemed: flow.RedeemOutcome}
>({
  title: 'The app redeems the code at the server it chose',
  why: "The app checks the response, then posts the code with its code_verifier to the token endpoint of the server it sent you to: the attacker's. Unless the iss check stops it first.",
  action: 'Handle the response',
  arrows: [
    {from: 'client', to: 'client', label: 'check state (and iss when on)'},
    {from: 'client', to: 'backend', label: 'POST /token code + code_verifier'},
    {from: 'backend', to: 'client', label: '400 invalid_grant', reply: true},
  ],
  act: async ({state, fetch}) => ({
    redeemed: await flow.redeemCode(
      state.as,
      withFetch(state.config, fetch),
      state.session,
      state.callbackUrl,
      state.defence === 'on',
    ),
  }),
  view: ({redeemed}, {state}) => {
    if (!redeemed.sent) {
      return (
        <Verdict kind="refused" label="Attack refused">
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
            The response&apos;s <code>iss</code> names the sandbox, but this sign-in went to{' '}
            <code className={styles.wrap}>{state.session.server.issuer}</code>. The code and the verifier stay in this
            page; no token request was made.
          </p>
        </Verdict>
      );
    }
    if ('tokens' in redeemed) return <TokenSummary tokens={redeemed.tokens} />;
    return (
      <Verdict kind="accepted" label="Code sent to the attacker">
        <p>
          The app posted the sandbox&apos;s code and its code_verifier to{' '}
          <code className={styles.wrap}>{state.as.token_endpoint}</code>. That server answered HTTP {redeemed.status}:{' '}
          <code>{redeemed.error}</code>. To you this is a failed sign-in; the attacker now holds the code and the
          verifier.
        </p>
      </Verdict>
    );
  },
});

/**
 * The attacker reads what its token endpoint received and redeems this sign-in's code at the sandbox,
 * as the app would have (RFC 9700 §4.4.1), then calls the calendar API with the access token.
 */
export const attackerRedeemsAtSandbox = labMove<LabState & {callbackUrl: string}, {theft: flow.Theft}>({
  title: 'The attacker redeems the code at the sandbox',
  why: "You now play the attacker. Its token endpoint kept what the app sent. With this sign-in's code and verifier, it posts a token request to the sandbox, as Trip Planner, and then reads the calendar with the access token.",
  action: 'Redeem as the attacker',
  arrows: [
    {from: 'backend', to: 'backend', label: 'read what /token received'},
    {from: 'backend', to: 'as', label: 'POST /token code + code_verifier'},
    {from: 'as', to: 'backend', label: 'access token for the user', reply: true},
    {from: 'backend', to: 'api', label: 'GET /events'},
  ],
  act: async ({env, state, fetch}) => ({
    theft: await flow.useReceivedCode(
      withFetch(state.config, fetch),
      state.servers.honest,
      state.servers.attacker.issuer,
      state.callbackUrl,
      `${env.api.base_url}/events`,
    ),
  }),
  view: ({theft}, {env}) => {
    if (!theft.stolen) {
      return (
        <Verdict kind="refused" label="Attack refused">
          <p>The attacker&apos;s token endpoint received nothing from this sign-in: there is no code to redeem.</p>
          {theft.received > 0 && (
            <p>What it does hold is from earlier runs: codes the sandbox has already redeemed or let expire.</p>
          )}
        </Verdict>
      );
    }
    const {outcome} = theft;
    if (outcome.sent && 'tokens' in outcome) {
      return (
        <Verdict kind="accepted" label="Attack succeeded">
          <TokenSummary tokens={outcome.tokens} />
          <p>
            The attack worked: the sandbox issued the attacker an access token for <code>{theft.sub}</code>, the user
            who signed in, and the {env.api.name} answered <strong>{theft.apiStatus}</strong> to it.
          </p>
        </Verdict>
      );
    }
    return (
      <Verdict kind="refused" label="Attack refused">
        <p>
          The sandbox refused the stolen code{outcome.sent ? ` with HTTP ${outcome.status}` : ''}:{' '}
          <code>{outcome.error}</code>
        </p>
      </Verdict>
    );
  },
});
