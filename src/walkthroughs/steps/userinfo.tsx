/** The step kind that asks the authorization server's userinfo endpoint who signed in. */
import React from 'react';
import {decodeJwt} from 'jose';
import type {Step} from '../engine/types';
import {
  withFetch,
  type AuthorizationServer,
  type Configured,
  type TokenEndpointResponse,
  type Transport,
} from './shared';
import {ValueList} from './views';
import styles from './styles.module.css';

/** A UserInfo response (OIDC Core §5.3.2): `sub` and whatever claims the scopes released. */
interface UserInfo {
  sub: string;
  [claim: string]: unknown;
}

function claimText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Calls the userinfo endpoint with the access token as a bearer token, with the flow module's own
 * function, and checks the answer's `sub` against the ID token's (OIDC Core §5.3, §5.3.4). For a
 * walkthrough against the reader's own provider: its one protected resource every provider has.
 */
export function callUserInfo<Config>(
  fetchUserInfo: (
    as: AuthorizationServer,
    config: Config & Transport,
    accessToken: string,
    expectedSubject: string,
  ) => Promise<UserInfo>,
): Step<Configured<Config> & {as: AuthorizationServer; tokens: TokenEndpointResponse}, {userInfo: UserInfo}> {
  return {
    title: 'Call the userinfo endpoint',
    why: (
      <>
        Against your own provider this step replaces the sandbox&apos;s calendar API, which your provider does not have.
        The app sends the access token as a bearer token to the provider&apos;s <code>userinfo_endpoint</code> (OpenID
        Connect Core §5.3), a protected resource every OpenID provider has, and checks that the answer is about the user
        of the ID token.
      </>
    ),
    action: 'Call the userinfo endpoint',
    arrows: [
      {from: 'client', to: 'api', label: 'GET userinfo, Bearer access token'},
      {from: 'api', to: 'client', label: "200 and the user's claims", reply: true},
    ],
    before: ({env}) =>
      env.provider?.audience ? (
        <p className={styles.note}>
          The access token was asked for your API, <code className={styles.wrap}>{env.provider.audience}</code>. Some
          providers accept only tokens meant for userinfo there and refuse this one with <code>invalid_token</code>; the
          token is still good for your API.
        </p>
      ) : null,
    run: async ({state, fetch}) => {
      // The ID token was verified by the code exchange; its `sub` is what userinfo must match (OIDC Core §5.3.4).
      if (!state.tokens.id_token)
        throw new Error('The token response has no ID token to compare userinfo with: ask for the openid scope.');
      const {sub} = decodeJwt(state.tokens.id_token);
      if (!sub) throw new Error('The ID token has no sub claim.');
      return {userInfo: await fetchUserInfo(state.as, withFetch(state.config, fetch), state.tokens.access_token, sub)};
    },
    render: ({userInfo}) => (
      <>
        <p>
          The userinfo endpoint answered for <code className={styles.wrap}>{userInfo.sub}</code>, the same{' '}
          <code>sub</code> as the ID token&apos;s.
        </p>
        <ValueList
          label="Userinfo claims"
          values={Object.entries(userInfo).map(([name, value]) => [name, claimText(value)])}
        />
      </>
    ),
  };
}
