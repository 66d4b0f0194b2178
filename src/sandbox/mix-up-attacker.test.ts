import assert from 'node:assert/strict';
import {test} from 'node:test';
import * as oauth from 'oauth4webapi';
import {attackerIssuer} from './catalog';
import type {ReceivedTokenRequest} from './mix-up-attacker';
import {authorizeWithPkce, createTestSandbox, type TestSandbox} from './test-fixture';
import {TEST_ISSUER, TEST_SITE_URL} from './testing';

const ATTACKER = attackerIssuer(TEST_ISSUER);
const LAB_PAGE = `${TEST_SITE_URL}security/mix-up`;

function form(fields: Record<string, string>): RequestInit {
  return {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams(fields).toString(),
  };
}

async function received(sandbox: TestSandbox): Promise<ReceivedTokenRequest[]> {
  return ((await (await sandbox.fetch(`${ATTACKER}/received`)).json()) as {received: ReceivedTokenRequest[]}).received;
}

test('catalog: the attacker issuer belongs to the mix-up lab, and only the lab client is registered at it', async () => {
  const sandbox = await createTestSandbox();
  assert.deepEqual(
    sandbox.catalog.lab_issuers?.map((issuer) => [issuer.issuer, issuer.lab]),
    [[ATTACKER, 'mix-up']],
  );
  const [attacker] = sandbox.catalog.lab_issuers;
  const attackerRedirects = attacker!.clients.flatMap((client) => client.redirect_uris);
  assert.deepEqual(attackerRedirects, [LAB_PAGE]);
  // No demo client shares a redirect URI with the attacker's registrations, so no flow page can end up there.
  for (const client of sandbox.catalog.clients.filter((candidate) => candidate.lab === undefined)) {
    for (const uri of client.redirect_uris) assert.ok(!attackerRedirects.includes(uri), `${client.client_id}: ${uri}`);
  }
  // The app's registration at the sandbox is a lab client held to every rule: no weakness.
  assert.deepEqual(sandbox.client('lab-trip-planner').lab, {slug: 'mix-up'});
  assert.equal(sandbox.client('lab-trip-planner').require_pkce, true);
});

test("RFC 8414 §3: the attacker has its own metadata, and the default issuer's is unchanged (RFC 9207 §3)", async () => {
  const sandbox = await createTestSandbox();
  const issuer = new URL(ATTACKER);
  const attacker = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, sandbox.options));
  assert.equal(attacker.issuer, ATTACKER);
  assert.equal(attacker.authorization_endpoint, `${ATTACKER}/authorize`);
  assert.equal(attacker.token_endpoint, `${ATTACKER}/token`);
  assert.equal(attacker.authorization_response_iss_parameter_supported, undefined);
  const metadata = (await (await sandbox.fetch(`${ATTACKER}/.well-known/oauth-authorization-server`)).json()) as {
    issuer: string;
  };
  assert.equal(metadata.issuer, ATTACKER);
  // The sandbox's own issuer: same document as ever, iss in every authorization response.
  assert.equal(sandbox.as.issuer, TEST_ISSUER);
  assert.equal(sandbox.as.authorization_endpoint, `${TEST_ISSUER}/authorize`);
  assert.equal(sandbox.as.token_endpoint, `${TEST_ISSUER}/token`);
  assert.equal(sandbox.as.authorization_response_iss_parameter_supported, true);
  const flow = await authorizeWithPkce(sandbox, {
    clientId: 'lab-trip-planner',
    redirectUri: LAB_PAGE,
    scope: 'calendar:read',
  });
  assert.equal(flow.outcome.callbackUrl?.searchParams.get('iss'), TEST_ISSUER);
});

