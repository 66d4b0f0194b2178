/**
 * Rows: the endpoints a client or resource server calls with a token or its own credentials: token
 * (RFC 6749 §3.2), UserInfo (OpenID Connect Core §5.3), revocation (RFC 7009), introspection (RFC 7662).
 */
import {DEVICE_CODE_GRANT_TYPE} from '../../contract/catalog';
import {GRANT_TYPES} from '../grants/grant-types';
import {
  bearerErrors,
  clientBodyAuth,
  DPOP_NONCE,
  dpopUse,
  invalidClient,
  json,
  NO_STORE,
  oauthError,
  oidcCore,
  PRAGMA,
  ref,
  rfc,
  storageErrors,
  string,
  tokenRequestName,
} from './parts';
import type {DescriptionContext, EndpointRow, Method} from './types';

const CLIENT = {kind: 'client'} as const;

function tokenRow({issuer, catalog}: DescriptionContext): EndpointRow {
  const m2m = catalog.clients.find((client) => client.grant_types.includes('client_credentials'));
  const firstApi = catalog.apis[0];
  return {
    path: '/token',
    method: 'POST',
    operationId: 'postToken',
    summary: 'Token request',
    description: `The token endpoint (${rfc(6749, '3.2')}): one form-encoded body per grant. Clients authenticate with HTTP Basic (client_secret_basic), \`client_id\` and \`client_secret\` in the body (client_secret_post), or \`client_id\` alone for public clients (${rfc(6749, '2.3')}, ${rfc(6749, '3.2.1')}). Parameters must not repeat (${rfc(6749, '3.1')}). ${dpopUse('token')}`,
    tag: 'Authorization server',
    auth: CLIENT,
    body: {
      mediaType: 'form',
      required: true,
      // One body per grant registered in grants/registry.ts (RFC 6749 §4, §6): the list the endpoint dispatches on.
      schema: {
        oneOf: GRANT_TYPES.map((grant) => ref(tokenRequestName(grant))),
        discriminator: {
          propertyName: 'grant_type',
          mapping: Object.fromEntries(GRANT_TYPES.map((grant) => [grant, ref(tokenRequestName(grant)).$ref])),
        },
      },
      examples: {
        client_credentials: {
          summary: 'client_credentials for an API',
          description: m2m
            ? `Sent by \`${m2m.client_id}\` with HTTP Basic client authentication.`
            : 'Sent with HTTP Basic client authentication.',
          value: {
            grant_type: 'client_credentials',
            resource: firstApi?.identifier ?? issuer,
            scope: firstApi?.scopes[0]?.value ?? '',
          },
        },
        authorization_code: {
          summary: 'authorization_code with PKCE (public client)',
          value: {
            grant_type: 'authorization_code',
            code: 'the-code',
            redirect_uri: 'http://127.0.0.1:8400/callback',
            code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
            client_id: 'native-app',
          },
        },
        refresh_token: {
          summary: 'refresh_token (public client)',
          value: {grant_type: 'refresh_token', refresh_token: 'the-refresh-token', client_id: 'spa'},
        },
        device_code: {
          summary: 'device_code, polled by a device (public client)',
          value: {grant_type: DEVICE_CODE_GRANT_TYPE, device_code: 'the-device-code', client_id: 'tv-app'},
        },
      },
    },
    responses: {
      '200': {
        description: `Tokens (${rfc(6749, '5.1')}; ID token per ${oidcCore('3.1.3.3', 'TokenResponse')}).`,
        headers: {'Cache-Control': NO_STORE, Pragma: PRAGMA, 'DPoP-Nonce': DPOP_NONCE},
        content: json(ref('TokenResponse')),
      },
      '400': oauthError(
        `The request failed (${rfc(6749, '5.2')}; \`invalid_target\` per ${rfc(8707, '2')}). For the device code grant (${rfc(8628, '3.5')}): \`authorization_pending\` while the user has not yet answered, \`slow_down\` for a poll sooner than the interval, which then grows by 5 seconds, \`access_denied\` once the user has denied, \`expired_token\` once the device code has expired, and \`invalid_grant\` for a device code that is unknown, another client's or already redeemed. With DPoP (${rfc(9449, '5')}): \`invalid_dpop_proof\` for a proof that fails a check of ${rfc(9449, '4.3')} or was used before; \`use_dpop_nonce\`, with the nonce in \`DPoP-Nonce\`, when the client must send the server's nonce (${rfc(9449, '8')}); \`invalid_request\` for a \`dpop_bound_access_tokens\` client without a proof (${rfc(9449, '5.2')}); \`invalid_grant\` for a refresh token bound to another key.`,
        [
          'invalid_request',
          'invalid_grant',
          'unauthorized_client',
          'unsupported_grant_type',
          'invalid_scope',
          'invalid_target',
          'authorization_pending',
          'slow_down',
          'access_denied',
          'expired_token',
          'invalid_dpop_proof',
          'use_dpop_nonce',
        ],
        {
          'DPoP-Nonce': DPOP_NONCE,
          'Cache-Control': {
            description: `\`no-store\` on \`invalid_grant\`, whose request carried a credential, and on the device code grant's answers to a poll, which hold for that moment only (${rfc(8628, '3.5')}).`,
            schema: {type: 'string', const: 'no-store'},
          },
        },
      ),
      '401': invalidClient,
      ...storageErrors,
    },
  };
}

