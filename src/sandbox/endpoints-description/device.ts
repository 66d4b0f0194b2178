/**
 * Rows: the Device Authorization Grant (RFC 8628): the device authorization endpoint (§3.1) and the user's
 * pages at the verification URI (§3.3). The grant's token request is with the others (token-requests.ts).
 */
import type {Parameter} from '../../contract/openapi';
import {
  clientBodyAuth,
  html,
  invalidClient,
  json,
  NO_STORE,
  oauthError,
  PRAGMA,
  rfc,
  storageErrors,
  string,
} from './parts';
import type {DescriptionContext, EndpointRow} from './types';

const PUBLIC = {kind: 'public'} as const;
const TAG = 'Authorization server';

function deviceAuthorizationRow(context: DescriptionContext): EndpointRow {
  const {allScopes, apiIdentifiers} = context;
  return {
    path: '/device_authorization',
    method: 'POST',
    operationId: 'postDeviceAuthorization',
    summary: 'Device authorization request',
    description: `A device without a usable browser asks for a device code and a user code (${rfc(8628, '3.1')}). Clients authenticate as at the token endpoint: a public client sends its \`client_id\`. \`scope\` and \`resource\` / \`audience\` are checked as at the authorization endpoint.`,
    tag: TAG,
    auth: {kind: 'client'},
    body: {
      mediaType: 'form',
      required: true,
      schema: {
        type: 'object',
        properties: {
          scope: string(`Space-separated scopes (${rfc(6749, '3.3')}).`, {
            examples: [Object.keys(allScopes).join(' ')],
          }),
          resource: string(`The API the token is for (${rfc(8707, '2')}).`, {enum: apiIdentifiers}),
          audience: string('The API the token is for, as an alternative to `resource`.', {enum: apiIdentifiers}),
          ...clientBodyAuth(),
        },
      },
      examples: {
        tv: {
          summary: 'A public TV app',
          value: {
            client_id: 'tv-app',
            scope: 'openid profile offline_access calendar:read',
            audience: apiIdentifiers[0] ?? '',
          },
        },
      },
    },
    responses: {
      '200': {
        description: `The codes (${rfc(8628, '3.2')}). The user code is 8 letters of \`BCDFGHJKLMNPQRSTVWXZ\`, shown as \`WDJB-MJHT\` (${rfc(8628, '6.1')}).`,
        headers: {'Cache-Control': NO_STORE, Pragma: PRAGMA},
        content: json({
          type: 'object',
          required: ['device_code', 'user_code', 'verification_uri', 'expires_in'],
          properties: {
            device_code: string('The device code the device polls with.'),
            user_code: string('The code the user enters.', {
              pattern: '^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$',
            }),
            verification_uri: string('Where the user enters it.', {format: 'uri'}),
            verification_uri_complete: string('The same, with the user code in it.', {format: 'uri'}),
            expires_in: {type: 'integer', description: 'Seconds the codes live.'},
            interval: {type: 'integer', description: 'Seconds to wait between polls.'},
          },
        }),
      },
      '400': oauthError(`The request failed (${rfc(6749, '5.2')}; \`invalid_target\` per ${rfc(8707, '2')}).`, [
        'invalid_request',
        'unauthorized_client',
        'invalid_scope',
        'invalid_target',
      ]),
      '401': invalidClient,
      ...storageErrors,
      '503': {
        ...storageErrors['503']!,
        description: `Too many device codes are live, or a storage transaction was cut short: \`temporarily_unavailable\`. Try again after \`Retry-After\`.`,
      },
    },
  };
}

function pageRows(): EndpointRow[] {
  const page = html('The page.');
  const stepParameters: Parameter[] = [
    {
      name: 'id',
      in: 'path',
      required: true,
      description: "The user's way through the steps.",
      schema: {type: 'string'},
    },
    {
      name: 'step',
      in: 'path',
      required: true,
      description: 'Sign in, confirm the device, consent.',
      schema: {type: 'string', enum: ['login', 'confirm', 'consent']},
    },
  ];
  const next = {
    description: 'On to the next step.',
    headers: {Location: {description: 'The next URL.', required: true, schema: {type: 'string'}}},
  };
  return [
    {
      path: '/device',
      method: 'GET',
      operationId: 'getDevicePage',
      summary: "Enter a device's code",
      description: `The verification URI (${rfc(8628, '3.3')}): a form for the user code, prefilled from \`user_code\` (${rfc(8628, '3.3.1')}).`,
      tag: TAG,
      auth: PUBLIC,
      parameters: [
        {name: 'user_code', in: 'query', required: false, description: 'The user code.', schema: {type: 'string'}},
      ],
      responses: {'200': page},
    },
    {
      path: '/device',
      method: 'POST',
      operationId: 'postDevicePage',
      summary: "Enter a device's code: submit",
      description: `Checks the user code, case and dash ignored. Wrong codes are limited per browser and in all (${rfc(8628, '5.1')}): past the limit, entering codes is paused (429).`,
      tag: TAG,
      auth: PUBLIC,
      body: {
        mediaType: 'form',
        required: true,
        schema: {type: 'object', properties: {user_code: string('The user code.')}},
      },
      responses: {'200': page, '303': next, '400': page, '429': page},
    },
    {
      path: '/device/{id}/{step}',
      method: 'GET',
      operationId: 'getDeviceStepPage',
      summary: 'Device approval step',
      description: `Sign in, then confirm that the device is in front of you (${rfc(8628, '5.4')}), then consent.`,
      tag: TAG,
      auth: PUBLIC,
      parameters: stepParameters,
      responses: {'200': page, '303': next, '400': page, '404': page},
    },
    {
      path: '/device/{id}/{step}',
      method: 'POST',
      operationId: 'postDeviceStepPage',
      summary: 'Device approval step: submit',
      description:
        'The form carries a CSRF token. The last step shows the outcome; the device learns it on its next poll.',
      tag: TAG,
      auth: PUBLIC,
      parameters: stepParameters,
      body: {mediaType: 'form', required: true, schema: {type: 'object'}},
      responses: {'200': page, '303': next, '400': page, '404': page},
    },
  ];
}

export function deviceRows(context: DescriptionContext): EndpointRow[] {
  return [deviceAuthorizationRow(context), ...pageRows()];
}
