/** Step kinds that look at tokens: verify and inspect them, refresh them. */
import React, {type ReactNode} from 'react';
import type {JSONWebKeySet} from 'jose';
import TokenInspector from '@site/src/components/TokenInspector';
import type {Arrow, Step, WalkthroughEnv} from '../engine/types';
import {describeError} from '../engine/errors';
import {
  shorten,
  withFetch,
  type AuthorizationServer,
  type Configured,
  type TokenEndpointResponse,
  type Transport,
} from './shared';
import styles from './styles.module.css';

interface InspectOptions {
  /** The `aud` the access token must carry (default: the walkthrough's API); undefined skips the check. */
  audience?: (env: WalkthroughEnv) => string | undefined;
  /** Why the step exists, for a flow whose tokens differ (e.g. no ID token without a user). */
  why?: ReactNode;
}

/**
 * Fetches the server's keys and shows every token with its checks: signature, then the claims
 * (OIDC Core §3.1.3.7 for the ID token, RFC 9068 §4 for the access token).
 */
export function inspectTokens(
  options: InspectOptions = {},
): Step<{as: AuthorizationServer; tokens: TokenEndpointResponse; secrets?: {nonce: string}}, {jwks: JSONWebKeySet}> {
  return {
    title: 'Inspect the tokens',
    why:
      options.why ??
      "An app verifies the ID token before trusting who signed in: the signature with the server's published keys, then the claims. The access token is for the API, which runs the same checks; reading it here is for learning.",
    action: 'Fetch the keys and inspect',
    arrows: [
      {from: 'client', to: 'as', label: 'GET /jwks'},
      {from: 'as', to: 'client', label: 'public signing keys', reply: true},
      {from: 'client', to: 'client', label: 'verify signatures and claims'},
    ],
    run: async ({state, fetch}) => {
      if (!state.as.jwks_uri) throw new Error('The server metadata has no jwks_uri.');
      const response = await fetch(state.as.jwks_uri, {method: 'GET', headers: {accept: 'application/json'}});
      if (!response.ok) throw new Error(`The JWKS endpoint answered ${response.status}.`);
      return {jwks: (await response.json()) as JSONWebKeySet};
    },
    render: ({jwks}, {env, state}) => {
      const {tokens} = state;
      const clientId = env.client.client_id;
      return (
        <>
          {tokens.id_token && (
            <TokenInspector
              label="ID token"
              kind="id_token"
              token={tokens.id_token}
              jwks={jwks}
              expectations={{
                issuer: env.issuer,
                audience: clientId,
                clientId,
                nonce: state.secrets?.nonce,
                accessToken: tokens.access_token,
              }}
            />
          )}
          <TokenInspector
            label="Access token"
            kind="access_token"
            token={tokens.access_token}
            jwks={jwks}
            expectations={{
              issuer: env.issuer,
              audience: options.audience ? options.audience(env) : env.api.identifier,
              clientId,
            }}
          />
          {tokens.refresh_token && (
            <TokenInspector
              label="Refresh token"
              kind="refresh_token"
              token={tokens.refresh_token}
              expectations={{issuer: env.issuer}}
            />
          )}
        </>
      );
    },
  };
}

type ReuseOutcome = {refused: true; status?: number; error: string; error_description?: string} | {refused: false};

/**
 * Refreshes the access token, then presents the old refresh token again: with rotation the server
 * refuses it and revokes the whole family (RFC 6749 §6, RFC 9700 §4.14.2).
 */
export function refreshWithReuse<Config>(
  refresh: (
    as: AuthorizationServer,
    config: Config & Transport,
    refreshToken: string,
  ) => Promise<TokenEndpointResponse>,
): Step<
  Configured<Config> & {as: AuthorizationServer; tokens: TokenEndpointResponse},
  {tokens: TokenEndpointResponse; previousRefreshToken: string; reuse: ReuseOutcome}
