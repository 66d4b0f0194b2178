import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {DEVICE_CODE_GRANT_TYPE} from '../contract/catalog';
import {buildCatalog} from '../sandbox/catalog';
import {describeEndpoints} from '../sandbox/endpoints-description';
import {buildOpenApi} from '../sandbox/openapi';
import {
  buildPostmanCollection,
  COLLECTION_PATH,
  DEFAULT_ISSUER,
  DEFAULT_SITE_URL,
  POSTMAN_SCHEMA,
  renderPostmanCollection,
  type PostmanCollection,
} from './collection';

const catalog = buildCatalog(DEFAULT_ISSUER, DEFAULT_SITE_URL);
const description = describeEndpoints(DEFAULT_ISSUER, catalog);
const openapi = buildOpenApi(DEFAULT_ISSUER, catalog);
const collection = buildPostmanCollection(description, catalog);
const requests = collection.item.flatMap((folder) => folder.item);
const testScript = (request: (typeof requests)[number]) =>
  request.event.find((event) => event.listen === 'test')?.script.exec.join('\n') ?? '';
/** `METHOD /path` of each request whose description names its OpenAPI operation. */
const operationIds = new Set(
  requests.map((request) => /OpenAPI operation `([^`]+)`/.exec(request.request.description)?.[1]),
);

describe('Postman collection', () => {
  it("the committed file is the generator's output (regenerate it with `npm run postman:generate`)", () => {
    const committed = readFileSync(join(import.meta.dirname, '..', '..', COLLECTION_PATH), 'utf8');
    assert.equal(
      committed,
      renderPostmanCollection(),
      `${COLLECTION_PATH} is out of date: run npm run postman:generate and commit it`,
    );
  });

  it('is deterministic', () => {
    assert.deepEqual(buildPostmanCollection(describeEndpoints(DEFAULT_ISSUER, catalog), catalog), collection);
  });

  it('is a v2.1 collection whose every request carries tests', () => {
    assert.equal(collection.info.schema, POSTMAN_SCHEMA);
    assert.ok(requests.length > 40);
    for (const request of requests) {
      assert.match(testScript(request), /pm\.test\('status is \d{3}'/, request.name);
      assert.match(
        request.request.url.raw,
        /^\{\{(issuer|issuer_origin|login_page|consent_page|verification_uri_complete|device_\w+_page)\}\}/,
        request.name,
      );
    }
    assert.equal(new Set(requests.map((request) => request.id)).size, requests.length, 'ids are unique');
  });

  it('is retargeted by the issuer variable alone', () => {
    const withoutVariables: Omit<PostmanCollection, 'variable'> & {variable?: unknown} = {...collection};
    delete withoutVariables.variable;
    const text = JSON.stringify(withoutVariables).replace(/http:\/\/localhost:4000\/sandbox`/g, '');
    // The description names the default issuer once, in prose; no request, body or test does.
    assert.ok(!text.includes('localhost:4000'), 'a request or test hard-codes the default issuer');
    assert.deepEqual(collection.variable.find((variable) => variable.key === 'issuer')?.value, DEFAULT_ISSUER);
  });

  it('covers every operation of the OpenAPI description', () => {
    const missing = Object.values(openapi.paths)
      .flatMap((item) => [item.get, item.post])
      .filter((operation) => operation !== undefined)
      .map((operation) => operation.operationId)
      .filter((id) => !operationIds.has(id));
    assert.deepEqual(missing, []);
  });

  it('calls every API operation of the catalog with its scope, without a token, and without the scope', () => {
    for (const api of catalog.apis) {
      for (const operation of api.operations) {
        const url = `{{issuer}}${operation.url.slice(DEFAULT_ISSUER.length)}`;
        const calls = requests.filter(
          (request) => request.request.method === operation.method && request.request.url.raw === url,
        );
        const statuses = calls.map((request) => /pm\.test\('status is (\d{3})'/.exec(testScript(request))?.[1]).sort();
        assert.deepEqual(
          statuses,
          [operation.method === 'POST' ? '201' : '200', '401', '401', '403'],
          `${operation.method} ${url}`,
        );
      }
    }
  });

  it('checks the RFC errors the sandbox answers', () => {
    const errors = new Set(
      requests.flatMap((request) =>
        [...testScript(request).matchAll(/pm\.test\('error is (\w+)'/g)].map((match) => match[1]),
      ),
    );
    for (const code of [
      'invalid_request',
      'invalid_client',
      'invalid_grant',
      'unauthorized_client',
      'unsupported_grant_type',
      'invalid_scope',
      'invalid_target',
      'invalid_token',
      'insufficient_scope',
      'unsupported_token_type',
      'access_denied',
      'authorization_pending',
      'slow_down',
    ]) {
      assert.ok(errors.has(code), code);
    }
  });

  it('runs the device authorization grant as RFC 8628 §3.5 says a device polls', () => {
    const folder = collection.item.find((candidate) => candidate.name === 'Device authorization grant');
    assert.ok(folder);
    const polls = folder.item.filter((request) =>
      request.request.body?.mode === 'urlencoded'
        ? request.request.body.urlencoded.some((field) => field.value === DEVICE_CODE_GRANT_TYPE)
        : false,
    );
    const answers = polls.map((request) =>
      /pm\.test\('(?:error is (\w+)|status is (200))'/.exec(testScript(request))?.slice(1).find(Boolean),
    );
    assert.deepEqual(answers, ['authorization_pending', 'slow_down', '200', 'invalid_grant', 'access_denied']);
    // The poll that gets the tokens waits the interval first, grown by slow_down; the others need not.
    const waits = polls.map((request) =>
      request.event.some(
        (event) => event.listen === 'prerequest' && event.script.exec.join('\n').includes('setTimeout'),
      ),
    );
    assert.deepEqual(waits, [false, false, true, false, false]);
    // The user's approval and refusal go through the sandbox's pages: the sign-in, the confirmation (§5.4), consent.
    const names = folder.item.map((request) => request.name);
    for (const name of [
      'Enter the code: on to the sign-in page',
      'Sign in',
      'Confirmation page',
      'Yes, I started it',
      'Allow',
      'No, I did not start it',
    ])
      assert.ok(names.includes(name), name);
  });

  it('refuses a status the endpoints description does not document', () => {
    const trimmed = structuredClone(description);
    delete trimmed.rows.find((row) => row.operationId === 'postToken')!.responses['401'];
    assert.throws(() => buildPostmanCollection(trimmed, catalog), /postToken does not document 401/);
  });

  it('refuses a catalog operation missing from the endpoints description', () => {
    const trimmed = structuredClone(description);
    trimmed.rows = trimmed.rows.filter((row) => row.path !== '/api/contacts/people');
    assert.throws(
      () => buildPostmanCollection(trimmed, catalog),
      /GET \/api\/contacts\/people is in the catalog but not in the endpoints description/,
    );
  });

  it('refuses credentials of a kind the endpoint does not take', () => {
    const trimmed = structuredClone(description);
    trimmed.rows.find((row) => row.operationId === 'getUserinfo')!.auth = {kind: 'public'};
    assert.throws(() => buildPostmanCollection(trimmed, catalog), /getUserinfo takes no bearer token/);
  });
});
