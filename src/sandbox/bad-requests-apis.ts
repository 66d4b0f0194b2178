/** Bad requests to the protected resources (RFC 6750), revocation (RFC 7009) and introspection (RFC 7662). */
import {I, CALENDAR, M2M, FORM, token, m2mToken, type Row} from './bad-requests-fixture';

export const resourceRows: Row[] = [
  // RFC 6750
  {
    name: 'RFC 6750 §3.1: no token is 401 with only the challenge',
    request: () => new Request(`${CALENDAR}/events`),
    status: 401,
    where: 'challenge-only',
  },
  {
    name: 'RFC 6750 §3.1 invalid_token: garbage',
    request: () => new Request(`${CALENDAR}/events`, {headers: {authorization: 'Bearer abc.def.ghi'}}),
    status: 401,
    error: 'invalid_token',
    where: 'json',
    header: /error="invalid_token"/,
  },
  {
    name: 'RFC 6750 §3.1 invalid_request: a malformed Bearer header',
    request: () => new Request(`${CALENDAR}/events`, {headers: {authorization: 'Bearer a b c'}}),
    status: 400,
    error: 'invalid_request',
    where: 'json',
    header: /error="invalid_request"/,
  },
  {
    name: 'RFC 6750 §3.1 invalid_request: the token in two places',
    request: () =>
      new Request(`${I}/userinfo`, {
        method: 'POST',
        headers: {authorization: 'Bearer abc', 'content-type': FORM},
        body: 'access_token=abc',
      }),
    status: 400,
    error: 'invalid_request',
    where: 'json',
  },
  {
    name: 'RFC 6750 §3.1 insufficient_scope',
    request: async (sandbox) =>
      new Request(`${CALENDAR}/events`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await m2mToken(sandbox, 'calendar:read')}`,
          'content-type': 'application/json',
        },
        body: '{}',
      }),
    status: 403,
    error: 'insufficient_scope',
    where: 'json',
    header: /scope="calendar:write"/,
  },
  // RFC 7009 / RFC 7662
  {
    name: 'RFC 7009 §2.2.1 unsupported_token_type: an unknown token_type_hint',
    request: () =>
      new Request(`${I}/revoke`, {
        method: 'POST',
        headers: {'content-type': FORM, authorization: M2M},
        body: 'token=x&token_type_hint=id_token',
      }),
    status: 400,
    error: 'unsupported_token_type',
    where: 'json',
  },
  {
    name: 'RFC 7009 §2.1 invalid_request: revoke without token',
    request: () =>
      new Request(`${I}/revoke`, {method: 'POST', headers: {'content-type': FORM, authorization: M2M}, body: ''}),
    status: 400,
    error: 'invalid_request',
    where: 'json',
  },
  {
    name: 'RFC 7009 §2.1 invalid_client: revoke without client authentication',
    request: () => new Request(`${I}/revoke`, {method: 'POST', headers: {'content-type': FORM}, body: 'token=x'}),
    status: 401,
    error: 'invalid_client',
    where: 'json',
  },
  {
    name: 'RFC 7662 §2.1 invalid_request: introspect without token',
    request: () =>
      new Request(`${I}/introspect`, {method: 'POST', headers: {'content-type': FORM, authorization: M2M}, body: ''}),
    status: 400,
    error: 'invalid_request',
    where: 'json',
  },
  // Transport-level bad input
  {
    name: 'RFC 9110 §15.5.6: a wrong method is 405 with Allow',
    request: () => new Request(`${I}/token`),
    status: 405,
    error: 'invalid_request',
    where: 'json',
  },
  {
    name: 'RFC 9110 §15.5.6: DELETE on the JWKS is 405',
    request: () => new Request(`${I}/jwks`, {method: 'DELETE'}),
    status: 405,
    error: 'invalid_request',
    where: 'json',
  },
  {
    name: 'Unknown paths are 404 JSON',
    request: () => new Request(`${I}/nope`),
    status: 404,
    error: 'not_found',
    where: 'json',
  },
  {
    name: 'Paths outside the issuer are 404 JSON',
    request: () => new Request('https://sandbox.test/elsewhere'),
    status: 404,
    error: 'not_found',
    where: 'json',
  },
  {
    name: 'A body over 64 KiB is 413',
    request: () => token(`grant_type=client_credentials&x=${'a'.repeat(70_000)}`),
    status: 413,
    error: 'invalid_request',
    where: 'json',
  },
  {
    name: 'A body over 64 KiB without Content-Length is 413',
    request: () =>
      new Request(`${I}/token`, {
        method: 'POST',
        headers: {'content-type': FORM, authorization: M2M},
        body: new Blob(['a'.repeat(70_000)]).stream(),
        duplex: 'half',
      } as RequestInit),
    status: 413,
    error: 'invalid_request',
    where: 'json',
  },
  {
    name: 'A parameter over 4096 characters is invalid_request',
    request: () => token(`grant_type=client_credentials&scope=${'a'.repeat(5000)}`),
    status: 400,
    error: 'invalid_request',
    where: 'json',
  },
  {
    name: 'A form body that is not UTF-8 is invalid_request',
    request: () =>
      new Request(`${I}/token`, {
        method: 'POST',
        headers: {'content-type': FORM, authorization: M2M},
        body: new Uint8Array([0x67, 0x3d, 0xff, 0xfe]),
      }),
    status: 400,
    error: 'invalid_request',
    where: 'json',
  },
  {
    name: 'Malformed JSON to an API is invalid_request',
    request: async (sandbox) =>
      new Request(`${CALENDAR}/events`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await m2mToken(sandbox, 'calendar:write')}`,
          'content-type': 'application/json',
        },
        body: '{"title":',
      }),
    status: 400,
    error: 'invalid_request',
    where: 'json',
  },
];
