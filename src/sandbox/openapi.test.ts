import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import type {OpenApiDocument, Operation, Schema} from './openapi';
import {createTestSandbox, type TestSandbox} from './test-fixture';

async function describe(sandbox: TestSandbox): Promise<OpenApiDocument> {
  const response = await sandbox.fetch(`${sandbox.issuer}/openapi.json`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  return (await response.json()) as OpenApiDocument;
}

/** A small structural check of a value against a schema: types, required, properties, enum/const, items, oneOf/allOf, $ref. */
function check(doc: OpenApiDocument, schema: Schema, value: unknown, at = '$'): void {
  if (typeof schema.$ref === 'string') {
    check(doc, doc.components.schemas[schema.$ref.split('/').pop()!]!, value, at);
    return;
  }
  if (Array.isArray(schema.allOf)) for (const part of schema.allOf as Schema[]) check(doc, part, value, at);
  if (Array.isArray(schema.oneOf)) {
    const matches = (schema.oneOf as Schema[]).filter((part) => {
      try {
        check(doc, part, value, at);
        return true;
      } catch {
        return false;
      }
    });
    assert.equal(matches.length, 1, `${at}: matches ${matches.length} of oneOf`);
  }
  if ('const' in schema) assert.deepEqual(value, schema.const, at);
  if (Array.isArray(schema.enum))
    assert.ok(schema.enum.includes(value), `${at}: ${String(value)} not in ${schema.enum.join(', ')}`);
  const type = schema.type;
  if (type === 'string') assert.equal(typeof value, 'string', at);
  if (type === 'boolean') assert.equal(typeof value, 'boolean', at);
  if (type === 'integer') assert.ok(Number.isInteger(value), at);
  if (type === 'array') {
    assert.ok(Array.isArray(value), at);
    if (schema.items)
      (value as unknown[]).forEach((item, index) => check(doc, schema.items as Schema, item, `${at}[${index}]`));
  }
  if (type === 'object') assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value), at);
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    for (const name of (schema.required as string[] | undefined) ?? [])
      assert.ok(name in object, `${at}: ${name} is required`);
    for (const [name, property] of Object.entries((schema.properties as Record<string, Schema> | undefined) ?? {})) {
      if (name in object) check(doc, property, object[name], `${at}.${name}`);
    }
  }
}

function operation(doc: OpenApiDocument, path: string, method: 'get' | 'post'): Operation {
  const found = doc.paths[path]?.[method];
  assert.ok(found, `${method.toUpperCase()} ${path} is described`);
  return found;
}

/** Checks a response's status, its described headers marked required, and its JSON body against the described schema. */
async function matches(doc: OpenApiDocument, op: Operation, response: Response): Promise<Record<string, unknown>> {
  const described = op.responses[String(response.status)];
  assert.ok(described, `status ${response.status} is described for ${op.operationId}`);
  for (const [name, header] of Object.entries(described.headers ?? {})) {
    const resolved = '$ref' in header ? doc.components.headers[header.$ref.split('/').pop()!]! : header;
    if (resolved.required) {
      const actual = response.headers.get(name);
      assert.ok(actual !== null, `${op.operationId} ${response.status}: header ${name}`);
      check(doc, resolved.schema, actual, name);
    }
  }
  const schema = described.content?.['application/json']?.schema;
  if (!schema) return {};
  const body = (await response.json()) as Record<string, unknown>;
  check(doc, schema, body);
  return body;
}