> {
  return {
    title: 'Refresh the access token, then reuse the old refresh token',
    why: "Access tokens are short-lived; the refresh token gets new ones without the user. A single-page app's refresh token rotates: each use returns a new one and retires the old, so a stolen copy stops working.",
    action: 'Refresh, then reuse the old one',
    arrows: [
      {from: 'client', to: 'as', label: 'POST /token refresh_token'},
      {from: 'as', to: 'client', label: 'new tokens, rotated refresh token', reply: true},
      {from: 'client', to: 'as', label: 'POST /token old refresh_token'},
      {from: 'as', to: 'client', label: '400 invalid_grant', reply: true},
    ],
    run: async ({state, fetch}) => {
      const previous = state.tokens.refresh_token;
      if (!previous) throw new Error('The token response had no refresh token (was offline_access granted?).');
      const config = withFetch(state.config, fetch);
      const refreshed = await refresh(state.as, config, previous);
      let reuse: ReuseOutcome;
      try {
        await refresh(state.as, config, previous);
        reuse = {refused: false};
      } catch (error) {
        const described = describeError(error);
        // Only an OAuth error answer counts as a refusal; anything else is a real failure.
        if (!described.error) throw error;
        reuse = {
          refused: true,
          status: described.status,
          error: described.error,
          error_description: described.errorDescription,
        };
      }
      return {tokens: refreshed, previousRefreshToken: previous, reuse};
    },
    render: ({tokens, previousRefreshToken, reuse}) => (
      <>
        <p>
          The first request returned a new access token
          {tokens.refresh_token ? (
            <>
              {' '}
              and a new refresh token: <code>{shorten(previousRefreshToken)}</code> became{' '}
              <code>{shorten(tokens.refresh_token)}</code>
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
          <p className={styles.accepted}>
            The old refresh token was accepted again: this server does not rotate refresh tokens.
          </p>
        )}
      </>
    ),
  };
}

/** How the authorization server refused a refresh token (RFC 6749 §5.2). */
interface RefreshRefusal {
  status?: number;
  error: string;
  error_description?: string;
}

/** What the flow module advises after a failed refresh: an action and why. */
interface RefreshAdvice {
  action: string;
  why: string;
}

/**
 * Presents the current refresh token and expects a refusal: one revoked with its family after a
 * reuse (RFC 9700 §4.14.2), or revoked by the app (RFC 7009 §2.1). With `advise`, the flow module's
 * own function reads the real error and says what the app does next.
 */
export function refreshRefused<Config, Advice extends RefreshAdvice>(
  refresh: (
    as: AuthorizationServer,
    config: Config & Transport,
    refreshToken: string,
  ) => Promise<TokenEndpointResponse>,
  options: {title: string; why: string; action: string; advise?: (error: unknown) => Advice},
): Step<
  Configured<Config> & {as: AuthorizationServer; tokens: TokenEndpointResponse},
  {refreshRefusal: RefreshRefusal; advice?: Advice}
> {
  const arrows: Arrow[] = [
    {from: 'client', to: 'as', label: 'POST /token refresh_token'},
    {from: 'as', to: 'client', label: '400 invalid_grant', reply: true},
  ];
  if (options.advise) arrows.push({from: 'client', to: 'client', label: 'what now? a new authorization'});
  return {
    title: options.title,
    why: options.why,
    action: options.action,
    arrows,
    run: async ({state, fetch}) => {
      const token = state.tokens.refresh_token;
      if (!token) throw new Error('There is no refresh token to present (was offline_access granted?).');
      try {
        await refresh(state.as, withFetch(state.config, fetch), token);
      } catch (error) {
        const described = describeError(error);
        // Only an OAuth error answer is the refusal this step shows; anything else is a real failure.
        if (!described.error) throw error;
        const refreshRefusal: RefreshRefusal = {
          status: described.status,
          error: described.error,
          error_description: described.errorDescription,
        };
        return options.advise ? {refreshRefusal, advice: options.advise(error)} : {refreshRefusal};
      }
      throw new Error(
        'The authorization server accepted this refresh token and issued new tokens, where a refusal was expected.',
      );
    },
    render: ({refreshRefusal, advice}) => (
      <>
        <div className={styles.refused} role="note" aria-label="Refused refresh token">
          <p>
            The authorization server refused the refresh token with HTTP {refreshRefusal.status ?? '?'}:{' '}
            <code>{refreshRefusal.error}</code>
          </p>
          {refreshRefusal.error_description && <p>{refreshRefusal.error_description}</p>}
        </div>
        {advice && (
          <p>
            The app&apos;s advice for this error: <code>{advice.action}</code>, because {advice.why}.
          </p>
        )}
      </>
    ),
  };
}
