import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createTestSandbox} from '../../sandbox/test-fixture';
import {TEST_SITE_URL} from '../../sandbox/testing';
import * as lab from './loose-redirect-uri';

async function runLab(clientId: string) {
  const sandbox = await createTestSandbox();
  const config: lab.LabConfig = {
    issuer: sandbox.issuer,
    clientId,
    registeredRedirectUri: `${TEST_SITE_URL}security/notes-app/callback`,
    attackerPage: `${TEST_SITE_URL}security/loose-redirect-uri`,
    scope: 'calendar:read',
    audience: `${sandbox.issuer}/api/calendar`,
    fetch: (url, init) => sandbox.fetch(url, init),
  };
  const as = await lab.discover(config);
  const secrets = await lab.createAttackerSecrets();
  const url = lab.buildAuthorizationUrl(as, config, secrets);
  return {sandbox, config, as, secrets, url};
}

test('the crafted redirect URI starts with the registered one and resolves to the attacker page', () => {
  const registered = 'https://notes.example/base/security/notes-app/callback';
  const crafted = lab.craftRedirectUri(registered, 'https://notes.example/base/security/loose-redirect-uri');
  assert.equal(crafted, `${registered}/../../loose-redirect-uri`);
  assert.ok(crafted.startsWith(registered));
  assert.equal(new URL(crafted).href, 'https://notes.example/base/security/loose-redirect-uri');
  assert.throws(() => lab.craftRedirectUri(registered, 'https://attacker.example/page'), /same origin/);
});

test('RFC 9700 §4.1: with prefix matching, the code lands on the attacker page and the attacker redeems it with its own verifier', async () => {
  const {sandbox, config, as, secrets, url} = await runLab('lab-notes-web-prefix');
  assert.deepEqual(await lab.checkLink(url.href, config), {accepted: true});
  const {callbackUrl} = await sandbox.browser.authorize(url, {username: 'alice', password: 'wonderland-42'});
  assert.ok(callbackUrl, 'the server redirected');
  // The browser resolves the dot segments: the code arrives at the attacker's page.
  assert.equal(`${callbackUrl.origin}${callbackUrl.pathname}`, config.attackerPage);
  const outcome = await lab.redeemCode(as, config, secrets, callbackUrl);
  assert.equal(outcome.redeemed, true);
  if (!outcome.redeemed) return;
  const api = await lab.callApi(`${config.audience}/events`, outcome.tokens.access_token, config);
  assert.equal(api.status, 200);
  assert.equal(
    (api.body as {caller: {sub: string}}).caller.sub,
    'user-alice',
    "the attacker reads the victim's calendar",
  );
});

test('RFC 9700 §4.1.3, RFC 6749 §4.1.2.1: with exact matching, the server shows its error page and redirects nowhere', async () => {
  const {sandbox, config, url} = await runLab('lab-notes-web-exact');
  const verdict = await lab.checkLink(url.href, config);
  assert.equal(verdict.accepted, false);
  if (verdict.accepted) return;
  assert.equal(verdict.status, 400);
  assert.match(verdict.page, /invalid_request/);
  assert.match(verdict.page, /is not registered for lab-notes-web-exact/);
  assert.match(
    verdict.message,
    /^invalid_request: .*is not registered for lab-notes-web-exact/,
    "the error page's message, as text",
  );
  const outcome = await sandbox.browser.authorize(url, {username: 'alice', password: 'wonderland-42'});
  assert.equal(outcome.callbackUrl, undefined);
  assert.deepEqual(outcome.pages, [], 'no sign-in page either');
});
