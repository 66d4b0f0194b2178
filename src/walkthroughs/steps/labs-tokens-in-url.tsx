/**
 * Step kinds of the tokens-in-the-URL lab: the app signs in with `response_type=token` or with the code
 * flow and PKCE, and a third-party script on the page then reads the address the page was loaded at.
 */
import React from 'react';
import {ParameterList} from '@site/src/components/HttpExchange';
import {breakDownUrl} from '@site/src/components/HttpExchange/exchange';
import type {Step} from '../engine/types';
import {TokenSummary} from './authorization';
import {chooseLabClient, type Defence} from './labs';
import {withFetch, type AuthorizationServer, type Configured, type TokenEndpointResponse, type Transport} from './shared';
import {DemoUsers} from './views';
import styles from './styles.module.css';

type ResponseType = 'token' | 'code';

interface UrlLabConfig {
  clientId: string;
  responseType: ResponseType;
}

interface AppSecrets {
  state: string;
  pkce?: {verifier: string; challenge: string; method: 'S256'};
}

interface AppToken {
  access_token: string;
  token_type: string;
  expires_in?: number;
  scope?: string;
}

type ReaderOutcome =
  | {found: 'access_token'; accessToken: string}
  | {found: 'code'; status: number; error: string; error_description?: string}
  | {found: 'code'; tokens: TokenEndpointResponse}
  | {found: 'nothing'};

/** The lab's flow module, as these steps use it. */
interface TokensInUrlFlow<Config> {
  createAppSecrets: (responseType: ResponseType) => Promise<AppSecrets>;
  buildAuthorizationUrl: (as: AuthorizationServer, config: Config, secrets: AppSecrets) => URL;
  completeSignIn: (as: AuthorizationServer, config: Config & Transport, secrets: AppSecrets, returnedUrl: string) => Promise<AppToken>;
  readerUsesTheAddress: (as: AuthorizationServer, config: Config & Transport, pageAddress: string) => Promise<ReaderOutcome>;
  callApi: (url: string, accessToken: string, config: Config & Transport) => Promise<{status: number; body: unknown}>;
}

