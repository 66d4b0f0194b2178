import React from 'react';
import type {AuthorizationServer, TokenEndpointResponse} from 'oauth4webapi';
import type {JSONWebKeySet} from 'jose';
import {
  buildAuthorizationUrl,
  callApi,
  completeAuthorization,
  createAuthorizationSecrets,
  discover,
  refresh,
  validateCallback,
  type ApiResponse,
  type AuthorizationSecrets,
} from '@site/src/flows/authorization-code-pkce';
import {ParameterList} from '../HttpExchange';
import {breakDownUrl} from '../HttpExchange/exchange';
import TokenInspector from '../TokenInspector';
import type {StepContext, StepDefinition} from '../Walkthrough';
import {describeError} from '../Walkthrough/errors';
import type {PkceEnvironment} from './environment';
import styles from './styles.module.css';

type Context = StepContext<PkceEnvironment>;

interface AuthorizationUrlResult {
  as: AuthorizationServer;
  url: string;
}
interface SignInResult {
  callbackUrl: string;
}
interface CallbackResult {
  parameters: Array<[string, string]>;
}
interface ExchangeResult {
  tokens: TokenEndpointResponse;
}
interface InspectResult {
  jwks: JSONWebKeySet;
}
type ReuseOutcome = {refused: true; status?: number; error?: string; error_description?: string} | {refused: false};
interface RefreshResult {
  previousRefreshToken: string;
  refreshed: TokenEndpointResponse;
  reuse: ReuseOutcome;
}

/** A step's own result, read back from the results of earlier steps. */
function resultOf<T>(results: Readonly<Record<string, unknown>>, stepId: string): T {
  const result = results[stepId];
  if (result === undefined) throw new Error(`Step "${stepId}" has not run yet; start over to run the steps in order.`);
  return result as T;
}

function configFor(context: Context) {
  return {...context.env.config, fetch: context.fetch};
}

function shorten(token: string): string {
  return token.length > 24 ? `${token.slice(0, 12)}…${token.slice(-8)}` : token;
}

const SECRET_WHYS: Record<string, string> = {
  code_verifier: 'Kept in this tab only; sent once, to the token endpoint, to prove this tab started the flow.',
  code_challenge: 'BASE64URL(SHA-256(code_verifier)): safe to put in the URL, useless without the verifier.',
  code_challenge_method: 'S256 tells the server how to check the verifier; "plain" would leak it.',
  state: 'Must come back unchanged, so a response this tab did not ask for is rejected.',
  nonce: 'Must come back inside the ID token, so a replayed ID token is rejected.',
};

