/**
 * The tokens-in-the-URL lab's switch and moves: the app signs in with `response_type=token` or with the
 * code flow and PKCE, and a third-party script on the page then reads the address the page was loaded at.
 */
import React from 'react';
import {ParameterList} from '@site/src/components/HttpExchange';
import {breakDownUrl} from '@site/src/components/HttpExchange/exchange';
import {returnedResponse} from '@site/src/flows/labs/browser-actions';
import * as flow from '@site/src/flows/labs/tokens-in-url';
import {TokenSummary} from './authorization';
import {chooseLabClient, labMove, leavePage, Verdict} from './labs';
import {withFetch, type AuthorizationServer, type Configured} from './shared';
import styles from './styles.module.css';

/** The same app registered twice: once for the implicit grant, once for the code flow with PKCE. */
export const RESPONSE_TYPE_CLIENTS = {off: 'lab-spa-implicit', on: 'lab-spa-code'};

/** The switch: the choice picks the client, and the response type with it. */
export const chooseResponseType = chooseLabClient<flow.LabConfig>({
  defence: 'the code flow',
  clients: RESPONSE_TYPE_CLIENTS,
  off: (
    <>
      the app is <code>{RESPONSE_TYPE_CLIENTS.off}</code> and asks for <code>response_type=token</code>: the access
      token comes back in the URL
    </>
  ),
  on: (
    <>
      the app is <code>{RESPONSE_TYPE_CLIENTS.on}</code> and asks for <code>response_type=code</code> with PKCE: only a
      code comes back in the URL
    </>
  ),
  why: 'Run the lab once with the code flow off and once with it on. The app, the user, the page and the script that reads its address stay the same; only what the authorization server puts in the URL changes.',
  configure: (config, defence) => ({...config, responseType: defence === 'on' ? 'code' : 'token'}),
  describe: (defence, config) => (
    <>
      This run has the code flow <strong>{defence}</strong>: the app signs in as <code>{config.clientId}</code> with{' '}
      <code>response_type={config.responseType}</code>.
    </>
  ),
});

type LabState = Configured<flow.LabConfig>;

