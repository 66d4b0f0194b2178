import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createTestSandbox, loginWithDevice, startDeviceFlow, type TestSandbox} from '../test-fixture';
import {createTestBrowser, parseForm} from '../testing';

const FORM = {'content-type': 'application/x-www-form-urlencoded'};

/** A browser of its own (its own cookies): another person's phone. */
const anotherBrowser = (sandbox: TestSandbox) =>
  createTestBrowser((request) => sandbox.app.fetch(request), sandbox.issuer);

const enter = (browser: ReturnType<typeof anotherBrowser>, sandbox: TestSandbox, userCode: string) =>
  browser.request(`${sandbox.issuer}/device`, {method: 'POST', headers: FORM, body: `user_code=${userCode}`});

/** The OAuth error a poll ends in, if any. */
async function errorOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return (error as {error?: string}).error;
  }
  return undefined;
}

const alert = (page: string) => /<p class="alert" role="alert">([^<]*)<\/p>/.exec(page)?.[1];

test('RFC 8628 §3.3 / §3.3.1: the code page is prefilled from verification_uri_complete, in any case, with or without the dash', async () => {
  const sandbox = await createTestSandbox();
  const {codes} = await startDeviceFlow(sandbox);
  const page = await (
    await sandbox.fetch(`${sandbox.issuer}/device?user_code=${codes.user_code.toLowerCase().replace('-', '')}`)
  ).text();
  assert.match(page, /<h1>Connect a device<\/h1>/);
  assert.match(page, /<label for="user_code">Code shown on your device<\/label>/);
  assert.match(page, new RegExp(`id="user_code"[\\s\\S]*?value="${codes.user_code}"`));
  assert.match(page, /<button type="submit">Continue<\/button>/);
  const typed = codes.user_code.toLowerCase().replace('-', ' ');
  const outcome = await sandbox.browser.device(`${sandbox.issuer}/device`, {
    userCode: typed,
    username: 'bob',
    password: 'builder-7',
  });
  assert.deepEqual(outcome.pages, ['enter', 'login', 'confirm', 'consent']);
  assert.match(outcome.page, /<h1>Your device is connected<\/h1>/);
  assert.match(outcome.page, /<p role="status"><strong>Acme TV<\/strong>/);
});

test('RFC 8628 §5.4: the confirmation names the client and the user code; only the lab weakness skips it', async () => {
  const sandbox = await createTestSandbox();
  const {codes} = await startDeviceFlow(sandbox);
  const browser = anotherBrowser(sandbox);
  const login = await browser.request((await enter(browser, sandbox, codes.user_code)).headers.get('location')!);
  const form = parseForm(await login.text())!;
  const confirm = await browser.request(
    (
      await browser.request(form.action, {
        method: 'POST',
        headers: FORM,
        body: new URLSearchParams({csrf: form.fields.get('csrf')!, username: 'alice', password: 'wonderland-42'}),
      })
    ).headers.get('location')!,
  );
  const page = await confirm.text();
  assert.match(page, /<h1>Did you start this on a device in front of you\?<\/h1>/);
  assert.match(page, /<strong>Acme TV<\/strong> \(<code>tv-app<\/code>\)/);
  assert.ok(page.includes(`<code>${codes.user_code}</code>`));
  assert.match(page, /value="yes">Yes, I started it</);
  assert.match(page, /value="no">No, I did not start it</);

  const weak = await startDeviceFlow(sandbox, {clientId: 'lab-tv-unconfirmed', scope: 'openid'});
  const strong = await startDeviceFlow(sandbox, {clientId: 'lab-tv-confirmed', scope: 'openid'});
  const user = {username: 'alice', password: 'wonderland-42'};
  const weakRun = await anotherBrowser(sandbox).device(weak.codes.verification_uri_complete!, user);
  const strongRun = await anotherBrowser(sandbox).device(strong.codes.verification_uri_complete!, user);
  assert.deepEqual(weakRun.pages, ['enter', 'login', 'consent']);
  assert.deepEqual(strongRun.pages, ['enter', 'login', 'confirm', 'consent']);
  assert.ok((await weak.poll()).access_token);
});

test('SSO: a user already signed in skips the sign-in page, and is asked to confirm and consent all the same', async () => {
  const sandbox = await createTestSandbox();
  await loginWithDevice(sandbox);
  const {codes} = await startDeviceFlow(sandbox);
  const outcome = await sandbox.browser.device(codes.verification_uri_complete!);
  assert.deepEqual(outcome.pages, ['enter', 'confirm', 'consent']);
});

