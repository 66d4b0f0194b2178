/**
 * What the bad-request tests share: the requests they build and the row each one is checked against.
 */
import {TEST_ISSUER} from './testing';
import type {TestSandbox} from './test-fixture';
export const I = TEST_ISSUER;
export const CALENDAR = `${I}/api/calendar`;
export const SPA_REDIRECT = 'https://docs.test/flows/authorization-code-pkce';
export const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
export const basic = (id: string, secret: string) => `Basic ${btoa(`${id}:${secret}`)}`;
export const M2M = basic('m2m-cron', 'm2m-cron-secret-5bd1e8');
export const FORM = 'application/x-www-form-urlencoded';

export type Where = 'json' | 'redirect' | 'fragment' | 'form_post' | 'page' | 'challenge-only';

export interface Row {
  name: string;
  request: (sandbox: TestSandbox) => Promise<Request> | Request;
  status: number;
  error?: string;
  where: Where;
  header?: RegExp;
}

export const token = (body: string, headers: Record<string, string> = {authorization: M2M}) =>
  new Request(`${I}/token`, {method: 'POST', headers: {'content-type': FORM, ...headers}, body});
export const authorize = (params: Record<string, string>) =>
  new Request(`${I}/authorize?${new URLSearchParams(params)}`);
export const spaAuthorize = (params: Record<string, string>) =>
  authorize({
    client_id: 'spa',
    redirect_uri: SPA_REDIRECT,
    response_type: 'code',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
    state: 'xyz',
    ...params,
  });
export const m2mToken = async (sandbox: TestSandbox, scope: string) => {
  const response = await sandbox.fetch(
    token(`grant_type=client_credentials&audience=${encodeURIComponent(CALENDAR)}&scope=${scope}`),
  );
  return ((await response.json()) as {access_token: string}).access_token;
};
