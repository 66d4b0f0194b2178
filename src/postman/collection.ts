/**
 * Generates a Postman collection (format v2.1) for the Node sandbox (`npm run sandbox`) from the sandbox's
 * endpoints description (the rows its OpenAPI description is generated from too) and its demo world.
 * Every request is an instance of an endpoint row: its method and path are the row's, the status its
 * tests expect must be one the row documents, and a JSON answer is checked against the row's schema for
 * that status. The demo clients, users, APIs and API operations come from the catalog, so a new API
 * operation gets its requests without editing the folders (folders/).
 *
 * The output is deterministic (ids are derived from names), so a unit test can compare the committed file
 * with a fresh generation. `npm run postman:generate` writes it.
 */
import {createHash} from 'node:crypto';
import type {Schema} from '../contract/openapi';
import {buildCatalog, type Catalog} from '../sandbox/catalog';
import {describeEndpoints, type EndpointRow, type EndpointsDescription} from '../sandbox/endpoints-description';
import {apiFolders} from './folders/apis';
import {authorizationCodeFolders} from './folders/authorization-code';
import {deviceAuthorizationFolders} from './folders/device-authorization';
import {passwordFolders} from './folders/password-and-tokens';
import {pushedAuthorizationFolders} from './folders/pushed-authorization';
import {sandboxFolders} from './folders/sandbox-and-discovery';
import {tokenErrorFolders} from './folders/token-errors';
import {createScenario, type RequestSpec} from './scenario';
import {literal} from './scripts';

export const POSTMAN_SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';
/** The issuer of `npm run sandbox` at its default port; the `issuer` variable retargets every request. */
export const DEFAULT_ISSUER = 'http://localhost:4000/sandbox';
export const DEFAULT_SITE_URL = 'http://localhost:3000/';
/** Where the collection is committed, and so served from by the site. */
export const COLLECTION_PATH = 'static/postman/oauth-flows-sandbox.postman_collection.json';
/** A loopback redirect URI of the native-app client: any port matches (RFC 8252 §7.3), nothing listens. */
const LOOPBACK_REDIRECT = 'http://127.0.0.1:8765/callback';

interface KeyValue {
  key: string;
  value: string;
  description?: string;
}

interface PostmanUrl {
  raw: string;
  host: string[];
  path?: string[];
  query?: KeyValue[];
}

interface PostmanEvent {
  listen: 'prerequest' | 'test';
  script: {type: 'text/javascript'; exec: string[]};
}

interface PostmanRequestItem {
  id: string;
  name: string;
  event: PostmanEvent[];
  protocolProfileBehavior?: {followRedirects: boolean};
  request: {
    method: 'GET' | 'POST';
    description: string;
    header: KeyValue[];
    url: PostmanUrl;
    auth?:
      | {type: 'basic'; basic: {key: 'username' | 'password'; value: string; type: 'string'}[]}
      | {type: 'bearer'; bearer: {key: 'token'; value: string; type: 'string'}[]}
      | {type: 'noauth'};
    body?:
      {mode: 'urlencoded'; urlencoded: KeyValue[]} | {mode: 'raw'; raw: string; options: {raw: {language: 'json'}}};
  };
}

interface PostmanFolder {
  id: string;
  name: string;
  description: string;
  item: PostmanRequestItem[];
}

export interface PostmanCollection {
  info: {_postman_id: string; name: string; description: string; schema: typeof POSTMAN_SCHEMA};
  item: PostmanFolder[];
  auth: {type: 'noauth'};
  variable: (KeyValue & {type: 'string'})[];
}