const basic = (id: string, secret: string) =>
  `Basic ${btoa(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`)}`;

test('GET {issuer}/openapi.json serves an OpenAPI 3.1 description whose servers and URLs use the issuer', async () => {
  const sandbox = await createTestSandbox();
  const doc = await describe(sandbox);
  assert.match(doc.openapi, /^3\.1\.\d+$/);
  assert.deepEqual(
    doc.servers.map((server) => server.url),
    [sandbox.issuer],
  );
  const flows = doc.components.securitySchemes.oauth2!.flows as Record<
    string,
    {tokenUrl: string; authorizationUrl?: string; scopes: Record<string, string>}
  >;
  assert.equal(flows.authorizationCode!.authorizationUrl, `${sandbox.issuer}/authorize`);
  for (const flow of Object.values(flows)) assert.equal(flow.tokenUrl, `${sandbox.issuer}/token`);
  for (const api of sandbox.catalog.apis)
    for (const scope of api.scopes) assert.ok(scope.value in flows.clientCredentials!.scopes);
  assert.equal(doc.components.securitySchemes.bearer!.bearerFormat, 'JWT');
});

test('every path in the route table and every catalog API operation is described', async () => {
  const sandbox = await createTestSandbox();
  const doc = await describe(sandbox);
  const source = readFileSync(new URL('./app.ts', import.meta.url), 'utf8');
  const routes = [...source.matchAll(/\broute\('([^']+)', \{([^}]*)\}/g)];
  assert.ok(routes.length >= 12, 'the route table was found');
  for (const [, path, handlers] of routes) {
    const described = path!.replace(/:(\w+)/g, '{$1}');
    for (const method of ['GET', 'POST'] as const) {
      if (handlers!.includes(`${method}:`)) operation(doc, described, method === 'GET' ? 'get' : 'post');
    }
  }
  const base = new URL(sandbox.issuer).pathname;
  operation(doc, `/.well-known/oauth-authorization-server${base}`, 'get');
  for (const api of sandbox.catalog.apis) {
    operation(doc, api.base_url.slice(sandbox.issuer.length), 'get');
    for (const op of api.operations) {
      const described = operation(doc, op.url.slice(sandbox.issuer.length), op.method === 'GET' ? 'get' : 'post');
      assert.ok(
        described.security.some((requirement) => requirement.bearer?.includes(op.scope)),
        `${op.method} ${op.url} needs ${op.scope}`,
      );
      assert.ok(described.responses['403'], 'RFC 6750 §3.1 insufficient_scope');
    }
  }
  const tokenBody = operation(doc, '/token', 'post').requestBody!.content['application/x-www-form-urlencoded']!.schema;
  assert.deepEqual(
    (tokenBody.oneOf as Schema[]).map(
      (grant) =>
        (doc.components.schemas[String(grant.$ref).split('/').pop()!]!.properties as Record<string, Schema>).grant_type!
          .const,
    ),
    [
      'authorization_code',
      'client_credentials',
      'password',
      'refresh_token',
      'urn:ietf:params:oauth:grant-type:device_code',
    ],
  );
});

test('discovery, JWKS and the catalog answer as described', async () => {
  const sandbox = await createTestSandbox();
  const doc = await describe(sandbox);
  for (const path of [
    '/.well-known/openid-configuration',
    '/.well-known/oauth-authorization-server',
    '/jwks',
    '/catalog',
  ]) {
    await matches(doc, operation(doc, path, 'get'), await sandbox.fetch(`${sandbox.issuer}${path}`));
  }
  for (const api of sandbox.catalog.apis)
    await matches(
      doc,
      operation(doc, api.base_url.slice(sandbox.issuer.length), 'get'),
      await sandbox.fetch(api.base_url),
    );
});

test('/token: the described client_credentials example gets the described 200; a bad secret gets the described 401', async () => {
  const sandbox = await createTestSandbox();
  const doc = await describe(sandbox);
  const token = operation(doc, '/token', 'post');
  const example = token.requestBody!.content['application/x-www-form-urlencoded']!.examples!.client_credentials!
    .value as Record<string, string>;
  const m2m = sandbox.client('m2m-cron');
  const send = (secret: string) =>
    sandbox.fetch(`${sandbox.issuer}/token`, {
      method: 'POST',
      headers: {'content-type': 'application/x-www-form-urlencoded', authorization: basic(m2m.client_id, secret)},
      body: new URLSearchParams(example),
    });
  const tokens = await matches(doc, token, await send(m2m.client_secret!));
  assert.equal(tokens.scope, example.scope);
  const refused = await send('wrong');
  assert.match(refused.headers.get('www-authenticate') ?? '', /^Basic /);
  assert.equal((await matches(doc, token, refused)).error, 'invalid_client');
});

test('/authorize: the described redirect and error page', async () => {
  const sandbox = await createTestSandbox();
  const doc = await describe(sandbox);
  const authorize = operation(doc, '/authorize', 'get');
  const spa = sandbox.client('spa');
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: 'spa',
    redirect_uri: spa.redirect_uris[0]!,
    scope: 'openid',
    state: 'xyz',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
  });
  const redirect = await sandbox.fetch(`${sandbox.issuer}/authorize?${query}`);
  assert.ok(
    authorize.responses[String(redirect.status)] && [302, 303].includes(redirect.status),
    `status ${redirect.status}`,
  );
  assert.ok(redirect.headers.get('location'));
  const untrusted = await sandbox.fetch(
    `${sandbox.issuer}/authorize?${new URLSearchParams({response_type: 'code', client_id: 'nobody', redirect_uri: 'https://evil.test/'})}`,
  );
  assert.equal(untrusted.status, 400);
  assert.ok(authorize.responses['400']!.content!['text/html']);
  assert.match(untrusted.headers.get('content-type') ?? '', /^text\/html/);
});

test('/userinfo, /introspect, /revoke and the APIs answer as described', async () => {
  const sandbox = await createTestSandbox();
  const doc = await describe(sandbox);
  const trusted = sandbox.client('trusted-first-party');
  const tokenResponse = await sandbox.fetch(`${sandbox.issuer}/token`, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams({
      grant_type: 'password',
      username: 'alice',
      password: 'wonderland-42',
      scope: 'openid profile email',
      client_id: trusted.client_id,
      client_secret: trusted.client_secret!,
    }),
  });
  const tokens = await matches(doc, operation(doc, '/token', 'post'), tokenResponse);
  const bearer = {authorization: `Bearer ${String(tokens.access_token)}`};

  const userinfo = operation(doc, '/userinfo', 'get');
  assert.equal(
    (await matches(doc, userinfo, await sandbox.fetch(`${sandbox.issuer}/userinfo`, {headers: bearer}))).sub,
    'user-alice',
  );
  const anonymous = await sandbox.fetch(`${sandbox.issuer}/userinfo`);
  assert.equal(anonymous.status, 401);
  assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Bearer /);

  // The password grant's token is for the userinfo audience; an API needs one for its own audience.
  const m2m = sandbox.client('m2m-cron');
  const apiTokens = (await (
    await sandbox.fetch(`${sandbox.issuer}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basic(m2m.client_id, m2m.client_secret!),
      },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        resource: `${sandbox.issuer}/api/calendar`,
        scope: 'calendar:read',
      }),
    })
  ).json()) as {access_token: string};
  const apiBearer = {authorization: `Bearer ${apiTokens.access_token}`};
  await matches(
    doc,
    operation(doc, '/api/calendar/events', 'get'),
    await sandbox.fetch(`${sandbox.issuer}/api/calendar/events`, {headers: apiBearer}),
  );
  const write = operation(doc, '/api/calendar/events', 'post');
  const event = write.requestBody!.content['application/json']!.examples!.event!.value;
  const refused = await sandbox.fetch(`${sandbox.issuer}/api/calendar/events`, {
    method: 'POST',
    headers: {...apiBearer, 'content-type': 'application/json'},
    body: JSON.stringify(event),
  });
  assert.equal((await matches(doc, write, refused)).error, 'insufficient_scope');
  assert.match(refused.headers.get('www-authenticate') ?? '', /scope="calendar:write"/);

  const resourceServer = sandbox.client('calendar-api');
  const introspect = operation(doc, '/introspect', 'post');
  const introspection = await sandbox.fetch(`${sandbox.issuer}/introspect`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basic(resourceServer.client_id, resourceServer.client_secret!),
    },
    body: new URLSearchParams({token: apiTokens.access_token}),
  });
  assert.equal((await matches(doc, introspect, introspection)).active, true);

  const revoke = operation(doc, '/revoke', 'post');
  const revoked = await sandbox.fetch(`${sandbox.issuer}/revoke`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basic(m2m.client_id, m2m.client_secret!),
    },
    body: new URLSearchParams({token: apiTokens.access_token, token_type_hint: 'access_token'}),
  });
  await matches(doc, revoke, revoked);
  const badHint = await sandbox.fetch(`${sandbox.issuer}/revoke`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basic(m2m.client_id, m2m.client_secret!),
    },
    body: new URLSearchParams({token: apiTokens.access_token, token_type_hint: 'id_token'}),
  });
  assert.equal((await matches(doc, revoke, badHint)).error, 'unsupported_token_type');
  const reset = await sandbox.fetch(`${sandbox.issuer}/reset`, {method: 'POST', headers: {'sandbox-reset': 'confirm'}});
  await matches(doc, operation(doc, '/reset', 'post'), reset);
});