function userinfoRow(method: Method): EndpointRow {
  return {
    path: '/userinfo',
    method,
    operationId: `${method.toLowerCase()}Userinfo`,
    summary: method === 'GET' ? 'UserInfo' : 'UserInfo (form post)',
    description: `Claims about the user (${oidcCore('5.3', 'UserInfo')}), per granted scope (${oidcCore('5.4', 'ScopeClaims')}). Needs an access token with the \`openid\` scope${method === 'POST' ? `, in the \`Authorization\` header or as \`access_token\` in a form body (${rfc(6750, '2.2')}), not both` : ''}. ${dpopUse('resource')}`,
    tag: 'Authorization server',
    auth: {kind: 'bearer', scope: 'openid'},
    ...(method === 'POST'
      ? {
          body: {
            mediaType: 'form' as const,
            required: false,
            schema: {
              type: 'object',
              properties: {access_token: string(`The access token in the body (${rfc(6750, '2.2')}).`)},
            },
          },
        }
      : {}),
    responses: {
      '200': {description: 'The claims.', headers: {'Cache-Control': NO_STORE}, content: json(ref('UserInfo'))},
      ...bearerErrors('openid'),
    },
  };
}

export function tokenEndpointRows(context: DescriptionContext): EndpointRow[] {
  return [
    tokenRow(context),
    userinfoRow('GET'),
    userinfoRow('POST'),
    {
      path: '/revoke',
      method: 'POST',
      operationId: 'postRevoke',
      summary: 'Revoke a token',
      description: `Token revocation (${rfc(7009, '2')}). Revoking a refresh token revokes its whole grant, including the access tokens issued from it (${rfc(7009, '2.1')}). An unknown token still gets 200 (${rfc(7009, '2.2')}). A token issued to another client is refused with \`invalid_request\` when the caller authenticated (${rfc(7009, '2.1')}); a public client, which proves no identity, gets the unknown token's 200 and nothing is revoked.`,
      tag: 'Authorization server',
      auth: CLIENT,
      body: {
        mediaType: 'form',
        required: true,
        schema: {
          type: 'object',
          required: ['token'],
          properties: {
            token: string('The access or refresh token to revoke.'),
            token_type_hint: string(`A hint about the token's type (${rfc(7009, '2.1')}).`, {
              enum: ['access_token', 'refresh_token'],
            }),
            ...clientBodyAuth(),
          },
        },
        examples: {
          refresh: {
            summary: 'Revoke a refresh token (public client)',
            value: {token: 'the-refresh-token', token_type_hint: 'refresh_token', client_id: 'spa'},
          },
        },
      },
      responses: {
        '200': {
          description: `Revoked, or the token was unknown (${rfc(7009, '2.2')}). No body.`,
          headers: {'Cache-Control': NO_STORE},
        },
        '400': oauthError(
          `\`invalid_request\` (${rfc(6749, '5.2')}), also for a token issued to another client (${rfc(7009, '2.1')}), or \`unsupported_token_type\` for an unknown \`token_type_hint\` (${rfc(7009, '2.2.1')}).`,
          ['invalid_request', 'unsupported_token_type'],
        ),
        '401': invalidClient,
      },
    },
    {
      path: '/introspect',
      method: 'POST',
      operationId: 'postIntrospect',
      summary: 'Introspect a token',
      description: `Token introspection for protected resources (${rfc(7662, '2')}): confidential clients only (${rfc(7662, '2.1')}). Anything unknown, expired or revoked is \`{"active": false}\` (${rfc(7662, '2.2')}), and so is a token the caller may not ask about (${rfc(7662, '4')}): a client may introspect the tokens issued to it, and an API's resource server (\`calendar-api\` for the Calendar API) the tokens whose \`aud\` names its API.`,
      tag: 'Authorization server',
      auth: CLIENT,
      body: {
        mediaType: 'form',
        required: true,
        schema: {
          type: 'object',
          required: ['token'],
          properties: {
            token: string('The token to ask about.'),
            token_type_hint: string(`Only speeds up the lookup; both kinds are tried (${rfc(7662, '2.1')}).`, {
              enum: ['access_token', 'refresh_token'],
            }),
            ...clientBodyAuth(),
          },
        },
        examples: {
          access: {
            summary: 'Introspect an access token (with HTTP Basic client authentication)',
            value: {token: 'the-access-token'},
          },
        },
      },
      responses: {
        '200': {
          description: `The token's state (${rfc(7662, '2.2')}).`,
          headers: {'Cache-Control': NO_STORE},
          content: json(ref('IntrospectionResponse')),
        },
        '400': oauthError(`\`invalid_request\` (${rfc(6749, '5.2')}).`, ['invalid_request']),
        '401': invalidClient,
      },
    },
  ];
}
