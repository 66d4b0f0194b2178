/**
 * The shapes step kinds pass to each other. Each flow module declares its own identical types
 * (so a reader can copy one file); these are what the steps need of them, structurally.
 */
import type {AuthorizationServer, TokenEndpointResponse} from 'oauth4webapi';
import type {FetchFunction} from '@site/src/components/HttpExchange/exchange';

export type {AuthorizationServer, TokenEndpointResponse};

/** What every flow module's config accepts: the recording fetch, and http on localhost. */
export interface Transport {
  fetch?: FetchFunction;
  allowInsecureRequests?: boolean;
}

/** The one-time values of an authorization request (RFC 7636 §4.1-4.2, RFC 6749 §10.12, OIDC Core §3.1.2.1). */
export interface AuthorizationSecrets {
  pkce: {verifier: string; challenge: string; method: 'S256'};
  state: string;
  nonce: string;
}

/** What an API answered. */
export interface ApiResponse {
  status: number;
  body: unknown;
}

/** A parsed `WWW-Authenticate` challenge (RFC 6750 §3): its scheme, lowercased, and its parameters. */
export interface ApiChallenge {
  scheme: string;
  parameters: {readonly [name: Lowercase<string>]: string | undefined};
}

/** What an API answered, with a refusal as a result: its status and its challenge. */
export type ApiResult = ({ok: true} & ApiResponse) | ({ok: false; challenge?: ApiChallenge} & ApiResponse);

/** The state every flow's steps start from: the flow module's config, built from the demo world. */
export interface Configured<Config> {
  config: Config;
}

/** The config with this step's recording fetch. */
export function withFetch<Config>(config: Config, fetch: FetchFunction): Config & Transport {
  return {...config, fetch};
}

/** A long token shortened for a sentence: its start and end. */
export function shorten(token: string): string {
  return token.length > 24 ? `${token.slice(0, 12)}…${token.slice(-8)}` : token;
}
