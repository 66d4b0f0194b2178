/** The authorization endpoint's bad requests (RFC 6749 §4.1.2.1): answered to the client, or shown at the server. */
import {I, authorize, spaAuthorize, type Row} from './bad-requests-fixture';

export const authorizationRows: Row[] = [
  // RFC 6749 §4.1.2.1, authorization endpoint, returned to the client
  {
    name: 'RFC 6749 §4.1.2.1 invalid_request: response_type missing',
    request: () => spaAuthorize({response_type: ''}),
    status: 303,
    error: 'invalid_request',
    where: 'redirect',
  },
  {
    name: 'RFC 9700 §2.1.1 invalid_request: PKCE plain',
    request: () => spaAuthorize({code_challenge_method: 'plain'}),
    status: 303,
    error: 'invalid_request',
    where: 'redirect',
  },
  {
    name: 'RFC 9700 §2.1.1 invalid_request: a public client without PKCE',
    request: () => spaAuthorize({code_challenge: '', code_challenge_method: ''}),
    status: 303,
    error: 'invalid_request',
    where: 'redirect',
  },
  {
    name: 'RFC 9700 §2.1.1 invalid_request: a confidential client without PKCE',
    request: () =>
      authorize({
        client_id: 'regular-web-app',
        redirect_uri: `${I}/webapp/callback`,
        response_type: 'code',
        scope: 'openid',
        state: 'xyz',
      }),
    status: 303,
    error: 'invalid_request',
    where: 'redirect',
  },
  {
    name: 'RFC 7636 §4.2 invalid_request: a challenge of the wrong length',
    request: () => spaAuthorize({code_challenge: 'abc'}),
    status: 303,
    error: 'invalid_request',
    where: 'redirect',
  },
  {
    name: 'OIDC Core §3.1.2.1 invalid_request: prompt=none with login',
    request: () => spaAuthorize({prompt: 'none login'}),
    status: 303,
    error: 'invalid_request',
    where: 'redirect',
  },
  {
    name: 'RFC 6749 §4.1.2.1 invalid_request: an unknown response_mode',
    request: () => spaAuthorize({response_mode: 'web_message'}),
    status: 303,
    error: 'invalid_request',
    where: 'redirect',
  },
  {
    name: 'RFC 6749 §4.1.2.1 unauthorized_client: a response type the client is not registered for',
    request: () =>
      authorize({
        client_id: 'form-post-app',
        redirect_uri: `${I}/webapp/form-post/callback`,
        response_type: 'code',
        state: 'xyz',
      }),
    status: 303,
    error: 'unauthorized_client',
    where: 'redirect',
  },
  {
    name: 'RFC 6749 §4.1.2.1 unsupported_response_type: response_type=token',
    request: () => spaAuthorize({response_type: 'token'}),
    status: 303,
    error: 'unsupported_response_type',
    where: 'fragment',
  },
  {
    name: "OAuth 2.0 Multiple Response Types §2.1: an implicit request's error goes in the fragment even when response_mode=query is asked",
    request: () =>
      authorize({
        client_id: 'form-post-app',
        redirect_uri: `${I}/webapp/form-post/callback`,
        response_type: 'id_token',
        response_mode: 'query',
        scope: 'openid',
        nonce: 'n',
        state: 'xyz',
      }),
    status: 303,
    error: 'invalid_request',
    where: 'fragment',
  },
  {
    name: 'RFC 6749 §4.2.2.1 unsupported_response_type: response_type=token with response_mode=query still answers in the fragment',
    request: () => spaAuthorize({response_type: 'token', response_mode: 'query'}),
    status: 303,
    error: 'unsupported_response_type',
    where: 'fragment',
  },
  {
    name: 'RFC 6749 §4.1.2.1 invalid_scope: an unknown scope',
    request: () => spaAuthorize({scope: 'openid admin'}),
    status: 303,
    error: 'invalid_scope',
    where: 'redirect',
  },
  {
    name: 'RFC 6749 §4.1.2.1 invalid_scope: an API scope without that API as audience',
    request: () => spaAuthorize({scope: 'calendar:read'}),
    status: 303,
    error: 'invalid_scope',
    where: 'redirect',
  },
  {
    name: 'OIDC Core §3.1.2.6 login_required: prompt=none and no session',
    request: () => spaAuthorize({prompt: 'none'}),
    status: 303,
    error: 'login_required',
    where: 'redirect',
  },
  {
    name: 'OIDC Core §6.1 request_not_supported: a request object',
    request: () => spaAuthorize({request: 'eyJ.x.y'}),
    status: 303,
    error: 'request_not_supported',
    where: 'redirect',
  },
  {
    name: 'Form Post Response Mode: errors go back by form_post when asked',
    request: () => spaAuthorize({response_mode: 'form_post', scope: 'nope'}),
    status: 200,
    error: 'invalid_scope',
    where: 'form_post',
  },
  // RFC 6749 §4.1.2.1, shown at the server
  {
    name: 'RFC 6749 §4.1.2.1: client_id missing is an error page',
    request: () => authorize({response_type: 'code'}),
    status: 400,
    where: 'page',
  },
  {
    name: 'RFC 6749 §4.1.2.1: a client without redirect URIs is an error page',
    request: () => authorize({client_id: 'm2m-cron', redirect_uri: 'https://x.test/cb', response_type: 'code'}),
    status: 400,
    where: 'page',
  },
  {
    name: 'RFC 6749 §4.1.2.1: the resource server credential (no redirect URIs) at /authorize is an error page',
    request: () => authorize({client_id: 'calendar-api', redirect_uri: 'https://x.test/cb', response_type: 'code'}),
    status: 400,
    where: 'page',
  },
  {
    name: 'RFC 6749 §4.1.2.1: redirect_uri missing is an error page',
    request: () => authorize({client_id: 'spa', response_type: 'code'}),
    status: 400,
    where: 'page',
  },
  {
    name: 'OIDC Core §3.1.2.1: a JSON-bodied POST to /authorize is an error page',
    request: () =>
      new Request(`${I}/authorize`, {method: 'POST', headers: {'content-type': 'application/json'}, body: '{}'}),
    status: 400,
    where: 'page',
  },
  {
    name: 'An unknown interaction id is an error page',
    request: () => new Request(`${I}/interaction/nope/login`),
    status: 400,
    where: 'page',
  },
];
