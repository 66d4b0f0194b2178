/**
 * Rows: the Device Authorization Grant's endpoint (RFC 8628 §3.1, §3.2), where a device with no browser,
 * or none the user can type on, asks for a device code and a user code. The token request that redeems the
 * device code is one of the token endpoint's bodies (token-requests.ts), with the §3.5 errors its row lists.
 */
import type {Parameter, Schema} from '../../contract/openapi';
import {
  clientBodyAuth,
  html,
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

/** RFC 8628 §6.1: eight characters of a base-20 alphabet without vowels, shown as two groups of four. */
export const USER_CODE_PATTERN = '^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$';

/** The §3.2 answer, a `#/components/schemas` entry. */
export function deviceAuthorizationResponse(): Schema {
  return {
    type: 'object',
    description: `The device authorization response (${rfc(8628, '3.2')}).`,
    required: ['device_code', 'user_code', 'verification_uri', 'expires_in'],
    properties: {
      device_code: string(
        `The device verification code: high entropy, known to the device only, redeemed once at the token endpoint (${rfc(8628, '3.4')}, ${rfc(8628, '5.2')}).`,
      ),
      user_code: string(
        `The code the user types on the verification page: 8 letters without vowels, shown as \`WDJB-MJHT\` and accepted in any case, with or without the dash (${rfc(8628, '6.1')}).`,
        {pattern: USER_CODE_PATTERN},
      ),
      verification_uri: string(`The page where the user enters the code (${rfc(8628, '3.3')}).`, {format: 'uri'}),
      verification_uri_complete: string(
        `The same page with the code filled in, for a QR code or a link the device can show (${rfc(8628, '3.3.1')}).`,
        {format: 'uri'},
      ),
      expires_in: {
        type: 'integer',
        minimum: 1,
        description: 'Seconds until the device code and the user code expire.',
      },
      interval: {
        type: 'integer',
        minimum: 1,
        description: `Seconds the device waits between two token requests (${rfc(8628, '3.5')}).`,
      },
    },
  };
}

function deviceAuthorizationRow({catalog, allScopes, apiIdentifiers}: DescriptionContext): EndpointRow {
  const device = catalog.clients.find((client) => client.device_flow && client.type === 'public');
  return {
    path: '/device_authorization',
    method: 'POST',
    operationId: 'postDeviceAuthorization',
    summary: 'Device authorization request',
    description: `The device authorization endpoint (${rfc(8628, '3.1')}): a device with no browser, or none the user can type on, asks for a device code and a user code, shows the user code and the verification URI, then polls the token endpoint with the device code until the user has approved on another device (${rfc(8628, '3.4')}). Clients authenticate as at the token endpoint; a public client sends its \`client_id\` (${rfc(6749, '2.3')}). \`scope\` and \`resource\` or \`audience\` are those of an authorization request.`,
    tag: 'Authorization server',
    auth: {kind: 'client'},
    body: {
      mediaType: 'form',
      required: true,
      schema: {
        type: 'object',
        properties: {
          scope: string(
            `Space-separated scopes (${rfc(6749, '3.3')}); \`offline_access\` asks for a refresh token, so the user approves once.`,
            {examples: [Object.keys(allScopes).join(' ')]},
          ),
          resource: string(`The API the access token is for (${rfc(8707, '2')}).`, {enum: apiIdentifiers}),
          audience: string(
            'The API the access token is for, as an alternative to `resource`; one of the two, not both.',
            {
              enum: apiIdentifiers,
            },
          ),
          ...clientBodyAuth(),
        },
      },
      examples: {
        public: {
          summary: 'A public device client',
          value: {client_id: device?.client_id ?? 'tv-app', scope: 'openid profile offline_access'},
        },
      },
    },
    responses: {
      '200': {
        description: `The codes and where the user enters them (${rfc(8628, '3.2')}).`,
        headers: {'Cache-Control': NO_STORE, Pragma: PRAGMA},
        content: json(ref('DeviceAuthorizationResponse')),
      },
      '400': oauthError(
        `The request failed (${rfc(8628, '3.2')}, with the codes of ${rfc(6749, '5.2')}; \`invalid_target\` per ${rfc(8707, '2')}): \`unauthorized_client\` for a client not registered for the device grant.`,
        ['invalid_request', 'unauthorized_client', 'invalid_scope', 'invalid_target'],
      ),
      '401': invalidClient,
      ...storageErrors,
      '503': {
        ...storageErrors['503']!,
        description: `Too many device codes are live at once, or a storage transaction was cut short: \`temporarily_unavailable\` (${rfc(6749, '4.1.2.1')}). Try again after \`Retry-After\`.`,
      },
    },
  };
}

const PUBLIC = {kind: 'public'} as const;
const NEXT_STEP = {
  description: 'The step the user is at: sign in, confirm or consent.',
  headers: {Location: {description: 'The step page.', required: true, schema: {type: 'string'}}},
};

/** The pages where the user enters the code, then signs in, confirms the device and consents (RFC 8628 §3.3). */
function verificationRows(): EndpointRow[] {
  const enterPage = html('The page that asks for the code shown on the device.');
  const stepParameters: Parameter[] = [
    {
      name: 'id',
      in: 'path',
      required: true,
      description: "This browser's way through the steps for one device code.",
      schema: {type: 'string'},
    },
    {
      name: 'step',
      in: 'path',
      required: true,
      description: `\`login\` (skipped when already signed in), \`confirm\` (${rfc(8628, '5.4')}), \`consent\`.`,
      schema: {type: 'string', enum: ['login', 'confirm', 'consent']},
    },
  ];
  const gone = html('An unknown or expired step, or a device code that expired or was used: the code page again.');
  const noSuchStep = html('No such step: the code page again.');
  return [
    {
      path: '/device',
      method: 'GET',
      operationId: 'getDevicePage',
      summary: 'Device verification page',
      description: `The \`verification_uri\` (${rfc(8628, '3.3')}): the user, on a phone or computer, enters the code the device shows. \`verification_uri_complete\` adds \`?user_code=\`, which fills it in (${rfc(8628, '3.3.1')}).`,
      tag: 'Authorization server',
      auth: PUBLIC,
      parameters: [
        {
          name: 'user_code',
          in: 'query',
          description: `The code, filled in for the user to check (${rfc(8628, '3.3.1')}).`,
          schema: {type: 'string'},
        },
      ],
      responses: {'200': enterPage},
    },
    {
      path: '/device',
      method: 'POST',
      operationId: 'postDevicePage',
      summary: 'Device verification page: submit the code',
      description: `Checks the code, in any case and with or without its dash (${rfc(8628, '6.1')}), and goes on to the steps. Wrong codes are limited per browser and in all, since a short code could be guessed (${rfc(8628, '5.1')}). The form must come from the sandbox's own page.`,
      tag: 'Authorization server',
      auth: PUBLIC,
      body: {
        mediaType: 'form',
        required: true,
        schema: {
          type: 'object',
          required: ['user_code'],
          properties: {user_code: string('The code the device shows, such as `WDJB-MJHT`.')},
        },
      },
      responses: {
        '200': html('The page again, saying the code is not one, or is unknown or expired.'),
        '303': NEXT_STEP,
        '400': html("A form that was not sent by the sandbox's own page."),
        '429': {
          ...html(`Too many wrong codes: entering codes is paused (${rfc(8628, '5.1')}).`),
          headers: {
            'Retry-After': {
              description: `Seconds until codes may be entered again (${rfc(9110, '10.2.3')}).`,
              schema: {type: 'string'},
            },
          },
        },
      },
    },
    {
      path: '/device/{id}/{step}',
      method: 'GET',
      operationId: 'getDeviceStepPage',
      summary: 'Device verification step',
      description: `A step of the user's approval: the sign-in page, the confirmation that names the client and the code and asks whether the user started this on a device in front of them (${rfc(8628, '5.4')}), or the consent page.`,
      tag: 'Authorization server',
      auth: PUBLIC,
      parameters: stepParameters,
      responses: {'200': html('The step page.'), '303': NEXT_STEP, '400': gone, '404': noSuchStep},
    },
    {
      path: '/device/{id}/{step}',
      method: 'POST',
      operationId: 'postDeviceStepPage',
      summary: 'Device verification step: submit',
      description: `Signs in, confirms (\`decision=yes\` or \`no\`) or consents (\`decision=allow\` or \`deny\`). The forms carry a CSRF value. Allowing ends on a page saying the device is connected; "no" or "deny" on one saying nothing was shared, and the device's next poll gets \`access_denied\` (${rfc(8628, '3.5')}). Nothing is redirected: the flow has no redirect URI.`,
      tag: 'Authorization server',
      auth: PUBLIC,
      parameters: stepParameters,
      body: {mediaType: 'form', required: true, schema: {type: 'object'}},
      responses: {
        '200': html('The last page (connected, or nothing shared), or the sign-in page again after a wrong password.'),
        '303': NEXT_STEP,
        '400': gone,
        '404': noSuchStep,
      },
    },
  ];
}

export function deviceAuthorizationRows(context: DescriptionContext): EndpointRow[] {
  return [deviceAuthorizationRow(context), ...verificationRows()];
}
