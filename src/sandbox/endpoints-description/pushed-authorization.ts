/**
 * Row: the pushed authorization request endpoint (RFC 9126 §2), where a client sends its authorization
 * request straight to the sandbox, authenticated, and gets a one-time `request_uri` to send the browser
 * with instead (§4).
 */
import type {Schema} from '../../contract/openapi';
import {
  clientBodyAuth,
  invalidClient,
  json,
  NO_STORE,
  oauthError,
  PRAGMA,
  ref,
  rfc,
  storageErrors,
  string,
} from './parts';
import type {DescriptionContext, EndpointRow} from './types';

/** As par.ts hands them out (written out, as JWT_BEARER_ASSERTION in parts.ts is, and checked by its test). */
export const REQUEST_URI_PREFIX = 'urn:ietf:params:oauth:request_uri:';
export const PUSHED_REQUEST_LIFETIME = 60;

/** The §2.2 answer, a `#/components/schemas` entry. */
export function pushedAuthorizationResponse(): Schema {
  return {
    type: 'object',
    description: `The pushed authorization response (${rfc(9126, '2.2')}).`,
    required: ['request_uri', 'expires_in'],
    properties: {
      request_uri: string(
        `Stands for the pushed request at the authorization endpoint, sent there with \`client_id\` alone (${rfc(9126, '4')}). Used once.`,
        {pattern: `^${REQUEST_URI_PREFIX}`},
      ),
      expires_in: {
        type: 'integer',
        minimum: 1,
        description: `Seconds the request_uri can be used: ${PUSHED_REQUEST_LIFETIME}.`,
      },
    },
  };
}

export function pushedAuthorizationRow({catalog, apiIdentifiers}: DescriptionContext): EndpointRow {
  const client = catalog.clients.find((candidate) => candidate.require_pushed_authorization_requests);
  return {
    path: '/par',
    method: 'POST',
    operationId: 'postPushedAuthorizationRequest',
    summary: 'Pushed authorization request',
    description: `The pushed authorization request endpoint (${rfc(9126, '2')}): the client sends the parameters of an authorization request here, authenticated as at the token endpoint (a public client sends its \`client_id\`), instead of in the browser's URL. They are checked as the authorization endpoint checks them (${rfc(9126, '2.1')}); the answer is a \`request_uri\` for the authorization endpoint, used once (${rfc(9126, '4')}). Clients registered with \`require_pushed_authorization_requests\` (${rfc(9126, '6')}) must use it.`,
    tag: 'Authorization server',
    auth: {kind: 'client'},
    body: {
      mediaType: 'form',
      required: true,
      schema: {
        type: 'object',
        required: ['response_type', 'redirect_uri'],
        properties: {
          response_type: string('As at the authorization endpoint: `code`, or `id_token` / `id_token token`.'),
          redirect_uri: string("One of the client's registered redirect URIs.", {format: 'uri'}),
          scope: string(`Space-separated scopes (${rfc(6749, '3.3')}).`),
          state: string(`Returned unchanged in the authorization response (${rfc(6749, '4.1.1')}).`),
          code_challenge: string(`PKCE challenge, required with \`response_type=code\` (${rfc(7636, '4.3')}).`),
          code_challenge_method: string(`Only \`S256\` (${rfc(7636, '4.3')}).`, {enum: ['S256']}),
          resource: string(`The API the access token is for (${rfc(8707, '2')}).`, {enum: apiIdentifiers}),
          audience: string('The API the access token is for, as an alternative to `resource`.', {
            enum: apiIdentifiers,
          }),
          ...clientBodyAuth(),
        },
      },
      examples: {
        confidential: {
          summary: 'A confidential web app (with HTTP Basic)',
          value: {
            response_type: 'code',
            redirect_uri: client?.redirect_uris[0] ?? '',
            scope: 'openid profile',
            state: 'af0ifjsldkj',
            code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
            code_challenge_method: 'S256',
          },
        },
      },
    },
    responses: {
      '201': {
        description: `The request_uri and how long it lives (${rfc(9126, '2.2')}).`,
        headers: {'Cache-Control': NO_STORE, Pragma: PRAGMA},
        content: json(ref('PushedAuthorizationResponse')),
      },
      '400': oauthError(
        `The request failed the authorization endpoint's checks, answered as JSON (${rfc(9126, '2.3')}): \`invalid_request\` (also for a \`request_uri\` in the body, ${rfc(9126, '2.1')}, and for a \`redirect_uri\` that is not registered), \`unauthorized_client\`, \`unsupported_response_type\`, \`invalid_scope\`, \`invalid_target\` (${rfc(8707, '2')}), \`request_not_supported\` for a request object (${rfc(9126, '3')}).`,
        [
          'invalid_request',
          'unauthorized_client',
          'unsupported_response_type',
          'invalid_scope',
          'invalid_target',
          'request_not_supported',
        ],
      ),
      '401': invalidClient,
      ...storageErrors,
      '503': {
        ...storageErrors['503']!,
        description: `Too many pushed requests are waiting at once, or a storage transaction was cut short: \`temporarily_unavailable\` (${rfc(6749, '4.1.2.1')}). Try again after \`Retry-After\`.`,
      },
    },
  };
}
