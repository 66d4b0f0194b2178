import assert from 'node:assert/strict';
import {test} from 'node:test';
import {decodeJwt} from 'jose';
import {startNodeSandbox} from '../../sandbox/node';
import {createTestSandbox} from '../../sandbox/test-fixture';
import {createTestBrowser, TEST_SITE_URL} from '../../sandbox/testing';
import * as lab from './mix-up';

/** Runs the lab to the app's token request: the user picks the attacker's server and signs in at the sandbox. */
async function runLab(checkIssuer: boolean) {
  const sandbox = await createTestSandbox();
  const attackerIssuer = sandbox.catalog.lab_issuers!.find((issuer) => issuer.lab === 'mix-up')!;
  const honest: lab.ServerRegistration = {name: 'Sandbox', issuer: sandbox.issuer, clientId: 'lab-trip-planner'};
  const attacker: lab.ServerRegistration = {
    name: 'Attacker',
    issuer: attackerIssuer.issuer,
    clientId: attackerIssuer.clients[0].client_id,
  };
  const config: lab.LabConfig = {
    servers: [honest, attacker],
    redirectUri: `${TEST_SITE_URL}security/mix-up`,
    scope: 'calendar:read',
    audience: `${sandbox.issuer}/api/calendar`,
    fetch: (url, init) => sandbox.fetch(url, init),
  };
  const chosen = await lab.discover(config, attacker);
  const {session, url} = await lab.startSignIn(chosen, config, attacker);
  assert.equal(url.href.startsWith(`${attacker.issuer}/authorize?`), true);
  const outcome = await sandbox.browser.authorize(url, {username: 'alice', password: 'wonderland-42'});
  const callbackUrl = outcome.callbackUrl!;
  assert.equal(callbackUrl.origin + callbackUrl.pathname, config.redirectUri, 'the sandbox sent its code to the app');
  assert.equal(callbackUrl.searchParams.get('iss'), sandbox.issuer, 'RFC 9207 §2: the sandbox names itself');
  const redeemed = await lab.redeemCode(chosen, config, session, callbackUrl, checkIssuer);
  return {sandbox, config, honest, attacker, callbackUrl, redeemed};
}

test('RFC 9700 §4.4.1: without the iss check, the app hands the honest code and verifier to the attacker, who redeems it for a token the API accepts', async () => {
  const {sandbox, config, honest, attacker, callbackUrl, redeemed} = await runLab(false);
  assert.deepEqual(redeemed, {
    sent: true,
    status: 400,
    error: 'invalid_grant',
    error_description: 'the authorization code is invalid',
  });
  const received = await lab.readAttackerLog(attacker.issuer, config);
  const stolen = received.find((entry) => entry.code === callbackUrl.searchParams.get('code'));
  assert.ok(stolen?.code_verifier, 'the attacker holds the code and the PKCE verifier');
  const honestAs = await lab.discover(config, honest);
  const outcome = await lab.redeemStolenCode(honestAs, config, honest.clientId, stolen);
  assert.ok(outcome.sent && 'tokens' in outcome, 'the sandbox issued tokens to the attacker');
  assert.equal(decodeJwt(outcome.tokens.access_token).sub, 'user-alice');
  const api = await lab.callApiWithStolenToken(
    `${sandbox.issuer}/api/calendar/events`,
    outcome.tokens.access_token,
    config,
  );
  assert.equal(api.status, 200);
});

test("the attacker's whole move: this sign-in's code, redeemed at the sandbox, reads the user's calendar; with the iss check it finds nothing", async () => {
  const off = await runLab(false);
  const theft = await lab.useReceivedCode(
    off.config,
    off.honest,
    off.attacker.issuer,
    off.callbackUrl,
    `${off.sandbox.issuer}/api/calendar/events`,
  );
  assert.ok(theft.stolen && theft.outcome.sent && 'tokens' in theft.outcome);
  assert.equal(theft.sub, 'user-alice');
  assert.equal(theft.apiStatus, 200);
  const on = await runLab(true);
  assert.deepEqual(
    await lab.useReceivedCode(
      on.config,
      on.honest,
      on.attacker.issuer,
      on.callbackUrl,
      `${on.sandbox.issuer}/api/calendar/events`,
    ),
    {stolen: false, received: 0},
  );
});

test('RFC 9207 §2.4: with the iss check, the app stops before sending anything and the attacker receives nothing', async () => {
  const {config, attacker, redeemed} = await runLab(true);
  assert.deepEqual(redeemed, {
    sent: false,
    error: 'unexpected "iss" (issuer) response parameter value',
    code: 'OAUTH_INVALID_RESPONSE',
  });
  const received = await lab.readAttackerLog(attacker.issuer, config);
  assert.deepEqual(received, [], 'nothing from this sign-in, nor from any other, reached the attacker');
});

test('Node transport: the attacker issuer answers beside the sandbox, and the attack runs over HTTP', async () => {
  const node = await startNodeSandbox({port: 0});
  try {
    const catalog = (await (await fetch(`${node.issuer}/catalog`)).json()) as {
      lab_issuers: Array<{issuer: string; lab: string; clients: Array<{client_id: string}>}>;
    };
    const [attackerIssuer] = catalog.lab_issuers;
    assert.equal(attackerIssuer.issuer, `${node.issuer}/attacker`);
    const honest: lab.ServerRegistration = {name: 'Sandbox', issuer: node.issuer, clientId: 'lab-trip-planner'};
    const attacker: lab.ServerRegistration = {
      name: 'Attacker',
      issuer: attackerIssuer.issuer,
      clientId: attackerIssuer.clients[0].client_id,
    };
    const config: lab.LabConfig = {
      servers: [honest, attacker],
      redirectUri: `${node.siteUrl}security/mix-up`,
      scope: 'calendar:read',
      audience: `${node.issuer}/api/calendar`,
      allowInsecureRequests: true,
    };
    const chosen = await lab.discover(config, attacker);
    const {session, url} = await lab.startSignIn(chosen, config, attacker);
    const browser = createTestBrowser((request) => fetch(request), node.issuer);
    const {callbackUrl} = await browser.authorize(url, {username: 'alice', password: 'wonderland-42'});
    assert.ok(callbackUrl, 'the sandbox sent the browser back to the app');
    assert.ok(callbackUrl.searchParams.get('code'));
    assert.equal((await lab.redeemCode(chosen, config, session, callbackUrl, false)).sent, true);
    const [stolen] = await lab.readAttackerLog(attacker.issuer, config);
    const outcome = await lab.redeemStolenCode(await lab.discover(config, honest), config, honest.clientId, stolen);
    assert.ok(outcome.sent && 'tokens' in outcome);
    assert.equal(decodeJwt(outcome.tokens.access_token).iss, node.issuer);
  } finally {
    await node.close();
  }
});
