/**
 * The Device Authorization Grant's bad requests (RFC 8628): at the device authorization endpoint (§3.1, with
 * the errors of RFC 6749 §5.2), at the token endpoint with the device code grant (§3.4, §3.5), and on the
 * user's pages, which answer with a page of their own, never a redirect.
 */
import {basic, FORM, I, token, type Row} from './bad-requests-fixture';

const DEVICE_GRANT = encodeURIComponent('urn:ietf:params:oauth:grant-type:device_code');
const MEETING_ROOM = basic('meeting-room-display', 'meeting-room-display-secret-4a8d27');

const deviceAuthorization = (body: string, headers: Record<string, string> = {}) =>
  new Request(`${I}/device_authorization`, {method: 'POST', headers: {'content-type': FORM, ...headers}, body});
const devicePage = (path: string, init: RequestInit = {}) => new Request(`${I}/device${path}`, init);

export const deviceRows: Row[] = [
  {
    name: 'RFC 8628 §3.1 / RFC 6749 §5.2 invalid_client: no client_id',
    request: () => deviceAuthorization('scope=openid'),
    status: 401,
    error: 'invalid_client',
    where: 'json',
  },
  {
    name: 'RFC 8628 §3.1 / RFC 6749 §5.2 invalid_client: an unknown client',
    request: () => deviceAuthorization('client_id=ghost'),
    status: 401,
    error: 'invalid_client',
    where: 'json',
  },
  {
    name: 'RFC 8628 §3.1 / RFC 6749 §3.2.1 invalid_client: a confidential device client without its secret',
    request: () => deviceAuthorization('client_id=meeting-room-display'),
    status: 401,
    error: 'invalid_client',
    where: 'json',
  },
  {
    name: 'RFC 8628 §3.1 / RFC 6749 §5.2 invalid_client: a wrong Basic secret (with the Basic challenge)',
    request: () => deviceAuthorization('scope=openid', {authorization: basic('meeting-room-display', 'wrong')}),
    status: 401,
    error: 'invalid_client',
    where: 'json',
    header: /^Basic realm=/,
  },
  {
    name: 'RFC 8628 §3.2 / RFC 6749 §5.2 unauthorized_client: a client not registered for the device grant',
    request: () => deviceAuthorization('client_id=spa&scope=openid'),
    status: 400,
    error: 'unauthorized_client',
    where: 'json',
  },
  {
    name: 'RFC 8628 §3.2 / RFC 6749 §5.2 invalid_scope: an unknown scope',
    request: () => deviceAuthorization('client_id=tv-app&scope=admin'),
    status: 400,
    error: 'invalid_scope',
    where: 'json',
  },
  {
    name: 'RFC 8628 §3.2 / RFC 8707 §2 invalid_target: an unknown audience',
    request: () => deviceAuthorization('client_id=tv-app&audience=https://elsewhere.test/api', {}),
    status: 400,
    error: 'invalid_target',
    where: 'json',
  },
  {
    name: 'RFC 8628 §3.1 / RFC 6749 §3.1 invalid_request: a repeated parameter',
    request: () => deviceAuthorization('client_id=tv-app&scope=openid&scope=email'),
    status: 400,
    error: 'invalid_request',
    where: 'json',
  },
  {
    name: 'RFC 8628 §3.1 invalid_request: a JSON body',
    request: () =>
      new Request(`${I}/device_authorization`, {
        method: 'POST',
        headers: {'content-type': 'application/json'},
        body: '{"client_id":"tv-app"}',
      }),
    status: 400,
    error: 'invalid_request',
    where: 'json',
  },
  {
    name: 'RFC 8628 §3.1: GET at the device authorization endpoint is 405',
    request: () => new Request(`${I}/device_authorization?client_id=tv-app`),
    status: 405,
    error: 'invalid_request',
    where: 'json',
  },
  {
    name: 'RFC 8628 §3.4 invalid_request: the device code grant without device_code',
    request: () => token(`grant_type=${DEVICE_GRANT}&client_id=tv-app`, {}),
    status: 400,
    error: 'invalid_request',
    where: 'json',
  },
  {
    name: 'RFC 8628 §3.5 / RFC 6749 §5.2 invalid_grant: an unknown device code',
    request: () => token(`grant_type=${DEVICE_GRANT}&client_id=tv-app&device_code=nope`, {}),
    status: 400,
    error: 'invalid_grant',
    where: 'json',
  },
  {
    name: 'RFC 8628 §3.4 / RFC 6749 §5.2 unauthorized_client: the device code grant by a client not registered for it',
    request: () => token(`grant_type=${DEVICE_GRANT}&client_id=spa&device_code=nope`, {}),
    status: 400,
    error: 'unauthorized_client',
    where: 'json',
  },
  {
    name: 'RFC 8628 §3.4 / RFC 6749 §3.2.1 invalid_client: a confidential device client polling without its secret',
    request: () => token(`grant_type=${DEVICE_GRANT}&client_id=meeting-room-display&device_code=nope`, {}),
    status: 401,
    error: 'invalid_client',
    where: 'json',
  },
  {
    name: 'RFC 8628 §3.5 invalid_grant: an unknown device code from an authenticated confidential client',
    request: () => token(`grant_type=${DEVICE_GRANT}&device_code=nope`, {authorization: MEETING_ROOM}),
    status: 400,
    error: 'invalid_grant',
    where: 'json',
  },
  {
    name: 'RFC 8628 §3.3: an unknown device interaction is a page, never a redirect',
    request: () => devicePage('/unknown/login'),
    status: 400,
    where: 'page',
  },
  {
    name: 'RFC 8628 §3.3: an unknown device step is a page',
    request: () => devicePage('/unknown/elsewhere'),
    status: 404,
    where: 'page',
  },
  {
    name: 'RFC 8628 §3.3: a code posted by another site is refused on the page',
    request: () =>
      devicePage('', {
        method: 'POST',
        headers: {'content-type': FORM, 'sec-fetch-site': 'cross-site'},
        body: 'user_code=BCDF-GHJK',
      }),
    status: 400,
    where: 'page',
  },
  {
    name: 'RFC 8628 §3.3: a code posted as JSON is refused on the page',
    request: () =>
      devicePage('', {method: 'POST', headers: {'content-type': 'application/json'}, body: '{"user_code":"BCDFGHJK"}'}),
    status: 400,
    where: 'page',
  },
  {
    name: 'RFC 8628 §3.3: a step form for an unknown interaction is a page',
    request: () =>
      devicePage('/unknown/consent', {method: 'POST', headers: {'content-type': FORM}, body: 'csrf=x&decision=allow'}),
    status: 400,
    where: 'page',
  },
];
