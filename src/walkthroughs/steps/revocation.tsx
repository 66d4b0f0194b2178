/** Step kinds that end a token and ask about it: revocation (RFC 7009) and introspection (RFC 7662). */
import React from 'react';
import type {Step, WalkthroughEnv} from '../engine/types';
import {
  shorten,
  withFetch,
  type AuthorizationServer,
  type Configured,
  type TokenEndpointResponse,
  type Transport,
} from './shared';
import styles from './styles.module.css';

/** The two kinds of token a client holds, as RFC 7009 §2.1 and RFC 7662 §2.1 name them in `token_type_hint`. */
type TokenKind = 'refresh_token' | 'access_token';

const KIND_NAMES: Record<TokenKind, string> = {refresh_token: 'refresh token', access_token: 'access token'};

function tokenOf(tokens: TokenEndpointResponse, kind: TokenKind): string {
  const token = kind === 'refresh_token' ? tokens.refresh_token : tokens.access_token;
  if (!token) throw new Error(`The token response had no ${KIND_NAMES[kind]} (was offline_access granted?).`);
  return token;
}

/**
 * Revokes one of the app's tokens at the revocation endpoint, e.g. on sign-out (RFC 7009 §2.1).
 * The server answers 200 with an empty body whether or not it knew the token (§2.2).
 */
export function revokeToken<Config>(
  revoke: (as: AuthorizationServer, config: Config & Transport, token: string, hint?: TokenKind) => Promise<void>,
  kind: TokenKind,
): Step<
  Configured<Config> & {as: AuthorizationServer; tokens: TokenEndpointResponse},
  {revoked: {kind: TokenKind; token: string}}
> {
  return {
    title: `Revoke the ${KIND_NAMES[kind]}, as on sign-out`,
    why: `When the user signs out, the app asks the authorization server to forget its ${KIND_NAMES[kind]} instead of just dropping it: a copy elsewhere (a log, a stolen backup) then stops working too.`,
    action: `Revoke the ${KIND_NAMES[kind]}`,
    arrows: [
      {from: 'client', to: 'as', label: `POST /revoke ${kind}`},
      {from: 'as', to: 'client', label: '200, empty body', reply: true},
    ],
    run: async ({state, fetch}) => {
      const token = tokenOf(state.tokens, kind);
      await revoke(state.as, withFetch(state.config, fetch), token, kind);
      return {revoked: {kind, token}};
    },
    render: ({revoked}) => (
      <p>
        The server answered <strong>200</strong> with an empty body for <code>{shorten(revoked.token)}</code>. That
        answer says only that the server accepted the request: it gives the same one for a token it never knew (RFC 7009
        §2.2).
      </p>
    ),
  };
}

/** What the introspection endpoint said about one token (RFC 7662 §2.2). */
interface Introspected {
  kind: TokenKind;
  token: string;
  response: {active: boolean} & Record<string, unknown>;
}

/**
 * Asks the introspection endpoint about the app's tokens, as a resource server would: with the
 * resource server's own credential (RFC 7662 §2.1). Anything revoked or expired is `{"active": false}`.
 */
export function introspectTokens<ResourceServer>(
  introspect: (
    as: AuthorizationServer,
    resourceServer: ResourceServer & Transport,
    token: string,
    hint?: TokenKind,
  ) => Promise<{active: boolean}>,
  options: {
    /** The resource server's credential; throws with words when the demo world has none. */
    resourceServer: (env: WalkthroughEnv) => ResourceServer;
    kinds: TokenKind[];
  },
): Step<{as: AuthorizationServer; tokens: TokenEndpointResponse}, {introspected: Introspected[]}> {
  return {
    title: 'Ask about the tokens, as the API would',
    why: 'An API that must know whether a token still holds asks the introspection endpoint. It authenticates with its own credential, a confidential client of the authorization server: a public app has none and cannot ask.',
    action: 'Introspect the tokens',
    arrows: [
      {from: 'api', to: 'as', label: "POST /introspect, the API's credential"},
      {from: 'as', to: 'api', label: '{"active": false}', reply: true},
    ],
    run: async ({env, state, fetch}) => {
      const resourceServer = {
        ...withFetch(options.resourceServer(env), fetch),
        allowInsecureRequests: env.allowInsecureRequests,
      };
      const introspected: Introspected[] = [];
      for (const kind of options.kinds) {
        const token = tokenOf(state.tokens, kind);
        introspected.push({kind, token, response: {...(await introspect(state.as, resourceServer, token, kind))}});
      }
      return {introspected};
    },
    render: ({introspected}) => (
      <ul className={styles.checklist} aria-label="Introspection results">
        {introspected.map(({kind, token, response}) => (
          <li key={kind}>
            The {KIND_NAMES[kind]} <code>{shorten(token)}</code>:{' '}
            <code className={styles.wrap}>{JSON.stringify(response)}</code>
            {response.active ? ' (still active)' : ''}
          </li>
        ))}
      </ul>
    ),
  };
}
