/**
 * Step kinds for apps whose protocol work runs on a server (src/flows/authorization-code.ts and
 * src/flows/implicit-form-post.ts, mounted beside the sandbox): the page starts the sign-in at the
 * app, then asks the app what crossed the browser and what its server did.
 */
import React, {type ReactNode} from 'react';
import type {JSONWebKeySet} from 'jose';
import HttpExchange, {ParameterList} from '@site/src/components/HttpExchange';
import {breakDownUrl} from '@site/src/components/HttpExchange/exchange';
import TokenInspector from '@site/src/components/TokenInspector';
import type {BackChannelReport, HeldSession} from '@site/src/flows/web-app-support';
import type {FetchFunction} from '@site/src/lib/http-exchange';
import type {Step, WalkthroughEnv} from '../engine/types';
import {DemoUsers} from './views';
import styles from './styles.module.css';

/** Where a demo app is served: its URL is derived from the issuer, like its registered redirect URI. */
export type AppUrl = (env: WalkthroughEnv) => string;

const TOKEN_PARAMETERS = new Set(['access_token', 'id_token', 'refresh_token']);

/** An error the app reported, with its OAuth code when it starts with one ("access_denied: ..."). */
class AppReportedError extends Error {
  readonly error?: string;
  readonly error_description?: string;
  constructor(failure: string) {
    super(`The app reported: ${failure}`);
    const match = /^([a-z_]+): ?(.*)$/.exec(failure);
    if (match) {
      this.error = match[1];
      this.error_description = match[2];
    }
  }
}

async function readReport(fetch: FetchFunction, appUrl: string): Promise<BackChannelReport> {
  const response = await fetch(`${appUrl}/back-channel`, {
    method: 'GET',
    headers: {accept: 'application/json'},
    credentials: 'same-origin',
  });
  if (!response.ok) throw new Error(`The app answered ${response.status} for its back-channel report.`);
  return (await response.json()) as BackChannelReport;
}

function SessionView({session}: {session: HeldSession | null}): ReactNode {
  if (!session) return <p>The app&apos;s server holds no session for this browser: nobody is signed in.</p>;
  const {idTokenClaims: claims, accessToken} = session;
  return (
    <ul>
      <li>
        A session for <strong>{String(claims.name ?? claims.sub)}</strong> (<code>sub</code> {String(claims.sub)}), from
        a verified ID token.
      </li>
      <li>
        {accessToken ? (
          <>
            An access token
            {accessToken.audience ? (
              <>
                {' '}
                for <code>{accessToken.audience}</code>
              </>
            ) : null}
            {accessToken.scope ? (
              <>
                {' '}
                with scope <code>{accessToken.scope}</code>
              </>
            ) : null}
            , kept on the server.
          </>
        ) : (
          'No access token: only an ID token was asked for.'
        )}
      </li>
      <li>{session.refreshToken ? 'A refresh token, kept on the server.' : 'No refresh token.'}</li>
    </ul>
  );
}

/** Reads who the app's server has signed in for this browser, before anything happens. */
export function appSession(app: {name: string; url: AppUrl}): Step<object, {before: HeldSession | null}> {
  return {
    title: `Ask ${app.name} who is signed in`,
    why: 'The app keeps its own session for this browser on its server. Before signing in, it holds nothing for you, or a session from an earlier run.',
    action: 'Ask the app',
    arrows: [
      {from: 'browser', to: 'backend', label: 'GET the app (its session)'},
      {from: 'backend', to: 'browser', label: 'who is signed in', reply: true},
    ],
    copyable: false,
    run: async ({env, fetch}) => ({before: (await readReport(fetch, app.url(env))).session}),
    render: ({before}) => <SessionView session={before} />,
  };
}

/**
 * Sends the browser to the app's sign-in; the app redirects it to the authorization server and,
 * after its callback, back to this page (`return_to`, accepted only for the app's own guide page).
 */
export function signInThroughApp(app: {
  name: string;
  url: AppUrl;
  why: string;
  arrows: Step<object, object>['arrows'];
}): Step<object, {report: BackChannelReport}> {
  return {
    title: `Sign in through ${app.name}`,
    why: app.why,
    action: `Sign in to ${app.name}`,
    arrows: app.arrows,
    copyable: false,
    before: ({env}) => <DemoUsers users={env.users} then="The app sends you back here when it is done." />,
    run: ({env, navigate}) => navigate(`${app.url(env)}/login?return_to=${encodeURIComponent(env.pageUrl)}`),
    resume: async (_url, {env}) => {
      const report = await readReport((url, init) => fetch(url, init), app.url(env));
      if (report.failure) throw new AppReportedError(report.failure);
      // No answer yet: the reader came back some other way (the Back button); the step stays open.
      return report.frontChannel?.response && report.session ? {report} : undefined;
    },
    render: ({report}) => <SessionView session={report.session} />,
  };
}