test('RFC 8628 §5.1: a wrong code is an error on the page; 5 in a browser pause it, the right code too, until the window ends', async () => {
  const sandbox = await createTestSandbox();
  // A code that outlives the 10-minute window.
  const {codes, poll} = await startDeviceFlow(sandbox, {clientId: 'lab-tv-unconfirmed', scope: 'openid'});
  const browser = anotherBrowser(sandbox);
  await browser.request(`${sandbox.issuer}/device`);
  assert.ok(browser.cookies.has('sandbox_device_browser'), 'the page names the browser for its count');
  // Not a code at all: said so, and not counted.
  for (let i = 0; i < 6; i++) {
    const malformed = await enter(browser, sandbox, 'HELLO');
    assert.match(alert(await malformed.text()) ?? '', /8 letters/);
  }
  const guesses = ['BBBB-BBBB', 'CCCC-CCCC', 'DDDD-DDDD', 'FFFF-FFFF', 'GGGG-GGGG'];
  for (const guess of guesses) {
    const wrong = await enter(browser, sandbox, guess);
    assert.equal(wrong.status, 200);
    assert.equal(wrong.headers.get('location'), null);
    assert.match(alert(await wrong.text()) ?? '', /is not a valid code, or it expired/);
  }
  const paused = await enter(browser, sandbox, codes.user_code);
  assert.equal(paused.status, 429);
  assert.ok(Number(paused.headers.get('retry-after')) > 500);
  assert.match(alert(await paused.text()) ?? '', /^Too many wrong codes\. .* paused: try again in 10 minutes\.$/);
  // Another browser is not paused, and the right code works there.
  assert.equal((await enter(anotherBrowser(sandbox), sandbox, codes.user_code)).status, 303);
  sandbox.advance(600);
  assert.equal((await enter(browser, sandbox, codes.user_code)).status, 303, 'the window is over');
  assert.equal(await errorOf(poll()), 'authorization_pending');
});

test('RFC 8628 §5.1: wrong codes from all browsers together are limited too', async () => {
  const sandbox = await createTestSandbox({deviceLimits: {guessesTotal: 3}});
  const {codes} = await startDeviceFlow(sandbox);
  for (const guess of ['BBBBBBBB', 'CCCCCCCC', 'DDDDDDDD']) {
    const browser = anotherBrowser(sandbox);
    await browser.request(`${sandbox.issuer}/device`);
    assert.equal((await enter(browser, sandbox, guess)).status, 200);
  }
  const stored = await sandbox.store.size();
  for (let i = 0; i < 10; i++) {
    const fresh = anotherBrowser(sandbox);
    await fresh.request(`${sandbox.issuer}/device`);
    assert.equal((await enter(fresh, sandbox, codes.user_code)).status, 429);
  }
  assert.equal(await sandbox.store.size(), stored, 'refused entries from new browsers store nothing');
});

test('RFC 8628 §5.1: a burst of parallel guesses gets no more tries than the limit', async () => {
  const sandbox = await createTestSandbox();
  const browser = anotherBrowser(sandbox);
  await browser.request(`${sandbox.issuer}/device`);
  const answers = await Promise.all(Array.from({length: 20}, () => enter(browser, sandbox, 'BBBBBBBB')));
  assert.equal(answers.filter((answer) => answer.status === 200).length, 5);
  assert.equal(answers.filter((answer) => answer.status === 429).length, 15);
});

