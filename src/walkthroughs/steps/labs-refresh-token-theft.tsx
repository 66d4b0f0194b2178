/**
 * The refresh token theft lab's switch and moves (RFC 9700 §4.14.2): the attacker uses a copied refresh
 * token first, the app refreshes with the token it holds, and the attacker comes back later.
 */
import React, {type ReactNode} from 'react';
import type {SpaConfig} from '@site/src/flows/authorization-code-pkce';
import * as flow from '@site/src/flows/labs/refresh-token-theft';
import {chooseLabClient, labMove, Verdict, type MoveContext} from './labs';
import {withFetch, type AuthorizationServer, type Configured, type TokenEndpointResponse} from './shared';

/** The same single-page app, registered twice: once without rotation, once with it. */
export const ROTATION_CLIENTS = {off: 'lab-spa-no-rotation', on: 'lab-spa-rotation'};

/** The switch: the choice picks the client the whole run uses. */
export const chooseRotation = chooseLabClient<SpaConfig>({
  defence: 'rotation',
  clients: ROTATION_CLIENTS,
  off: (
    <>
      the app is <code>{ROTATION_CLIENTS.off}</code>, whose refresh tokens never change
    </>
  ),
  on: (
    <>
      the app is <code>{ROTATION_CLIENTS.on}</code>: each refresh returns a new refresh token, and reuse revokes the
      family
    </>
  ),
  why: "Run the lab once with rotation off and once with it on. The app, the user, the theft and the requests stay the same; only the server's handling of the refresh token changes.",
  describe: (defence, config) => (
    <>
      This run has rotation <strong>{defence}</strong>: the app signs in as <code>{config.clientId}</code>.
    </>
  ),
});

/** A refresh and, when it worked, a call to the API with the new access token. */
interface RefreshAttempt {
  outcome: flow.RefreshOutcome;
  apiStatus?: number;
}

type RefreshState = Configured<SpaConfig> & {as: AuthorizationServer};

/** Either party's move: refresh with `refreshToken` (the lab module's useRefreshToken), then call the API with what came back. */
async function refreshAndCall(
  {env, state, fetch}: MoveContext<RefreshState>,
  refreshToken: string,
): Promise<RefreshAttempt> {
  const config = withFetch(state.config, fetch);
  const outcome = await flow.useRefreshToken(state.as, config, refreshToken);
  if (!outcome.ok) return {outcome};
  const api = await flow.callApi(`${env.api.base_url}/events`, outcome.tokens.access_token, config);
  return {outcome, apiStatus: api.status};
}

function AttemptView({
  who,
  attempt: {outcome, apiStatus},
  good,
}: {
  who: string;
  attempt: RefreshAttempt;
  good: boolean;
}): ReactNode {
  if (!outcome.ok) {
    return (
      <Verdict kind="refused" label={`${who}: refused`}>
        <p>
          The token endpoint refused {who} with HTTP {outcome.status}: <code>{outcome.error}</code>
        </p>
        {outcome.error_description && <p>{outcome.error_description}</p>}
      </Verdict>
    );
  }
  return (
    <Verdict kind={good ? 'note' : 'accepted'} label={`${who}: new tokens`}>
      <p>
        {who[0].toUpperCase() + who.slice(1)} got a new access token, and the calendar API answered{' '}
        <strong>{apiStatus}</strong> to it.{' '}
        {outcome.rotated
          ? 'The refresh token rotated: the one presented is now retired.'
          : 'No new refresh token: the same one stays valid.'}
      </p>
    </Verdict>
  );
}

/** The attacker copies the app's refresh token and uses it first (RFC 9700 §4.14.2's threat). */
export const thiefRefreshes = labMove<
  RefreshState & {tokens: TokenEndpointResponse},
  {theft: RefreshAttempt; thiefToken: string}
>({
  title: 'The attacker steals the refresh token and uses it',
  why: "You now play the attacker, who copied the app's refresh token. It needs nothing else: the app is a public client, so the request carries only the token and the public client_id.",
  action: 'Refresh as the attacker',
  arrows: [
    {from: 'browser', to: 'as', label: 'attacker: POST /token stolen refresh_token'},
    {from: 'as', to: 'browser', label: 'new access token', reply: true},
    {from: 'browser', to: 'api', label: 'attacker: GET /events'},
  ],
  act: async (context) => {
    const stolen = context.state.tokens.refresh_token;
    if (!stolen) throw new Error('The token response had no refresh token (was offline_access granted?).');
    const theft = await refreshAndCall(context, stolen);
    return {theft, thiefToken: theft.outcome.ok ? theft.outcome.refreshToken : stolen};
  },
  view: ({theft}) => <AttemptView who="the attacker" attempt={theft} good={false} />,
});

/** The app, unaware, refreshes with the token it holds: the same one the attacker used. */
export const appRefreshes = labMove<RefreshState & {tokens: TokenEndpointResponse}, {appRefresh: RefreshAttempt}>({
  title: 'The app refreshes with the token it holds',
  why: 'You are the app again. It knows nothing of the theft and presents its refresh token as usual. With rotation on, that token was retired when the attacker used it: the server sees a retired token come back.',
  action: 'Refresh as the app',
  arrows: [
    {from: 'client', to: 'as', label: 'app: POST /token its refresh_token'},
    {from: 'as', to: 'client', label: 'new access token, or 400 invalid_grant', reply: true},
  ],
  act: async (context) => ({appRefresh: await refreshAndCall(context, context.state.tokens.refresh_token ?? '')}),
  view: ({appRefresh}) => <AttemptView who="the app" attempt={appRefresh} good />,
});

/** The attacker comes back later with the newest token it has. */
export const thiefRefreshesAgain = labMove<RefreshState & {thiefToken: string}, {theftAgain: RefreshAttempt}>({
  title: 'The attacker comes back',
  why: 'The attacker again, later, with the newest refresh token it has. Without rotation that is still the stolen one. With rotation it is the token the server gave the attacker, from the family the server has just revoked.',
  action: 'Refresh as the attacker again',
  arrows: [
    {from: 'browser', to: 'as', label: 'attacker: POST /token its refresh_token'},
    {from: 'as', to: 'browser', label: 'new access token, or 400 invalid_grant', reply: true},
  ],
  act: async (context) => ({theftAgain: await refreshAndCall(context, context.state.thiefToken)}),
  view: ({theftAgain}) => <AttemptView who="the attacker" attempt={theftAgain} good={false} />,
});