function FrontChannelView({report}: {report: BackChannelReport}): ReactNode {
  const front = report.frontChannel;
  if (!front) return <p>Nothing crossed the browser yet.</p>;
  const {address, parameters} = breakDownUrl(front.authorizationRequest);
  const carried = front.response?.parameters ?? [];
  const tokens = carried.filter(([name]) => TOKEN_PARAMETERS.has(name)).map(([name]) => name);
  return (
    <>
      <p>
        The browser went to <code className={styles.wrap}>{address}</code> with:
      </p>
      <ParameterList entries={parameters} label="Authorization request parameters" />
      <p>
        It carried the answer back to the app&apos;s redirect URI{' '}
        {front.response?.method === 'POST' ? 'in an auto-submitted form (POST)' : 'in the query of a GET'}:
      </p>
      <ParameterList entries={carried} label="Authorization response parameters" />
      <p className={styles.checkline}>
        {tokens.length === 0
          ? 'No token crossed the browser: only a short-lived, single-use code, redeemed by the server with its secret.'
          : `Crossed the browser: ${tokens.join(', ')}. The server validated it before trusting it.`}
      </p>
    </>
  );
}

/** Shows, from the app's own report, what crossed the browser and what its server said to the authorization server. */
export function showChannels(
  options: {inspectIdToken?: boolean} = {},
): Step<{report: BackChannelReport}, {report: BackChannelReport; jwks?: JSONWebKeySet}> {
  return {
    title: 'See the front channel and the back channel',
    why: "The front channel is what passes through the browser, where extensions, history and logs can see it. The back channel is the server talking to the authorization server directly. The app reports both for this browser's latest sign-in.",
    action: 'Show both channels',
    arrows: [],
    copyable: false,
    run: async ({env, state, fetch}) => {
      const jwks = options.inspectIdToken
        ? ((await (await fetch(`${env.issuer}/jwks`, {method: 'GET'})).json()) as JSONWebKeySet)
        : undefined;
      return {report: state.report, ...(jwks ? {jwks} : {})};
    },
    render: ({report, jwks}, {env}) => {
      const idToken = report.frontChannel?.response?.parameters.find(([name]) => name === 'id_token')?.[1];
      return (
        <div className={styles.channels}>
          <section aria-label="Front channel">
            <h4>Front channel: what the browser carried</h4>
            <FrontChannelView report={report} />
            {jwks && idToken && (
              <TokenInspector
                label="Posted ID token"
                kind="id_token"
                token={idToken}
                jwks={jwks}
                expectations={{issuer: env.issuer, audience: env.client.client_id, clientId: env.client.client_id}}
              />
            )}
          </section>
          <section aria-label="Back channel">
            <h4>Back channel: what the app&apos;s server did</h4>
            {report.exchanges.length === 0 ? <p>No requests.</p> : null}
            {report.exchanges.map((exchange, index) => (
              <HttpExchange
                key={index}
                exchange={exchange}
                title={`Server exchange ${index + 1} of ${report.exchanges.length}: ${exchange.request.method} ${new URL(exchange.request.url).pathname}`}
              />
            ))}
            <p>What the server holds now:</p>
            <SessionView session={report.session} />
          </section>
        </div>
      );
    },
  };
}

/** The app's own API page: its server calls the API with the token it holds (RFC 6750 §2.1); the browser gets the data. */
export function serverCallsApi(app: {
  url: AppUrl;
  path: string;
}): Step<
  object,
  {apiAnswer: {status: number; body?: unknown; error?: string}; serverCall?: BackChannelReport['exchanges'][number]}
> {
  return {
    title: `Have the app's server call the API: GET ${app.path}`,
    why: "The browser asks the app for a page that needs the calendar. The app's server sends its access token to the API and gives the browser only the data.",
    action: "Open the app's calendar page",
    arrows: [
      {from: 'browser', to: 'backend', label: "GET the app's calendar page"},
      {from: 'backend', to: 'api', label: `GET ${app.path}, Bearer token`},
      {from: 'api', to: 'backend', label: '200 and the events', reply: true},
      {from: 'backend', to: 'browser', label: 'the events, no token', reply: true},
    ],
    run: async ({env, fetch}) => {
      const response = await fetch(`${app.url(env)}/api${app.path}`, {
        method: 'GET',
        headers: {accept: 'application/json'},
      });
      const apiAnswer = (await response.json()) as {status: number; body?: unknown; error?: string};
      if (apiAnswer.error)
        throw new Error(`The app's server could not call the API (HTTP ${apiAnswer.status}): ${apiAnswer.error}`);
      const report = await readReport((url, init) => globalThis.fetch(url, init), app.url(env));
      const serverCall = report.exchanges.at(-1);
      return {apiAnswer, ...(serverCall ? {serverCall} : {})};
    },
    render: ({apiAnswer, serverCall}) => (
      <>
        <p>
          The calendar API answered the app&apos;s server <strong>{apiAnswer.status}</strong>; the browser got the data
          and nothing else.
        </p>
        {serverCall && (
          <HttpExchange
            exchange={serverCall}
            title={`The server's call to the API: GET ${new URL(serverCall.request.url).pathname}`}
          />
        )}
      </>
    ),
  };
}