/** The app's `state`, and its PKCE pair for the code flow. */
export const appSecrets = labMove<LabState, {secrets: flow.AppSecrets}>({
  title: 'The app prepares its sign-in',
  why: 'You are the user of a single-page app. It makes a state value either way; for the code flow it also makes a PKCE verifier, which stays in the app, and a challenge, which it sends.',
  action: 'Create the values',
  arrows: [{from: 'client', to: 'client', label: 'state (+ code_verifier for the code flow)'}],
  copyable: false,
  act: async ({state}) => ({secrets: await flow.createAppSecrets(state.config.responseType)}),
  view: ({secrets}) => (
    <ParameterList
      label="The app's values"
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

/** The app's authorization request. */
export const appRequest = labMove<
  LabState & {as: AuthorizationServer; secrets: flow.AppSecrets},
  {authorizationUrl: string}
>({
  title: 'The app builds its authorization request',
  why: 'Look at response_type: token asks the server to return the access token itself in the redirect; code asks for a one-time code the app redeems in a request of its own.',
  action: 'Build the URL',
  arrows: [],
  copyable: false,
  act: async ({state}) => ({authorizationUrl: flow.buildAuthorizationUrl(state.as, state.config, state.secrets).href}),
  view: ({authorizationUrl}) => (
    <ParameterList entries={breakDownUrl(authorizationUrl).parameters} label="Authorization request parameters" />
  ),
});

/** The user signs in; the browser comes back to this page, with the response in its address. */
export const signInAndReturn = leavePage<LabState & {authorizationUrl: string}, {returnedUrl: string}>({
  title: 'Sign in; the browser comes back to this page',
  why: 'You sign in and consent. The server sends the browser back to this page, and whatever it returns is in the address the page loads at: in the fragment for response_type=token, in the query for code.',
  action: 'Go to the authorization server',
  arrows: [
    {from: 'client', to: 'browser', label: 'open /authorize', reply: true},
    {from: 'browser', to: 'as', label: 'GET /authorize'},
    {from: 'as', to: 'browser', label: '303 #access_token=… or ?code=…', reply: true},
    {from: 'browser', to: 'client', label: 'this page, response in its address'},
  ],
  to: ({state}) => state.authorizationUrl,
  read: (url, {state}) => {
    const returnedUrl = returnedResponse(url, ['access_token', 'code'], state.config.responseType === 'token');
    return returnedUrl ? {returnedUrl} : undefined;
  },
  view: ({returnedUrl}) => {
    const url = new URL(returnedUrl);
    const inFragment = [...new URLSearchParams(url.hash.slice(1))];
    return (
      <>
        <p>The address the browser came back to:</p>
        <p>
          <code className={styles.wrap}>{returnedUrl}</code>
        </p>
        {url.search && <ParameterList entries={[...url.searchParams]} label="In the query" />}
        {inFragment.length > 0 && <ParameterList entries={inFragment} label="In the fragment" />}
      </>
    );
  },
});

/** The app checks the response and gets its access token: from the fragment, or by redeeming the code. */
export const appCompletesSignIn = labMove<
  LabState & {as: AuthorizationServer; secrets: flow.AppSecrets; returnedUrl: string},
  {token: flow.AppToken}
>({
  title: 'The app checks the response and gets its token',
  why: 'The app compares state and iss with what it expects. With response_type=token the access token is already in the fragment; with the code flow the app posts the code and its verifier to the token endpoint, and the token arrives in the response body.',
  action: 'Finish the sign-in',
  arrows: [
    {from: 'client', to: 'client', label: 'check state and iss'},
    {from: 'client', to: 'as', label: 'code flow: POST /token code + code_verifier'},
    {from: 'as', to: 'client', label: 'tokens in the body', reply: true},
  ],
  act: async ({state, fetch}) => ({
    token: await flow.completeSignIn(state.as, withFetch(state.config, fetch), state.secrets, state.returnedUrl),
  }),
  view: ({token}, {state}) => (
    <>
      <p>
        The app has a <code>{token.token_type}</code> access token valid for {token.expires_in ?? '?'} seconds
        {token.scope ? (
          <>
            , for the scope <code>{token.scope}</code>
          </>
        ) : null}
        .{' '}
        {state.config.responseType === 'token'
          ? 'It made no request for it: the token was in the address, and nothing bound it to this app.'
          : "It travelled in the token response's body, to the app that sent the verifier."}
      </p>
    </>
  ),
});

/**
 * A third-party script on the page reads the address the page was loaded at (what `location.href` held,
 * what history keeps, what a Referer would carry) and uses what it finds.
 */
export const scriptReadsTheAddress = labMove<
  LabState & {as: AuthorizationServer; returnedUrl: string},
  {reader: flow.ReaderOutcome; apiStatus?: number}
>({
  title: 'A third-party script on the page reads the address',
  why: 'You now play the attacker: a script the page loads from elsewhere (analytics, an ad, a compromised dependency). Like any script on the page it can read location.href; browser history and Referer headers keep the same address. It takes whatever credential is there and sends it home.',
  action: 'Read the address as the script',
  arrows: [
    {from: 'browser', to: 'browser', label: 'script reads location'},
    {from: 'browser', to: 'api', label: 'GET /events with the token found'},
    {from: 'browser', to: 'as', label: 'or POST /token with the code found'},
  ],
  act: async ({env, state, fetch}) => {
    const config = withFetch(state.config, fetch);
    const reader = await flow.readerUsesTheAddress(state.as, config, state.returnedUrl);
    if (reader.found !== 'access_token') return {reader};
    const api = await flow.callApi(`${env.api.base_url}/events`, reader.accessToken, config);
    return {reader, apiStatus: api.status};
  },
  view: ({reader, apiStatus}, {env}) => {
    if (reader.found === 'access_token') {
      return (
        <Verdict kind="accepted" label="Attack succeeded">
          <p>
            The script found <code>access_token</code> in the fragment and called the {env.api.name} with it: it
            answered <strong>{apiStatus}</strong>. The token is still in this tab&apos;s history and in the address of
            every copy of this URL.
          </p>
        </Verdict>
      );
    }
    if (reader.found === 'nothing') {
      return (
        <Verdict kind="refused" label="Attack refused">
          <p>The script found no credential in the address.</p>
        </Verdict>
      );
    }
    if ('tokens' in reader) {
      return (
        <Verdict kind="accepted" label="Attack succeeded">
          <TokenSummary tokens={reader.tokens} />
        </Verdict>
      );
    }
    return (
      <Verdict kind="refused" label="Attack refused">
        <p>
          The script found only a code, and the token endpoint refused it with HTTP {reader.status}:{' '}
          <code>{reader.error}</code>
        </p>
        {reader.error_description && <p>{reader.error_description}</p>}
        <p>
          The app redeemed the code already, and only the app holds the verifier: a code in the URL is worth nothing to
          whoever reads it.
        </p>
      </Verdict>
    );
  },
});
