/** Rows: the sandbox's own endpoints, which no authorization server has (the demo world, reset, the description). */
import {json, oauthError, ref} from './parts';
import type {EndpointRow} from './types';

const PUBLIC = {kind: 'public'} as const;

export function sandboxRows(): EndpointRow[] {
  return [
    {
      path: '/catalog',
      method: 'GET',
      operationId: 'getCatalog',
      summary: 'The demo world',
      description:
        'The registered clients (with their secrets), the users (with their passwords) and the APIs with their identifiers, scopes and operations. Sandbox only: everything in it is public on purpose.',
      tag: 'Sandbox',
      auth: PUBLIC,
      responses: {'200': {description: 'The catalog.', content: json(ref('Catalog'))}},
    },
    {
      path: '/reset',
      method: 'POST',
      operationId: 'postReset',
      summary: 'Reset the sandbox',
      description:
        'Wipes sessions, codes, tokens, consents and signing keys. Needs `Sandbox-Reset: confirm`, which no HTML form can send; refused for a request the browser marks as cross-site (`Sec-Fetch-Site: cross-site`). Sandbox only.',
      tag: 'Sandbox',
      auth: PUBLIC,
      parameters: [
        {
          name: 'Sandbox-Reset',
          in: 'header',
          required: true,
          description: 'Must be `confirm`.',
          schema: {type: 'string', enum: ['confirm']},
        },
      ],
      responses: {
        '200': {
          description: 'Reset.',
          content: json({type: 'object', required: ['reset'], properties: {reset: {const: true}}}),
        },
        '403': oauthError('A cross-site request, or no `Sandbox-Reset: confirm`: `access_denied`.', ['access_denied']),
      },
    },
    {
      path: '/openapi.json',
      method: 'GET',
      operationId: 'getOpenapi',
      summary: 'This description',
      description: 'The OpenAPI 3.1 description of the sandbox, for this issuer.',
      tag: 'Sandbox',
      auth: PUBLIC,
      responses: {
        '200': {
          description: 'An OpenAPI 3.1 document.',
          content: json({type: 'object', required: ['openapi'], properties: {openapi: {type: 'string'}}}),
        },
      },
    },
  ];
}
