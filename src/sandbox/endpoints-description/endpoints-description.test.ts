import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {buildCatalog} from '../catalog';
import {GRANTS} from '../grants/registry';
import {GRANT_TYPES} from '../grants/grant-types';
import {describeEndpoints} from '.';
import {tokenRequestName} from './parts';
import {toOpenApi} from './to-openapi';

const ISSUER = 'https://as.example/sandbox';
const catalog = buildCatalog(ISSUER, 'https://site.example/');
const description = describeEndpoints(ISSUER, catalog);
const document = toOpenApi(description);

/** Every `$ref` in a value. */
function refs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refs);
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, entry]) =>
    key === '$ref' && typeof entry === 'string' ? [entry] : refs(entry),
  );
}

describe('endpoints description', () => {
  it('has one row per method and path, each with its own operationId', () => {
    const keys = description.rows.map((row) => `${row.method} ${row.path}`);
    assert.equal(new Set(keys).size, keys.length);
    const ids = description.rows.map((row) => row.operationId);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('describes every API operation of the catalog', () => {
    for (const operation of catalog.apis.flatMap((api) => api.operations)) {
      const path = operation.url.slice(ISSUER.length);
      assert.ok(
        description.rows.some((row) => row.method === operation.method && row.path === path),
        `${operation.method} ${path}`,
      );
    }
  });

  it('documents a request body and an OAuth flow from the registered grants', () => {
    assert.deepEqual([...GRANT_TYPES].sort(), Object.keys(GRANTS).sort());
    const body = document.paths['/token']!.post!.requestBody!.content['application/x-www-form-urlencoded']!.schema;
    assert.deepEqual(
      body.oneOf,
      GRANT_TYPES.map((grant) => ({$ref: `#/components/schemas/${tokenRequestName(grant)}`})),
    );
    for (const grant of GRANT_TYPES) {
      const name = tokenRequestName(grant);
      // OpenAPI 3.1 §4.8.7.1: component names are letters, digits, `.`, `-` and `_`.
      assert.match(name, /^[a-zA-Z0-9._-]+$/, grant);
      const schema = document.components.schemas[name] as {properties: {grant_type: {const: string}}};
      assert.equal(schema.properties.grant_type.const, grant);
    }
    const flows = (document.components.securitySchemes.oauth2 as {flows: Record<string, {refreshUrl?: string}>}).flows;
    assert.deepEqual(Object.keys(flows), ['authorizationCode', 'clientCredentials', 'password']);
    // RFC 6749 §4.4.3: client_credentials gets no refresh token.
    assert.equal(flows.clientCredentials!.refreshUrl, undefined);
    assert.equal(flows.password!.refreshUrl, `${ISSUER}/token`);
  });
});

describe('OpenAPI generation', () => {
  it('puts each row at its path and method, with the security its auth names', () => {
    for (const row of description.rows) {
      const operation = document.paths[row.path]?.[row.method === 'GET' ? 'get' : 'post'];
      assert.equal(operation?.operationId, row.operationId, `${row.method} ${row.path}`);
      assert.deepEqual(operation.tags, [row.tag]);
      assert.equal(operation.responses, row.responses);
      const expected = {
        public: [],
        client: [{clientSecretBasic: []}, {}],
        bearer: row.auth.kind === 'bearer' ? [{bearer: [row.auth.scope]}, {oauth2: [row.auth.scope]}] : [],
      };
      assert.deepEqual(operation.security, expected[row.auth.kind]);
    }
    const count = Object.values(document.paths).flatMap((item) => [item.get, item.post].filter(Boolean)).length;
    assert.equal(count, description.rows.length);
  });

  it("writes bodies with their media type, and a row's own servers on its path", () => {
    assert.ok(document.paths['/token']!.post!.requestBody!.content['application/x-www-form-urlencoded']);
    assert.ok(document.paths['/api/calendar/events']!.post!.requestBody!.content['application/json']!.examples);
    assert.deepEqual(document.paths['/.well-known/oauth-authorization-server/sandbox']!.servers, [
      {url: 'https://as.example', description: "The issuer's origin"},
    ]);
  });

  it('has no path-inserted metadata row for an issuer without a path', () => {
    const root = describeEndpoints('https://as.example', buildCatalog('https://as.example', 'https://site.example/'));
    assert.ok(!root.rows.some((row) => row.operationId === 'getOauthAuthorizationServerAtOrigin'));
  });

  it('resolves every schema and header reference', () => {
    for (const reference of refs(document)) {
      const [, , kind, name] = reference.split('/');
      const table = kind === 'schemas' ? document.components.schemas : document.components.headers;
      assert.ok(table[name!], reference);
    }
  });

  it('refuses a row described twice', () => {
    const twice = {...description, rows: [...description.rows, description.rows[0]!]};
    assert.throws(() => toOpenApi(twice), /described twice/);
  });
});