function SecretsView({secrets}: {secrets: AuthorizationSecrets}) {
  const values: Array<[string, string]> = [
    ['code_verifier', secrets.pkce.verifier],
    ['code_challenge', secrets.pkce.challenge],
    ['code_challenge_method', secrets.pkce.method],
    ['state', secrets.state],
    ['nonce', secrets.nonce],
  ];
  return (
    <dl className={styles.values} aria-label="Generated values">
      {values.map(([name, value]) => (
        <div key={name} className={styles.value}>
          <dt>
            <code>{name}</code>
          </dt>
          <dd>
            <code className={styles.wrap}>{value}</code>
            <span className={styles.valueWhy}>{SECRET_WHYS[name]}</span>
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** The steps of the Authorization Code flow with PKCE, each calling the flow module. */
export const pkceSteps: ReadonlyArray<StepDefinition<PkceEnvironment>> = [
  {
    id: 'secrets',
    title: 'Create the PKCE pair, state and nonce',
    why: 'A single-page app cannot keep a client secret, so it makes a one-time secret for this sign-in instead, plus two random values that protect the response.',
    actionLabel: 'Create PKCE values',
    run: () => createAuthorizationSecrets(),
    render: (secrets: AuthorizationSecrets) => <SecretsView secrets={secrets} />,
  },
  {
    id: 'authorization-url',
    title: 'Build the authorization request',
    why: 'The app reads the server\'s endpoints from its discovery document, then puts the request in the URL the browser will visit. Only the challenge travels; the verifier stays here.',
    actionLabel: 'Discover and build the URL',
    run: async (context): Promise<AuthorizationUrlResult> => {
      const secrets = resultOf<AuthorizationSecrets>(context.results, 'secrets');
      const config = configFor(context);
      const as = await discover(config);
      return {as, url: buildAuthorizationUrl(as, config, secrets).href};
    },
    render: ({url}: AuthorizationUrlResult) => {
      const {address, parameters} = breakDownUrl(url);
      return (
        <>
          <p>
            The browser will go to <code className={styles.wrap}>{address}</code> with these query parameters:
          </p>
          <ParameterList entries={parameters} label="Authorization request parameters" />
        </>
      );
    },
  },
  {
    id: 'sign-in',
    title: 'Sign in and consent at the authorization server',
    why: 'The user authenticates with the authorization server, never with the app, and approves what the app asked for. The server then sends the browser back to this page.',
    actionLabel: 'Go to the authorization server',
    copyable: false,
    before: (env) => (
      <p className={styles.note}>
        Sign in as one of the demo users:{' '}
        {env.users.map((user, index) => (
          <React.Fragment key={user.username}>
            {index > 0 && ' or '}
            <code>{user.username}</code> / <code>{user.password}</code>
          </React.Fragment>
        ))}
        . The walkthrough continues when you come back.
      </p>
    ),
    run: (context) => context.navigate(resultOf<AuthorizationUrlResult>(context.results, 'authorization-url').url),
    resume: (url) => {
      // RFC 6749 §4.1.2 and §4.1.2.1: a code or an error comes back in the query, with state.
      if (!url.searchParams.has('state') || !(url.searchParams.has('code') || url.searchParams.has('error'))) return undefined;
      return {result: {callbackUrl: url.href} satisfies SignInResult, cleanUrl: `${url.origin}${url.pathname}${url.hash}`};
    },
    render: ({callbackUrl}: SignInResult) => (
      <>
        <p>The browser came back to this page with these parameters (now removed from the address bar):</p>
        <ParameterList entries={breakDownUrl(callbackUrl).parameters} label="Callback parameters" />
      </>
    ),
  },
  {
    id: 'callback',
    title: 'Validate the authorization response',
    why: 'Before using the code, the app checks that the response answers its own request (state) and comes from the server it sent the user to (iss), and that it is not an error.',
    actionLabel: 'Validate the response',
    run: async (context): Promise<CallbackResult> => {
      const {as} = resultOf<AuthorizationUrlResult>(context.results, 'authorization-url');
      const {state} = resultOf<AuthorizationSecrets>(context.results, 'secrets');
      const {callbackUrl} = resultOf<SignInResult>(context.results, 'sign-in');
      const parameters = validateCallback(as, configFor(context), callbackUrl, state);
      return {parameters: [...parameters.entries()]};
    },
    render: ({parameters}: CallbackResult, env) => (
      <>
        <ul className={styles.checklist}>
          <li>
            <code>state</code> matches the value this tab created (RFC 6749 §10.12).
          </li>
          <li>
            <code>iss</code> equals <code>{env.issuer}</code> (RFC 9207 §2.4).
          </li>
          <li>No <code>error</code> parameter: the user signed in and consented.</li>
        </ul>
        <ParameterList entries={parameters} label="Validated parameters" />
      </>
    ),
  },
  {
    id: 'exchange',
    title: 'Exchange the code for tokens',
    why: 'The app posts the code with the code_verifier directly to the token endpoint. The server hashes the verifier and compares it with the challenge it stored with the code.',
    actionLabel: 'Exchange the code',
    run: async (context): Promise<ExchangeResult> => {
      const {as} = resultOf<AuthorizationUrlResult>(context.results, 'authorization-url');
      const secrets = resultOf<AuthorizationSecrets>(context.results, 'secrets');
      const {callbackUrl} = resultOf<SignInResult>(context.results, 'sign-in');
      resultOf<CallbackResult>(context.results, 'callback');
      // completeAuthorization validates the response again (cheap, and oauth4webapi only
      // redeems parameters it validated itself), then exchanges the code.
      const tokens = await completeAuthorization(as, configFor(context), callbackUrl, secrets);
      return {tokens};
    },
    render: ({tokens}: ExchangeResult) => (
      <p>
        Got a <code>{tokens.token_type}</code> access token valid for {tokens.expires_in ?? '?'} seconds
        {tokens.id_token ? ', an ID token' : ''}
        {tokens.refresh_token ? ' and a refresh token' : ''}, for the scope <code>{tokens.scope ?? '(as requested)'}</code>. The
        request and the response follow.
      </p>
    ),
  },
  {
    id: 'inspect',
    title: 'Inspect the tokens',
    why: 'The app verifies the ID token before trusting who signed in: the signature with the server\'s published keys, then the claims. The access token is for the API; reading it here is for learning.',
    actionLabel: 'Fetch the keys and inspect',
    run: async (context): Promise<InspectResult> => {
      const {as} = resultOf<AuthorizationUrlResult>(context.results, 'authorization-url');
      if (!as.jwks_uri) throw new Error('The server metadata has no jwks_uri.');
      const response = await context.fetch(as.jwks_uri, {method: 'GET', headers: {accept: 'application/json'}});
      if (!response.ok) throw new Error(`The JWKS endpoint answered ${response.status}.`);
      return {jwks: (await response.json()) as JSONWebKeySet};
    },
    render: ({jwks}: InspectResult, env, results) => {
      const {tokens} = resultOf<ExchangeResult>(results, 'exchange');
      const {nonce} = resultOf<AuthorizationSecrets>(results, 'secrets');
      return (
        <>
          {tokens.id_token && (
            <TokenInspector
              label="ID token"
              kind="id_token"
              token={tokens.id_token}
              jwks={jwks}
              expectations={{issuer: env.issuer, audience: env.client.client_id, clientId: env.client.client_id, nonce, accessToken: tokens.access_token}}
            />
          )}
          <TokenInspector
            label="Access token"
            kind="access_token"
            token={tokens.access_token}
            jwks={jwks}
            expectations={{issuer: env.issuer, audience: env.api.identifier, clientId: env.client.client_id}}
          />
          {tokens.refresh_token && (
            <TokenInspector label="Refresh token" kind="refresh_token" token={tokens.refresh_token} expectations={{issuer: env.issuer}} />
          )}
        </>
      );
    },
  },
  {
    id: 'api',
    title: 'Call the calendar API',
    why: 'The app sends the access token as a bearer token. The API checks the signature, issuer, audience, expiry and scope before answering.',
    actionLabel: 'Call GET /events',
    run: async (context): Promise<ApiResponse> => {
      const {tokens} = resultOf<ExchangeResult>(context.results, 'exchange');
      return callApi(`${context.env.api.base_url}/events`, tokens.access_token, configFor(context));
    },
    render: ({status, body}: ApiResponse, env) => {
      const events = (body as {events?: unknown[]} | undefined)?.events;
      return (
        <p>
          {env.api.name} answered <strong>{status}</strong>
          {Array.isArray(events) ? ` with ${events.length} events` : ''}.
        </p>
      );
    },
  },
  {
    id: 'refresh',
    title: 'Refresh the access token, then reuse the old refresh token',
    why: 'Access tokens are short-lived; the refresh token gets new ones without the user. A single-page app\'s refresh token rotates: each use returns a new one and retires the old, so a stolen copy stops working.',
    actionLabel: 'Refresh, then reuse the old one',
    run: async (context): Promise<RefreshResult> => {
      const {as} = resultOf<AuthorizationUrlResult>(context.results, 'authorization-url');
      const {tokens} = resultOf<ExchangeResult>(context.results, 'exchange');
      if (!tokens.refresh_token) throw new Error('The token response had no refresh token (was offline_access granted?).');
      const config = configFor(context);
      const refreshed = await refresh(as, config, tokens.refresh_token);
      let reuse: ReuseOutcome;
      try {
        await refresh(as, config, tokens.refresh_token);
        reuse = {refused: false};
      } catch (error) {
        const described = describeError(error);
        // Only an OAuth error answer counts as a refusal; anything else is a real failure.
        if (!described.error) throw error;
        reuse = {refused: true, status: described.status, error: described.error, error_description: described.errorDescription};
      }
      return {previousRefreshToken: tokens.refresh_token, refreshed, reuse};
    },
    render: ({previousRefreshToken, refreshed, reuse}: RefreshResult) => (
      <>
        <p>
          The first request returned a new access token
          {refreshed.refresh_token ? (
            <>
              {' '}
              and a new refresh token: <code>{shorten(previousRefreshToken)}</code> became <code>{shorten(refreshed.refresh_token)}</code>
            </>
          ) : (
            ' but no new refresh token: this server does not rotate'
          )}
          .
        </p>
        {reuse.refused ? (
          <div className={styles.refused} role="note" aria-label="Reused refresh token">
            <p>
              Reusing the old refresh token was refused with HTTP {reuse.status ?? '?'}: <code>{reuse.error}</code>
            </p>
            {reuse.error_description && <p>{reuse.error_description}</p>}
          </div>
        ) : (
          <p className={styles.accepted}>The old refresh token was accepted again: this server does not rotate refresh tokens.</p>
        )}
      </>
    ),
  },
];