test('CSRF: step forms need their CSRF value and must come from the sandbox, a same-origin frame included', async () => {
  const sandbox = await createTestSandbox();
  const {codes, poll} = await startDeviceFlow(sandbox);
  const browser = anotherBrowser(sandbox);
  const step = (await enter(browser, sandbox, codes.user_code)).headers.get('location')!;
  const csrf = parseForm(await (await browser.request(step)).text())!.fields.get('csrf')!;
  const login = (headers: Record<string, string>, token = csrf) =>
    browser.request(step, {
      method: 'POST',
      headers: {...FORM, ...headers},
      body: new URLSearchParams({csrf: token, username: 'alice', password: 'wonderland-42'}),
    });
  assert.equal((await login({}, 'forged')).status, 400);
  assert.equal((await login({'sec-fetch-site': 'cross-site'})).status, 400);
  assert.equal((await login({origin: 'https://evil.test'})).status, 400);
  const worker = await sandbox.app.fetch(
    new Request(step, {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({csrf, username: 'alice', password: 'x'}),
    }),
    {sentFromSameOrigin: false},
  );
  assert.equal(worker.status, 400, 'the Service Worker saw it come from another site');
  assert.equal(await errorOf(poll()), 'authorization_pending', 'nothing decided');
  // The walkthrough's phone frame: a page of the same origin posts it.
  const framed = await login({'sec-fetch-site': 'same-origin', origin: new URL(sandbox.issuer).origin});
  assert.equal(framed.status, 303);
  assert.match(framed.headers.get('location')!, /\/confirm$/);
  // A code posted by another site is refused before it is looked at.
  const forged = await browser.request(`${sandbox.issuer}/device`, {
    method: 'POST',
    headers: {...FORM, 'sec-fetch-site': 'cross-site'},
    body: `user_code=${codes.user_code}`,
  });
  assert.equal(forged.status, 400);
});

test('RFC 9700 §4.16: the device pages may be framed by the same origin only; every other page keeps DENY', async () => {
  const sandbox = await createTestSandbox();
  const {codes} = await startDeviceFlow(sandbox);
  const browser = anotherBrowser(sandbox);
  const step = (await enter(browser, sandbox, codes.user_code)).headers.get('location')!;
  const framable = [
    await sandbox.fetch(`${sandbox.issuer}/device`),
    await sandbox.fetch(`${sandbox.issuer}/device?user_code=${codes.user_code}`),
    await browser.request(step),
    await sandbox.fetch(`${sandbox.issuer}/device/unknown/login`),
    await enter(browser, sandbox, 'BBBBBBBB'),
  ];
  for (const response of framable) {
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(response.headers.get('x-frame-options'), 'SAMEORIGIN', response.url);
    assert.equal(response.headers.get('content-security-policy'), "frame-ancestors 'self'");
    assert.equal(response.headers.get('referrer-policy'), 'same-origin');
  }
  for (const path of [
    '/interaction/unknown/login',
    '/authorize?client_id=ghost',
    '/devices',
    '/device_authorization',
  ]) {
    const response = await sandbox.fetch(`${sandbox.issuer}${path}`);
    if (!(response.headers.get('content-type') ?? '').startsWith('text/html')) continue;
    assert.equal(response.headers.get('x-frame-options'), 'DENY', path);
    assert.equal(response.headers.get('content-security-policy'), "frame-ancestors 'none'", path);
  }
  const login = await sandbox.fetch(`${sandbox.issuer}/interaction/unknown/login`);
  assert.equal(login.headers.get('x-frame-options'), 'DENY');
});

test('RFC 8628 §3.3: a decided code cannot be entered again, and a step of another browser is over once decided', async () => {
  const sandbox = await createTestSandbox();
  const {codes} = await startDeviceFlow(sandbox);
  const slow = anotherBrowser(sandbox);
  const slowStep = (await enter(slow, sandbox, codes.user_code)).headers.get('location')!;
  await sandbox.browser.device(codes.verification_uri_complete!, {username: 'alice', password: 'wonderland-42'});
  const again = await enter(anotherBrowser(sandbox), sandbox, codes.user_code);
  assert.match(alert(await again.text()) ?? '', /is not a valid code/);
  const late = await slow.request(slowStep);
  assert.equal(late.status, 400);
  assert.match(alert(await late.text()) ?? '', /expired or was already used/);
});

test('RFC 8628 §3.3: Cancel on the sign-in page denies the device; a step form sent twice moves on, never twice', async () => {
  const sandbox = await createTestSandbox();
  const {codes, poll} = await startDeviceFlow(sandbox);
  const browser = anotherBrowser(sandbox);
  const step = (await enter(browser, sandbox, codes.user_code)).headers.get('location')!;
  const csrf = parseForm(await (await browser.request(step)).text())!.fields.get('csrf')!;
  const cancelled = await browser.request(step, {method: 'POST', headers: FORM, body: `csrf=${csrf}&action=cancel`});
  assert.match(await cancelled.text(), /<h1>Nothing was shared<\/h1>/);
  assert.equal(await errorOf(poll()), 'access_denied');
});
