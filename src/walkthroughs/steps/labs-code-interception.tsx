/**
 * The code interception lab's moves (RFC 7636 §1, RFC 9700 §4.5): the victim app prepares its sign-in,
 * with or without PKCE, the malicious app catches the redirect, then redeems the code it caught.
 */
import React from 'react';
import {ParameterList} from '@site/src/components/HttpExchange';
import {breakDownUrl} from '@site/src/components/HttpExchange/exchange';
import {returnedResponse} from '@site/src/flows/labs/browser-actions';
import * as flow from '@site/src/flows/labs/code-interception';
import {TokenSummary} from './authorization';
import {labMove, leavePage, Verdict, type Defence} from './labs';
import {withFetch, type AuthorizationServer, type Configured} from './shared';

type LabState = Configured<flow.LabConfig> & {defence: Defence};

/** The victim app creates its values for this sign-in, with or without PKCE (RFC 7636 §4.1-4.2). */
export const victimSecrets = labMove<LabState, {secrets: flow.VictimSecrets}>({
  title: 'The victim app prepares its sign-in',
  why: 'You are the user of the Notes app, which is about to send you to the authorization server. It always makes a state value; with the defence on it also makes a PKCE verifier, which it keeps, and a challenge, which it sends.',
  action: 'Create the values',
  arrows: [{from: 'client', to: 'client', label: 'state (+ code_verifier when PKCE is on)'}],
  copyable: false,
  act: async ({state}) => ({secrets: await flow.createVictimSecrets(state.defence === 'on')}),
  view: ({secrets}) => (
    <ParameterList
      label="The victim app's values"
      entries={[
        ['state', secrets.state],
        ...(secrets.pkce
          ? ([
              ['code_verifier (kept)', secrets.pkce.verifier],
              ['code_challenge (sent)', secrets.pkce.challenge],
            ] as Array<[string, string]>)
          : []),
      ]}
    />
  ),
});

/** The victim's authorization request, built by the lab's flow module. */
export const victimRequest = labMove<
  LabState & {as: AuthorizationServer; secrets: flow.VictimSecrets},
  {authorizationUrl: string}
>({
  title: 'The victim app builds its authorization request',
  why: 'Look for code_challenge in the parameters: it is there only when PKCE is on. Everything else in the URL is public, and the redirect URI is one the malicious app answers too.',
  action: 'Build the URL',
  arrows: [],
  copyable: false,
  act: async ({state}) => ({authorizationUrl: flow.buildAuthorizationUrl(state.as, state.config, state.secrets).href}),
  view: ({authorizationUrl}) => (
    <ParameterList entries={breakDownUrl(authorizationUrl).parameters} label="Authorization request parameters" />
  ),
});

/**
 * The user signs in, and the redirect meant for the victim app reaches the malicious app, which
 * registered the same scheme (RFC 8252 §8.1). This page plays the device: it takes the response.
 */
export const interceptCode = leavePage<{authorizationUrl: string}, {interceptedUrl: string}>({
  title: 'Sign in; the malicious app catches the redirect',
  why: "You sign in and consent as usual. The server redirects to the app's URI scheme, and the operating system hands the response to the other app that claimed the same scheme. You now play that app: it holds the code.",
  action: 'Go to the authorization server',
  arrows: [
    {from: 'client', to: 'browser', label: 'open /authorize', reply: true},
    {from: 'browser', to: 'as', label: 'GET /authorize'},
    {from: 'as', to: 'browser', label: '302 to the app scheme ?code', reply: true},
    {from: 'browser', to: 'backend', label: 'the malicious app gets ?code'},
  ],
  to: ({state}) => state.authorizationUrl,
  read: (url) => {
    const interceptedUrl = returnedResponse(url, ['code']);
    return interceptedUrl ? {interceptedUrl} : undefined;
  },
  view: ({interceptedUrl}) => (
    <>
      <p>
        The malicious app read these parameters from the redirect. It has the code; it never saw the victim app&apos;s
        memory.
      </p>
      <ParameterList entries={breakDownUrl(interceptedUrl).parameters} label="Intercepted response" />
    </>
  ),
});

/**
 * The attacker redeems the intercepted code with its own token request and, when that works, calls the
 * API with the stolen access token. A refusal is a result of this step, not a failure.
 */
export const redeemInterceptedCode = labMove<
  Configured<flow.LabConfig> & {as: AuthorizationServer; interceptedUrl: string},
  {outcome: flow.StolenCodeOutcome; apiStatus?: number}
>({
  title: 'The malicious app redeems the code',
  why: "The attacker posts the code to the token endpoint with the victim app's client_id, which is public. It has no code_verifier to send. Then, if it got an access token, it calls the calendar API with it.",
  action: 'Redeem the stolen code',
  arrows: [
    {from: 'backend', to: 'as', label: 'POST /token code, no code_verifier'},
    {from: 'as', to: 'backend', label: 'tokens, or 400 invalid_grant', reply: true},
    {from: 'backend', to: 'api', label: 'GET /events with the stolen token'},
  ],
  act: async ({env, state, fetch}) => {
    const config = withFetch(state.config, fetch);
    const outcome = await flow.redeemStolenCode(state.as, config, state.interceptedUrl);
    if (!outcome.redeemed) return {outcome};
    const api = await flow.callApiWithStolenToken(`${env.api.base_url}/events`, outcome.tokens.access_token, config);
    return {outcome, apiStatus: api.status};
  },
  view: ({outcome, apiStatus}, {env}) =>
    outcome.redeemed ? (
      <Verdict kind="accepted" label="Attack succeeded">
        <TokenSummary tokens={outcome.tokens} />
        <p>
          The attack worked: the malicious app holds the victim&apos;s tokens, and the {env.api.name} answered{' '}
          <strong>{apiStatus}</strong> to it.
        </p>
      </Verdict>
    ) : (
      <Verdict kind="refused" label="Attack refused">
        <p>
          The token endpoint refused the stolen code with HTTP {outcome.status}: <code>{outcome.error}</code>
        </p>
        {outcome.error_description && <p>{outcome.error_description}</p>}
        <p>
          The code was bound to a challenge whose verifier never left the victim app, so the code is worthless to anyone
          else.
        </p>
      </Verdict>
    ),
});
