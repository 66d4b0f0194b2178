/** Step kinds that call a demo API with an access token. */
import React from 'react';
import type {Step, WalkthroughEnv} from '../engine/types';
import {withFetch, type ApiResponse, type Configured, type TokenEndpointResponse, type Transport} from './shared';

interface ApiCall {
  /** The API's path after its base URL, e.g. `/events`. */
  path: string;
  /** Which API (default: the walkthrough's). */
  api?: (env: WalkthroughEnv) => {name: string; base_url: string};
}

function countOf(body: unknown): string {
  if (typeof body !== 'object' || body === null) return '';
  const list = Object.entries(body).find(([, value]) => Array.isArray(value));
  return list && Array.isArray(list[1]) ? ` with ${list[1].length} ${list[0]}` : '';
}

/** Calls an API operation with the access token as a bearer token (RFC 6750 §2.1). */
export function callApi<Config>(
  call: (url: string, accessToken: string, config: Config & Transport) => Promise<ApiResponse>,
  {path, api = (env) => env.api}: ApiCall,
): Step<Configured<Config> & {tokens: TokenEndpointResponse}, {apiResponse: ApiResponse}> {
  return {
    title: `Call the API: GET ${path}`,
    why: 'The app sends the access token as a bearer token. The API checks the signature, issuer, audience, expiry and scope before answering (RFC 9068 §4).',
    action: `Call GET ${path}`,
    arrows: [
      {from: 'client', to: 'api', label: `GET ${path}, Bearer access token`},
      {from: 'api', to: 'client', label: '200 and the data', reply: true},
    ],
    run: async ({env, state, fetch}) => ({
      apiResponse: await call(`${api(env).base_url}${path}`, state.tokens.access_token, withFetch(state.config, fetch)),
    }),
    render: ({apiResponse}, {env}) => (
      <p>
        {api(env).name} answered <strong>{apiResponse.status}</strong>
        {countOf(apiResponse.body)}.
      </p>
    ),
  };
}
