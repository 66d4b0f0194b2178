/** Step kinds that call a demo API with an access token. */
import React from 'react';
import {decodeJwt} from 'jose';
import type {CatalogApi} from '@site/src/contract/catalog';
import type {LaneId, Step, WalkthroughEnv} from '../engine/types';
import {
  withFetch,
  type ApiChallenge,
  type ApiResponse,
  type ApiResult,
  type Configured,
  type TokenEndpointResponse,
  type Transport,
} from './shared';
import {ValueList} from './views';
import styles from './styles.module.css';

/** The lanes an API can be drawn in. */
type ApiLane = Extract<LaneId, 'api' | 'api2'>;

interface ApiCall {
  /** The API's path after its base URL, e.g. `/events`. */
  path: string;
  /** Which API (default: the walkthrough's). */
  api?: (env: WalkthroughEnv) => CatalogApi;
  /** The API's lane in the diagram (default: `api`). */
  lane?: ApiLane;
  /** The step's title (default: "Call the API: GET <path>"). */
  title?: string;
}

function countOf(body: unknown): string {
  if (typeof body !== 'object' || body === null) return '';
  const list = Object.entries(body).find(([, value]) => Array.isArray(value));
  return list && Array.isArray(list[1]) ? ` with ${list[1].length} ${list[0]}` : '';
}

/** Calls an API operation with the access token as a bearer token (RFC 6750 §2.1). */
export function callApi<Config>(
  call: (url: string, accessToken: string, config: Config & Transport) => Promise<ApiResponse>,
  {path, api = (env) => env.api, lane = 'api', title}: ApiCall,
): Step<Configured<Config> & {tokens: TokenEndpointResponse}, {apiResponse: ApiResponse}> {
  return {
    title: title ?? `Call the API: GET ${path}`,
    why: 'The app sends the access token as a bearer token. The API checks the signature, issuer, audience, expiry and scope before answering (RFC 9068 §4).',
    action: `Call GET ${path}`,
    arrows: [
      {from: 'client', to: lane, label: `GET ${path}, Bearer access token`},
      {from: lane, to: 'client', label: '200 and the data', reply: true},
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

/** The challenge as the header spells it, e.g. `Bearer realm="…", error="invalid_token"` (RFC 6750 §3). */
function challengeText(challenge: ApiChallenge): string {
  const scheme = challenge.scheme === 'bearer' ? 'Bearer' : challenge.scheme;
  const parameters = Object.entries(challenge.parameters).flatMap(([name, value]) =>
    value === undefined ? [] : [`${name}="${value}"`],
  );
  return [scheme, parameters.join(', ')].filter(Boolean).join(' ');
}

/** What each attribute of a Bearer challenge means (RFC 6750 §3, §3.1). */
const CHALLENGE_ATTRIBUTES: Record<string, string> = {
  realm: 'The protection space: which part of the server refused (RFC 6750 §3).',
  error:
    'invalid_token: expired, revoked, malformed or not for this API; get a new token. insufficient_scope: the token lacks a scope; ask for it. (RFC 6750 §3.1)',
  error_description: 'Words for the developer, not for code to act on (RFC 6750 §3).',
  scope: 'The scope this operation needs (RFC 6750 §3).',
};

function ChallengeView({challenge}: {challenge: ApiChallenge}) {
  const values = Object.entries(challenge.parameters).flatMap(([name, value]): Array<[string, string, string?]> =>
    value === undefined ? [] : [[name, value, CHALLENGE_ATTRIBUTES[name]]],
  );
  return <ValueList label="WWW-Authenticate challenge" values={values} />;
}

/** The `aud` of a JWT access token, read without verifying it (for the explanation only). */
function audiencesOf(accessToken: string): string[] {
  try {
    const {aud} = decodeJwt(accessToken);
    return aud === undefined ? [] : Array.isArray(aud) ? aud : [aud];
  } catch {
    return [];
  }
}

/** Why the API refused: the token's audience is another API's identifier (RFC 9068 §4, RFC 8707 §2). */
function AudienceMismatch({env, api, accessToken}: {env: WalkthroughEnv; api: CatalogApi; accessToken: string}) {
  const audiences = audiencesOf(accessToken);
  if (audiences.length === 0 || audiences.includes(api.identifier)) return null;
  // What each audience is: an API of the catalog, or the UserInfo endpoint that an OpenID request's
  // access token names beside its API (OpenID Connect Core §5.3).
  const owner = (aud: string): string | undefined => {
    if (aud === `${env.issuer}/userinfo`) return 'the UserInfo endpoint, because the request asked for openid';
    const owning = env.catalog.apis.find((candidate) => candidate.identifier === aud);
    return owning && `the ${owning.name}'s identifier`;
  };
  return (
    <p>
      The token&apos;s <code>aud</code> is{' '}
      {audiences.map((aud, index) => (
        <React.Fragment key={aud}>
          {index > 0 && (index === audiences.length - 1 ? ' and ' : ', ')}
          <code className={styles.wrap}>{aud}</code>
          {owner(aud) !== undefined && <> ({owner(aud)})</>}
        </React.Fragment>
      ))}
      . The {api.name} accepts only tokens whose <code>aud</code> includes its own identifier,{' '}
      <code className={styles.wrap}>{api.identifier}</code> (RFC 9068 §4). A token asked for with one{' '}
      <code>resource</code> is for that API and no other API (RFC 8707 §2).
    </p>
  );
}

/**
 * Calls an API with a token it should refuse, and shows the refusal: the status and the
 * `WWW-Authenticate` challenge (RFC 6750 §3, §3.1), with the audience explained when that is why.
 * A refusal is this step's success; an API that accepts the token is shown as a finding.
 */
export function callApiExpectingRefusal<Config>(
  call: (url: string, accessToken: string, config: Config & Transport) => Promise<ApiResult>,
  {path, api = (env) => env.api, lane = 'api', title, why}: ApiCall & {why: string},
): Step<Configured<Config> & {tokens: TokenEndpointResponse}, {apiResult: ApiResult}> {
  return {
    title: title ?? `Call GET ${path} with a token it should refuse`,
    why,
    action: `Call GET ${path}`,
    arrows: [
      {from: 'client', to: lane, label: `GET ${path}, the same token`},
      {from: lane, to: 'client', label: '401 WWW-Authenticate: Bearer error', reply: true},
    ],
    run: async ({env, state, fetch}) => ({
      apiResult: await call(`${api(env).base_url}${path}`, state.tokens.access_token, withFetch(state.config, fetch)),
    }),
    render: ({apiResult}, {env, state}) =>
      apiResult.ok ? (
        <p className={styles.accepted}>
          {api(env).name} answered {apiResult.status} and accepted the token: it does not check the token&apos;s
          audience.
        </p>
      ) : (
        <>
          <div className={styles.refused} role="note" aria-label="API refusal">
            <p>
              {api(env).name} refused the token with HTTP <strong>{apiResult.status}</strong>
              {apiResult.challenge ? (
                <>
                  {' '}
                  and <code className={styles.wrap}>WWW-Authenticate: {challengeText(apiResult.challenge)}</code>
                </>
              ) : (
                ' and no WWW-Authenticate challenge'
              )}
              .
            </p>
          </div>
          {apiResult.challenge && <ChallengeView challenge={apiResult.challenge} />}
          {apiResult.challenge?.parameters.error === 'invalid_token' && (
            <AudienceMismatch env={env} api={api(env)} accessToken={state.tokens.access_token} />
          )}
        </>
      ),
  };
}