/** The switch: the same app registered twice, once for the implicit grant and once for the code flow with PKCE. */
export function chooseResponseType<Config extends UrlLabConfig>(clients: Record<Defence, string>): Step<Configured<Config>, {defence: Defence; config: Config}> {
  return chooseLabClient<Config>({
    defence: 'the code flow',
    clients,
    off: (
      <>
        the app is <code>{clients.off}</code> and asks for <code>response_type=token</code>: the access token comes back in the URL
      </>
    ),
    on: (
      <>
        the app is <code>{clients.on}</code> and asks for <code>response_type=code</code> with PKCE: only a code comes back in the URL
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
}

/** The app's `state`, and its PKCE pair for the code flow. */
export function appSecrets<Config extends UrlLabConfig>(create: (responseType: ResponseType) => Promise<AppSecrets>): Step<Configured<Config>, {secrets: AppSecrets}> {
  return {
    title: 'The app prepares its sign-in',
    why: 'You are the user of a single-page app. It makes a state value either way; for the code flow it also makes a PKCE verifier, which stays in the app, and a challenge, which it sends.',
    action: 'Create the values',
    arrows: [{from: 'client', to: 'client', label: 'state (+ code_verifier for the code flow)'}],
    copyable: false,
    run: async ({state}) => ({secrets: await create(state.config.responseType)}),
    render: ({secrets}) => (
      <ParameterList
        label="The app's values"
        entries={[['state', secrets.state], ...(secrets.pkce ? ([['code_verifier (kept)', secrets.pkce.verifier], ['code_challenge (sent)', secrets.pkce.challenge]] as Array<[string, string]>) : [])]}
      />
    ),
  };
}

/** The app's authorization request. */
export function appRequest<Config extends UrlLabConfig>(
  build: TokensInUrlFlow<Config>['buildAuthorizationUrl'],
): Step<Configured<Config> & {as: AuthorizationServer; secrets: AppSecrets}, {authorizationUrl: string}> {
  return {
    title: 'The app builds its authorization request',
    why: 'Look at response_type: token asks the server to return the access token itself in the redirect; code asks for a one-time code the app redeems in a request of its own.',
    action: 'Build the URL',
    arrows: [],
    copyable: false,
    run: async ({state}) => ({authorizationUrl: build(state.as, state.config, state.secrets).href}),
    render: ({authorizationUrl}) => <ParameterList entries={breakDownUrl(authorizationUrl).parameters} label="Authorization request parameters" />,
  };
}

/** The user signs in; the browser comes back to this page, with the response in its address. */
export function signInAndReturn<Config extends UrlLabConfig>(): Step<Configured<Config> & {authorizationUrl: string}, {returnedUrl: string}> {
  return {
    title: 'Sign in; the browser comes back to this page',
    why: 'You sign in and consent. The server sends the browser back to this page, and whatever it returns is in the address the page loads at: in the fragment for response_type=token, in the query for code.',
    action: 'Go to the authorization server',
    arrows: [
      {from: 'client', to: 'browser', label: 'open /authorize', reply: true},
      {from: 'browser', to: 'as', label: 'GET /authorize'},
      {from: 'as', to: 'browser', label: '303 #access_token=… or ?code=…', reply: true},
      {from: 'browser', to: 'client', label: 'this page, response in its address'},
    ],
    copyable: false,
    before: ({env}) => <DemoUsers users={env.users} then="The lab continues when you come back." />,
    run: ({state, navigate}) => navigate(state.authorizationUrl),
    resume: async (url, {state}) => {
      const parameters = state.config.responseType === 'token' ? new URLSearchParams(url.hash.slice(1)) : url.searchParams;
      if (parameters.has('error')) throw new Error(`The authorization server answered ${parameters.get('error')}: ${parameters.get('error_description') ?? ''}`);
      return parameters.has('access_token') || parameters.has('code') ? {returnedUrl: url.href} : undefined;
    },
    render: ({returnedUrl}) => {
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
  };
}

/** The app checks the response and gets its access token: from the fragment, or by redeeming the code. */
export function appCompletesSignIn<Config extends UrlLabConfig>(
  complete: TokensInUrlFlow<Config>['completeSignIn'],
): Step<Configured<Config> & {as: AuthorizationServer; secrets: AppSecrets; returnedUrl: string}, {token: AppToken}> {
  return {
    title: 'The app checks the response and gets its token',
    why: 'The app compares state and iss with what it expects. With response_type=token the access token is already in the fragment; with the code flow the app posts the code and its verifier to the token endpoint, and the token arrives in the response body.',
    action: 'Finish the sign-in',
    arrows: [
      {from: 'client', to: 'client', label: 'check state and iss'},
      {from: 'client', to: 'as', label: 'code flow: POST /token code + code_verifier'},
      {from: 'as', to: 'client', label: 'tokens in the body', reply: true},
    ],
    run: async ({state, fetch}) => ({token: await complete(state.as, withFetch(state.config, fetch), state.secrets, state.returnedUrl)}),
    render: ({token}, {state}) => (
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
            : 'It travelled in the token response\'s body, to the app that sent the verifier.'}
        </p>
      </>
    ),
  };
}

/**
 * A third-party script on the page reads the address the page was loaded at (what `location.href` held,
 * what history keeps, what a Referer would carry) and uses what it finds.
 */
export function scriptReadsTheAddress<Config extends UrlLabConfig>(
  flow: Pick<TokensInUrlFlow<Config>, 'readerUsesTheAddress' | 'callApi'>,
): Step<Configured<Config> & {as: AuthorizationServer; returnedUrl: string}, {reader: ReaderOutcome; apiStatus?: number}> {
  return {
    title: 'A third-party script on the page reads the address',
    why: 'You now play the attacker: a script the page loads from elsewhere (analytics, an ad, a compromised dependency). Like any script on the page it can read location.href; browser history and Referer headers keep the same address. It takes whatever credential is there and sends it home.',
    action: 'Read the address as the script',
    arrows: [
      {from: 'browser', to: 'browser', label: 'script reads location'},
      {from: 'browser', to: 'api', label: 'GET /events with the token found'},
      {from: 'browser', to: 'as', label: 'or POST /token with the code found'},
    ],
    run: async ({env, state, fetch}) => {
      const config = withFetch(state.config, fetch);
      const reader = await flow.readerUsesTheAddress(state.as, config, state.returnedUrl);
      if (reader.found !== 'access_token') return {reader};
      const api = await flow.callApi(`${env.api.base_url}/events`, reader.accessToken, config);
      return {reader, apiStatus: api.status};
    },
    render: ({reader, apiStatus}, {env}) => {
      if (reader.found === 'access_token') {
        return (
          <div className={styles.accepted} role="note" aria-label="Attack succeeded">
            <p>
              The script found <code>access_token</code> in the fragment and called the {env.api.name} with it: it answered <strong>{apiStatus}</strong>. The
              token is still in this tab&apos;s history and in the address of every copy of this URL.
            </p>
          </div>
        );
      }
      if (reader.found === 'nothing') {
        return (
          <div className={styles.refused} role="note" aria-label="Attack refused">
            <p>The script found no credential in the address.</p>
          </div>
        );
      }
      if ('tokens' in reader) {
        return (
          <div className={styles.accepted} role="note" aria-label="Attack succeeded">
            <TokenSummary tokens={reader.tokens} />
          </div>
        );
      }
      return (
        <div className={styles.refused} role="note" aria-label="Attack refused">
          <p>
            The script found only a code, and the token endpoint refused it with HTTP {reader.status}: <code>{reader.error}</code>
          </p>
          {reader.error_description && <p>{reader.error_description}</p>}
          <p>The app redeemed the code already, and only the app holds the verifier: a code in the URL is worth nothing to whoever reads it.</p>
        </div>
      );
    },
  };
}
