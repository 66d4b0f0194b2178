/**
 * Rows: the demo APIs (resource servers), each with a public index of its operations and its operations,
 * which need a bearer token for the API's audience with the operation's scope (RFC 6750 §2.1, §3.1). The
 * catalog gives methods, URLs and scopes; the bodies' shapes are here.
 */
import type {Schema} from '../../contract/openapi';
import type {ApiOperation} from '../catalog';
import {bearerErrors, dpopUse, json, ref, rfc, string} from './parts';
import type {DescriptionContext, EndpointRow} from './types';

const operationId = (method: string, path: string) =>
  method.toLowerCase() +
  path
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');

/** The demo APIs' response bodies, by operation (the catalog gives methods, URLs and scopes; shapes live here). */
function apiOperationSchemas(operation: ApiOperation): {status: '200' | '201'; schema: Schema; body?: Schema} {
  const caller: Schema = {
    type: 'object',
    required: ['sub', 'client_id'],
    properties: {
      sub: string("The access token's subject: a user, or the client itself for client_credentials (RFC 9068 §2.2)."),
      client_id: string('The client the token was issued to.'),
    },
  };
  const path = new URL(operation.url).pathname;
  if (path.endsWith('/events') && operation.method === 'POST') {
    return {
      status: '201',
      schema: {type: 'object', required: ['caller', 'event'], properties: {caller, event: ref('CalendarEvent')}},
      body: {
        type: 'object',
        required: ['title', 'start'],
        properties: {
          title: string("The event's title.", {maxLength: 200}),
          start: string('When it starts, an ISO 8601 date-time.', {format: 'date-time'}),
        },
      },
    };
  }
  if (path.endsWith('/events')) {
    return {
      status: '200',
      schema: {
        type: 'object',
        required: ['caller', 'events'],
        properties: {caller, events: {type: 'array', items: ref('CalendarEvent')}},
      },
    };
  }
  if (path.endsWith('/people')) {
    return {
      status: '200',
      schema: {
        type: 'object',
        required: ['caller', 'people'],
        properties: {
          caller,
          people: {
            type: 'array',
            items: {
              type: 'object',
              required: ['id', 'name'],
              properties: {id: {type: 'string'}, name: {type: 'string'}, email: {type: 'string'}},
            },
          },
        },
      },
    };
  }
  return {status: '200', schema: {type: 'object'}};
}

/** The path of a catalog URL relative to the issuer (the demo APIs are served under it). */
export function relativeTo(issuer: string, url: string): string {
  return url.startsWith(issuer) ? url.slice(issuer.length) || '/' : new URL(url).pathname;
}

export function apiRows({issuer, catalog}: DescriptionContext): EndpointRow[] {
  const rows: EndpointRow[] = [];
  for (const api of catalog.apis) {
    rows.push({
      path: relativeTo(issuer, api.base_url),
      method: 'GET',
      operationId: operationId('get', `${api.id} index`),
      summary: `${api.name}: its operations`,
      description: `What the ${api.name} offers, each operation with the scope its access token needs. Public; the operations themselves need a bearer token (${rfc(6750, '2.1')}).`,
      tag: api.name,
      auth: {kind: 'public'},
      responses: {
        '200': {
          description: 'The operations.',
          content: json({
            type: 'object',
            required: ['name', 'identifier', 'scopes', 'operations'],
            properties: {
              name: {type: 'string'},
              identifier: {type: 'string', format: 'uri'},
              scopes: {type: 'array', items: ref('ScopeDescription')},
              operations: {type: 'array', items: ref('ApiOperation')},
            },
          }),
        },
      },
    });
    for (const operation of api.operations) {
      const path = relativeTo(issuer, operation.url);
      const shapes = apiOperationSchemas(operation);
      rows.push({
        path,
        method: operation.method,
        operationId: operationId(operation.method, `${api.id} ${path.split('/').pop()}`),
        summary: `${api.name}: ${operation.description}`,
        description: `${operation.description}. Needs an access token for the audience \`${api.identifier}\` with the \`${operation.scope}\` scope, sent as \`Authorization: Bearer\` (${rfc(6750, '2.1')}). ${dpopUse('resource')}`,
        tag: api.name,
        auth: {kind: 'bearer', scope: operation.scope},
        ...(shapes.body
          ? {
              body: {
                mediaType: 'json' as const,
                required: true,
                schema: shapes.body,
                examples: {event: {summary: 'An event', value: {title: 'Tea party', start: '2030-05-04T16:00:00Z'}}},
              },
            }
          : {}),
        responses: {
          [shapes.status]: {
            description: shapes.status === '201' ? 'Created.' : 'The result.',
            content: json(shapes.schema),
          },
          ...bearerErrors(operation.scope),
        },
      });
    }
  }
  return rows;
}
