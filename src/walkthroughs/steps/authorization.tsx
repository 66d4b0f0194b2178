/** Step kinds of the authorization code flow: PKCE values, the request, the sign-in and the code exchange. */
import React from 'react';
import {ParameterList} from '@site/src/components/HttpExchange';
import {breakDownUrl} from '@site/src/components/HttpExchange/exchange';
import type {Step, WalkthroughEnv} from '../engine/types';
import {
  withFetch,
  type AuthorizationSecrets,
  type AuthorizationServer,
  type Configured,
  type TokenEndpointResponse,
  type Transport,
} from './shared';
import {DemoUsers, ValueList} from './views';
import styles from './styles.module.css';

const SECRET_WHYS: Record<string, string> = {
  code_verifier: 'Kept in this tab only; sent once, to the token endpoint, to prove this tab started the flow.',
  code_challenge: 'BASE64URL(SHA-256(code_verifier)): safe to put in the URL, useless without the verifier.',
  code_challenge_method: 'S256 tells the server how to check the verifier; "plain" would leak it.',
  state: 'Must come back unchanged, so a response this tab did not ask for is rejected.',
  nonce: 'Must come back inside the ID token, so a replayed ID token is rejected.',
};

function SecretsView({secrets}: {secrets: AuthorizationSecrets}) {
  return (
    <ValueList
      label="Generated values"
      values={[
        ['code_verifier', secrets.pkce.verifier, SECRET_WHYS.code_verifier],
        ['code_challenge', secrets.pkce.challenge, SECRET_WHYS.code_challenge],
        ['code_challenge_method', secrets.pkce.method, SECRET_WHYS.code_challenge_method],
        ['state', secrets.state, SECRET_WHYS.state],
        ['nonce', secrets.nonce, SECRET_WHYS.nonce],
      ]}
    />
  );
}

/** Creates the PKCE pair, `state` and `nonce` with the flow module's own function. */
export function createSecrets(
  create: () => Promise<AuthorizationSecrets>,
): Step<object, {secrets: AuthorizationSecrets}> {
  return {
    title: 'Create the PKCE pair, state and nonce',
    why: 'Before leaving for the authorization server, the app makes three random values for this one sign-in: a PKCE verifier that binds the code to this tab, state against forged responses, and nonce against replayed ID tokens.',
    action: 'Create PKCE values',
    arrows: [{from: 'client', to: 'client', label: 'create code_verifier, state, nonce'}],
    copyable: false,
    run: async () => ({secrets: await create()}),
    render: ({secrets}) => <SecretsView secrets={secrets} />,
  };
}