test("RFC 9700 §4.4.1: the attacker's authorization endpoint sends the user to the sandbox with the app's sandbox client_id", async () => {
  const sandbox = await createTestSandbox();
  const request = new URLSearchParams({
    response_type: 'code',
    client_id: 'trip-planner',
    redirect_uri: LAB_PAGE,
    scope: 'calendar:read',
    state: 'state-1',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
  });
  const response = await sandbox.fetch(`${ATTACKER}/authorize?${request}`);
  assert.equal(response.status, 302);
  const location = new URL(response.headers.get('location')!);
  assert.equal(`${location.origin}${location.pathname}`, `${TEST_ISSUER}/authorize`);
  assert.deepEqual(Object.fromEntries(location.searchParams), {
    ...Object.fromEntries(request),
    client_id: 'lab-trip-planner',
  });
});

test("RFC 6749 §4.1.2.1: an unknown client or an unregistered redirect URI stays on the attacker's error page", async () => {
  const sandbox = await createTestSandbox();
  const cases: Array<Record<string, string>> = [
    {client_id: 'spa', redirect_uri: LAB_PAGE},
    {client_id: 'trip-planner', redirect_uri: `${TEST_SITE_URL}flows/authorization-code-pkce`},
    {client_id: 'trip-planner'},
    {client_id: 'trip-planner', redirect_uri: LAB_PAGE, state: 'twice'},
  ];
  for (const fields of cases) {
    const query = new URLSearchParams(fields);
    if (fields.state !== undefined) query.append('state', 'again');
    const response = await sandbox.fetch(`${ATTACKER}/authorize?${query}`);
    assert.equal(response.status, 400, JSON.stringify(fields));
    assert.equal(response.headers.get('location'), null);
    assert.match(await response.text(), /invalid_request/);
  }
});

test("the attacker's token endpoint records the code and verifier it receives and answers invalid_grant (RFC 6749 §5.2)", async () => {
  const sandbox = await createTestSandbox();
  assert.deepEqual(await received(sandbox), []);
  const response = await sandbox.fetch(
    `${ATTACKER}/token`,
    form({
      grant_type: 'authorization_code',
      code: 'the-code',
      code_verifier: 'the-verifier',
      redirect_uri: LAB_PAGE,
      client_id: 'trip-planner',
    }),
  );
  assert.equal(response.status, 400);
  assert.equal(((await response.json()) as {error: string}).error, 'invalid_grant');
  assert.equal(response.headers.get('cache-control'), 'no-store');
  const [entry, ...rest] = await received(sandbox);
  assert.deepEqual(rest, []);
  assert.deepEqual(
    {...entry, received_at: undefined},
    {
      received_at: undefined,
      code: 'the-code',
      code_verifier: 'the-verifier',
      redirect_uri: LAB_PAGE,
      client_id: 'trip-planner',
    },
  );
  // Reset wipes it with the rest of the sandbox's state.
  await sandbox.fetch(`${TEST_ISSUER}/reset`, {method: 'POST', headers: {'Sandbox-Reset': 'confirm'}});
  assert.deepEqual(await received(sandbox), []);
});

test("RFC 6749 §5.2: malformed token requests to the attacker get the RFC's errors, and are not recorded", async () => {
  const sandbox = await createTestSandbox();
  const cases: Array<[RequestInit, number, string]> = [
    [form({grant_type: 'authorization_code'}), 400, 'invalid_request'],
    [form({code: 'x'}), 400, 'invalid_request'],
    [form({grant_type: 'client_credentials', code: 'x'}), 400, 'unsupported_grant_type'],
    [{method: 'POST', headers: {'content-type': 'application/json'}, body: '{"code":"x"}'}, 400, 'invalid_request'],
    [
      {
        method: 'POST',
        headers: {'content-type': 'application/x-www-form-urlencoded'},
        body: 'grant_type=authorization_code&code=a&code=b',
      },
      400,
      'invalid_request',
    ],
    [{method: 'GET'}, 405, 'invalid_request'],
  ];
  for (const [init, status, error] of cases) {
    const response = await sandbox.fetch(`${ATTACKER}/token`, init);
    assert.equal(response.status, status, typeof init.body === 'string' ? init.body : '');
    assert.equal(
      ((await response.json()) as {error: string}).error,
      error,
      typeof init.body === 'string' ? init.body : '',
    );
  }
  assert.deepEqual(await received(sandbox), []);
});