/** A UUID-shaped id derived from a name, so that generating twice gives the same file. */
function stableId(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Inlines `#/components/schemas/…` references and drops what only documents (descriptions, examples,
 * formats), and the `const` and `enum` values that spell URLs of the issuer the description was built
 * for: `issuer` retargets the collection, and the tests compare those URLs with it instead.
 */
function resolveSchema(schema: unknown, description: EndpointsDescription): unknown {
  if (Array.isArray(schema)) return schema.map((entry) => resolveSchema(entry, description));
  if (!schema || typeof schema !== 'object') return schema;
  const record = schema as Schema;
  if (typeof record.$ref === 'string') {
    const name = record.$ref.replace('#/components/schemas/', '');
    const target = description.schemas[name];
    if (!target) throw new Error(`unknown schema reference ${record.$ref}`);
    return resolveSchema(target, description);
  }
  const out: Schema = {};
  for (const [key, value] of Object.entries(record)) {
    if (key === 'description' || key === 'examples' || key === 'format') continue;
    if ((key === 'const' || key === 'enum') && JSON.stringify(value).includes(description.issuer)) continue;
    // `properties` maps names to schemas: keep every name, resolve each schema.
    out[key] =
      key === 'properties'
        ? Object.fromEntries(
            Object.entries(value as Schema).map(([name, property]) => [name, resolveSchema(property, description)]),
          )
        : resolveSchema(value, description);
  }
  return out;
}

/**
 * Checks a request against its endpoint row (the method and path it is an instance of, a status the row
 * documents, credentials of the kind the row takes) and turns it into Postman's shape.
 */
function toPostman(description: EndpointsDescription, key: string, spec: RequestSpec): PostmanRequestItem {
  const row: EndpointRow | undefined = description.rows.find((candidate) => candidate.operationId === spec.operation);
  if (!row) throw new Error(`${spec.operation} is not an operation of the endpoints description (${spec.name})`);
  const response = row.responses[String(spec.status)];
  if (!response) throw new Error(`${row.operationId} does not document ${spec.status} (${spec.name})`);
  if (spec.bearer !== undefined && row.auth.kind !== 'bearer')
    throw new Error(`${row.operationId} takes no bearer token (${spec.name})`);
  if (spec.basic !== undefined && row.auth.kind !== 'client')
    throw new Error(`${row.operationId} takes no client authentication (${spec.name})`);
  const schema = response.content?.['application/json']?.schema;
  const schemaTest = schema
    ? [
        `pm.test('the body matches the OpenAPI schema of ${row.operationId} ${spec.status}', () => pm.response.to.have.jsonSchema(${literal(resolveSchema(schema, description))}));`,
      ]
    : [];
  const raw = spec.url ?? `{{issuer}}${row.path}`;
  const query = spec.query?.map(([key, value]) => ({key, value}));
  const url: PostmanUrl = {
    raw: query ? `${raw}?${query.map(({key, value}) => `${key}=${value}`).join('&')}` : raw,
    host: [raw.split('/')[0]],
    ...(raw.includes('/') ? {path: raw.split('/').slice(1)} : {}),
    ...(query ? {query} : {}),
  };
  if (spec.url === undefined) {
    url.host = ['{{issuer}}'];
    url.path = row.path.split('/').slice(1);
  }
  const header: KeyValue[] = (spec.headers ?? []).map(([key, value]) => ({key, value}));
  let body: PostmanRequestItem['request']['body'];
  if (spec.form) {
    header.push({key: 'Content-Type', value: 'application/x-www-form-urlencoded'});
    body = {mode: 'urlencoded', urlencoded: spec.form.map(([key, value]) => ({key, value}))};
  } else if (spec.json !== undefined) {
    header.push({key: 'Content-Type', value: 'application/json'});
    body = {mode: 'raw', raw: JSON.stringify(spec.json, null, 2), options: {raw: {language: 'json'}}};
  }
  const auth: PostmanRequestItem['request']['auth'] = spec.basic
    ? {
        type: 'basic',
        basic: [
          {key: 'username', value: spec.basic[0], type: 'string'},
          {key: 'password', value: spec.basic[1], type: 'string'},
        ],
      }
    : spec.bearer
      ? {type: 'bearer', bearer: [{key: 'token', value: spec.bearer, type: 'string'}]}
      : {type: 'noauth'};
  const event: PostmanEvent[] = [];
  if (spec.prerequest) event.push({listen: 'prerequest', script: {type: 'text/javascript', exec: spec.prerequest}});
  event.push({
    listen: 'test',
    script: {type: 'text/javascript', exec: [...spec.tests, ...schemaTest].flatMap((line) => line.split('\n'))},
  });
  return {
    id: stableId(key),
    name: spec.name,
    event,
    ...(spec.noRedirects ? {protocolProfileBehavior: {followRedirects: false}} : {}),
    request: {
      method: row.method,
      description: `${spec.description}\n\nOpenAPI operation \`${row.operationId}\`.`,
      header,
      url,
      auth,
      ...(body ? {body} : {}),
    },
  };
}

export function buildPostmanCollection(description: EndpointsDescription, catalog: Catalog): PostmanCollection {
  const scenario = createScenario(description, catalog);
  const {issuer, m2m, passwordClient, introspector, native, device, user} = scenario;
  const parClient = catalog.clients.find((client) => client.require_pushed_authorization_requests && !client.lab);
  if (!parClient) throw new Error('the catalog has no client that must push its authorization requests');
  const variables: [string, string, string][] = [
    [
      'issuer',
      issuer,
      'The sandbox issuer. `npm run sandbox -- --port N` serves http://localhost:N/sandbox; newman --env-var issuer=… retargets the collection.',
    ],
    ['m2m_client_id', m2m.client_id, `${m2m.client_name}: client_credentials, client_secret_basic.`],
    ['m2m_client_secret', m2m.client_secret ?? '', 'Its secret (sandbox only, listed in the catalog).'],
    [
      'password_client_id',
      passwordClient.client_id,
      `${passwordClient.client_name}: password and refresh_token, client_secret_post.`,
    ],
    ['password_client_secret', passwordClient.client_secret ?? '', 'Its secret.'],
    [
      'resource_server_client_id',
      introspector.client_id,
      `${introspector.client_name}: authenticates at the introspection endpoint.`,
    ],
    ['resource_server_client_secret', introspector.client_secret ?? '', 'Its secret.'],
    ['native_client_id', native.client_id, `${native.client_name}: a public client, authorization code with PKCE.`],
    [
      'native_redirect_uri',
      LOOPBACK_REDIRECT,
      'A loopback redirect URI: any port matches (RFC 8252 §7.3); nothing needs to listen, the code is read from the Location header.',
    ],
    [
      'device_client_id',
      device.client_id,
      `${device.client_name}: a public client of the Device Authorization Grant (RFC 8628).`,
    ],
    [
      'par_client_id',
      parClient.client_id,
      `${parClient.client_name}: confidential, client_secret_basic, must push its authorization requests (RFC 9126 §6).`,
    ],
    ['par_client_secret', parClient.client_secret ?? '', 'Its secret.'],
    ['par_redirect_uri', scenario.templated(parClient.redirect_uris[0] ?? ''), 'Its registered redirect URI.'],
    ['username', user.username, `A demo user (${user.name}).`],
    ['password', user.password, 'Their password.'],
  ];

  const folders = [
    ...sandboxFolders(),
    ...apiFolders(scenario),
    ...passwordFolders(scenario),
    ...tokenErrorFolders(scenario),
    ...authorizationCodeFolders(scenario),
    ...deviceAuthorizationFolders(scenario),
    ...pushedAuthorizationFolders(),
  ];
  const items: PostmanFolder[] = folders.map(({name, description: text, requests}) => ({
    id: stableId(`folder ${name}`),
    name,
    description: text,
    item: requests.map((request) => toPostman(description, `${name} / ${request.name}`, request)),
  }));

  return {
    info: {
      _postman_id: stableId(`collection ${description.info.title}`),
      name: 'OAuth 2.0 Flows, Live: sandbox',
      description: [
        `Every endpoint of the sandbox authorization server of "OAuth 2.0 Flows, Live" and every operation of its demo APIs, with tests. Generated from the sandbox's OpenAPI description (\`{{issuer}}/openapi.json\`) and demo world (\`{{issuer}}/catalog\`).`,
        '',
        `Start the sandbox from a checkout of the site with \`npm run sandbox\` (issuer \`${DEFAULT_ISSUER}\`). On another port, set the collection variable \`issuer\`, or run \`newman run <file> --env-var issuer=http://localhost:N/sandbox\`.`,
        '',
        'Run the folders in order: the first request resets the sandbox, and later requests use the tokens earlier ones saved in collection variables. The authorization code flow and the device authorization grant are included, with requests playing the browser (its sign-in session is a cookie kept within the run); the polls of a device that must wait the interval do so in their pre-request scripts.',
      ].join('\n'),
      schema: POSTMAN_SCHEMA,
    },
    item: items,
    auth: {type: 'noauth'},
    variable: variables.map(([key, value, text]) => ({key, value, type: 'string', description: text})),
  };
}

/** The committed file's text: the collection for the default issuer, as formatted JSON. */
export function renderPostmanCollection(): string {
  const catalog = buildCatalog(DEFAULT_ISSUER, DEFAULT_SITE_URL);
  return `${JSON.stringify(buildPostmanCollection(describeEndpoints(DEFAULT_ISSUER, catalog), catalog), null, 2)}\n`;
}