/** Fetches and validates the authorization server's metadata (OpenID Connect Discovery 1.0 §4, RFC 8414 §3). */
export function discover<Config>(
  discoverServer: (config: Config & Transport) => Promise<AuthorizationServer>,
  options: {why?: string; endpoints?: Array<keyof AuthorizationServer & string>} = {},
): Step<Configured<Config>, {as: AuthorizationServer}> {
  const {endpoints = ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri']} = options;
  return {
    title: 'Discover the authorization server',
    why:
      options.why ??
      "The app reads the server's endpoints and capabilities from its discovery document instead of hard-coding them, and checks that the document names the issuer it asked for.",
    action: 'Fetch the discovery document',
    arrows: [
      {from: 'client', to: 'as', label: 'GET discovery metadata'},
      {from: 'as', to: 'client', label: 'endpoints, keys URL', reply: true},
    ],
    run: async ({state, fetch}) => ({as: await discoverServer(withFetch(state.config, fetch))}),
    render: ({as}) => (
      <ParameterList
        label="Endpoints from discovery"
        entries={endpoints.flatMap((name) => {
          const value = as[name];
          return typeof value === 'string' ? [[name, value] as [string, string]] : [];
        })}
      />
    ),
  };
}

/** Builds the URL of the authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3, RFC 8707 §2). */
export function authorizationRequest<Config>(
  build: (as: AuthorizationServer, config: Config, secrets: AuthorizationSecrets) => URL,
  options: {why?: string} = {},
): Step<Configured<Config> & {as: AuthorizationServer; secrets: AuthorizationSecrets}, {authorizationUrl: string}> {
  return {
    title: 'Build the authorization request',
    why:
      options.why ??
      'The app puts its request in the URL the browser will visit: who it is, where to come back, what it asks for. Only the PKCE challenge travels; the verifier stays here.',
    action: 'Build the URL',
    arrows: [],
    copyable: false,
    run: async ({state}) => ({authorizationUrl: build(state.as, state.config, state.secrets).href}),
    render: ({authorizationUrl}) => <RequestView authorizationUrl={authorizationUrl} />,
  };
}

function RequestView({authorizationUrl}: {authorizationUrl: string}) {
  const {address, parameters} = breakDownUrl(authorizationUrl);
  return (
    <>
      <p>
        The browser will go to <code className={styles.wrap}>{address}</code> with these query parameters:
      </p>
      <ParameterList entries={parameters} label="Authorization request parameters" />
    </>
  );
}

/**
 * Starts another authorization with the flow module's own function: fresh PKCE, state and nonce
 * (never reused across requests, RFC 7636 §4.1, RFC 6749 §10.12), and the URL. With `reconfigure`,
 * the round asks for something else first, e.g. another API (RFC 8707 §2) and its scopes.
 */
export function authorizeAgain<Config>(
  begin: (as: AuthorizationServer, config: Config) => Promise<AuthorizationSecrets & {url: URL}>,
  options: {title: string; why: string; reconfigure?: (env: WalkthroughEnv, config: Config) => Config},
): Step<
  Configured<Config> & {as: AuthorizationServer},
  {config: Config; secrets: AuthorizationSecrets; authorizationUrl: string}
> {
  return {
    title: options.title,
    why: options.why,
    action: 'Start a new authorization',
    arrows: [{from: 'client', to: 'client', label: 'new code_verifier, state, nonce; URL'}],
    copyable: false,
    run: async ({env, state}) => {
      const config = options.reconfigure ? options.reconfigure(env, state.config) : state.config;
      const {url, pkce, state: requestState, nonce} = await begin(state.as, config);
      return {config, secrets: {pkce, state: requestState, nonce}, authorizationUrl: url.href};
    },
    render: ({authorizationUrl}) => (
      <>
        <p>Fresh PKCE values, state and nonce belong to this request only; the earlier ones are spent.</p>
        <RequestView authorizationUrl={authorizationUrl} />
      </>
    ),
  };
}

/**
 * Sends the browser to the authorization server and, when it comes back to this page, validates the
 * response with the flow module: `state` (RFC 6749 §10.12), `iss` (RFC 9207 §2.4), no `error`.
 */
export function signIn<Config>(
  validate: (
    as: AuthorizationServer,
    config: Config,
    currentUrl: URL | string,
    expectedState: string,
  ) => URLSearchParams,
  options: {
    title?: string;
    why?: string;
    /**
     * The user signed in earlier in this walkthrough: the server's session spares the login page
     * (single sign-on), so the note says what to expect instead of listing the demo users.
     */
    singleSignOn?: boolean;
  } = {},
): Step<
  Configured<Config> & {as: AuthorizationServer; secrets: AuthorizationSecrets; authorizationUrl: string},
  {callbackUrl: string}
> {
  const {singleSignOn = false} = options;
  return {
    title:
      options.title ??
      (singleSignOn
        ? 'Back to the authorization server: no login this time'
        : 'Sign in and consent at the authorization server'),
    why:
      options.why ??
      (singleSignOn
        ? 'The browser still has a session at the authorization server, so the server knows the user without a password. It asks only for consent to what the user has not approved yet, then sends the browser back with a code.'
        : 'The user authenticates with the authorization server, never with the app, and approves what the app asked for. The server sends the browser back to this page, where the app checks the response before using it.'),
    action: 'Go to the authorization server',
    arrows: [
      {from: 'client', to: 'browser', label: 'redirect to /authorize', reply: true},
      {from: 'browser', to: 'as', label: 'GET /authorize + code_challenge'},
      {
        from: 'as',
        to: 'browser',
        label: singleSignOn ? 'session: no login; consent if new' : 'sign-in and consent pages',
        reply: true,
      },
      {from: 'as', to: 'browser', label: '302 to redirect_uri ?code&state&iss', reply: true},
      {from: 'browser', to: 'client', label: 'this page ?code&state&iss'},
      {from: 'client', to: 'client', label: 'check state and iss'},
    ],
    copyable: false,
    before: ({env}) =>
      env.provider ? (
        <p className={styles.note}>
          You sign in at <code className={styles.wrap}>{new URL(env.issuer).host}</code> with an account of your own
          there; this page never sees the password. The walkthrough continues when you come back.
        </p>
      ) : singleSignOn ? (
        <p className={styles.note}>
          You signed in a moment ago, and the authorization server remembers it. Expect no login page: only the consent
          page for what is new, or straight back here if there is nothing new to approve.
        </p>
      ) : (
        <DemoUsers users={env.users} then="The walkthrough continues when you come back." />
      ),
    run: ({state, navigate}) => navigate(state.authorizationUrl),
    resume: async (url, {state}) => {
      // RFC 6749 §4.1.2 and §4.1.2.1: a code or an error comes back in the query, with state.
      if (!url.searchParams.has('state') && !url.searchParams.has('error')) return undefined;
      validate(state.as, state.config, url, state.secrets.state);
      return {callbackUrl: url.href};
    },
    render: ({callbackUrl}, {env}) => (
      <>
        <p>
          The browser came back to this page with these parameters (now removed from the address bar), and the app
          checked them:
        </p>
        <ul className={styles.checklist}>
          <li>
            <code>state</code> matches the value this tab created (RFC 6749 §10.12).
          </li>
          <li>
            {new URL(callbackUrl).searchParams.has('iss') ? (
              <>
                <code>iss</code> equals <code>{env.issuer}</code> (RFC 9207 §2.4).
              </>
            ) : (
              <>
                No <code>iss</code>: this server&apos;s metadata does not announce it (RFC 9207 §3), so the app relies
                on having sent the request to <code>{env.issuer}</code> alone.
              </>
            )}
          </li>
          <li>
            No <code>error</code> parameter:{' '}
            {singleSignOn
              ? 'the server recognized the user by their session, and the consent holds'
              : 'the user signed in and consented'}
            .
          </li>
        </ul>
        <ParameterList entries={breakDownUrl(callbackUrl).parameters} label="Callback parameters" />
      </>
    ),
  };
}

/** What the code exchange needs of a flow module. */
interface CodeFlow<Config> {
  validateCallback: (
    as: AuthorizationServer,
    config: Config,
    currentUrl: URL | string,
    expectedState: string,
  ) => URLSearchParams;
  exchangeCode: (
    as: AuthorizationServer,
    config: Config & Transport,
    callbackParameters: URLSearchParams,
    secrets: AuthorizationSecrets,
  ) => Promise<TokenEndpointResponse>;
}

/** Redeems the code with the verifier at the token endpoint (RFC 6749 §4.1.3, RFC 7636 §4.5). */
export function exchangeCode<Config>(
  flow: CodeFlow<Config>,
): Step<
  Configured<Config> & {as: AuthorizationServer; secrets: AuthorizationSecrets; callbackUrl: string},
  {tokens: TokenEndpointResponse}
> {
  return {
    title: 'Exchange the code for tokens',
    why: 'The app posts the code with the code_verifier straight to the token endpoint. The server hashes the verifier and compares it with the challenge it stored with the code; the tokens come back in the response body, never in a URL.',
    action: 'Exchange the code',
    arrows: [
      {from: 'client', to: 'as', label: 'POST /token code + code_verifier'},
      {from: 'as', to: 'client', label: 'access, ID and refresh tokens', reply: true},
    ],
    run: async ({state, fetch}) => {
      // oauth4webapi only redeems parameters it validated itself, so the saved response is validated again (cheap).
      const parameters = flow.validateCallback(state.as, state.config, state.callbackUrl, state.secrets.state);
      return {tokens: await flow.exchangeCode(state.as, withFetch(state.config, fetch), parameters, state.secrets)};
    },
    render: ({tokens}) => <TokenSummary tokens={tokens} />,
  };
}

/** One sentence about a token response (RFC 6749 §5.1). */
export function TokenSummary({tokens}: {tokens: TokenEndpointResponse}) {
  return (
    <p>
      Got a <code>{tokens.token_type}</code> access token valid for {tokens.expires_in ?? '?'} seconds
      {tokens.id_token ? ', an ID token' : ''}
      {tokens.refresh_token ? ' and a refresh token' : ''}
      {tokens.scope ? (
        <>
          , for the scope <code>{tokens.scope}</code>
        </>
      ) : null}
      . The request and the response follow.
    </p>
  );
}
