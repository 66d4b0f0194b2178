/**
 * The device walkthrough, headless: the device's steps run through the runner while the test browser
 * answers the sandbox's real verification pages (RFC 8628 §3.3), as the reader does on the framed phone.
 */
import {it} from 'node:test';
import assert from 'node:assert/strict';
import {decodeJwt} from 'jose';
import {adviceFor} from '../engine/errors';
import type {DeviceCode, DevicePolling, PollRecord} from '../steps/device';
import {fresh, headless, type OpenWalkthrough, type World} from './harness';

type Walkthrough = OpenWalkthrough & {world: World};

/** Discovery, then the device authorization request for `clientId` (the radio button "Code lifetime"). */
async function requestCode(walkthrough: Walkthrough, clientId = 'tv-app'): Promise<DeviceCode> {
  const {as} = (await walkthrough.step()) as {as: {device_authorization_endpoint?: string}};
  assert.equal(as.device_authorization_endpoint, `${walkthrough.env.issuer}/device_authorization`);
  const {deviceAuthorization} = (await walkthrough.step({clientId})) as {deviceAuthorization: DeviceCode};
  return deviceAuthorization;
}

/** The user on the phone: the verification URI with the code in it, signing in as alice. */
async function answerOnPhone(
  walkthrough: Walkthrough,
  code: DeviceCode,
  answers: {confirm?: 'yes' | 'no'; consent?: 'allow' | 'deny'} = {},
): Promise<string> {
  const {alice, browser} = walkthrough.world;
  const outcome = await browser.device(code.verification_uri_complete!, {
    username: alice.username,
    password: alice.password,
    ...answers,
  });
  return outcome.page;
}

/** What the polling step last reported, once it is waiting out the interval. */
async function waitingProgress(walkthrough: Walkthrough, polls: number): Promise<DevicePolling> {
  for (let tries = 0; tries < 200; tries++) {
    const progress = walkthrough.snapshot().progress?.value as DevicePolling | undefined;
    if (progress?.waiting && progress.polls.length >= polls) return progress;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`the device never waited after ${polls} polls`);
}

const answersOf = (polls: PollRecord[]) => polls.map((poll) => poll.answer);

headless('device-authorization', () => {
  it('polls while the user approves on the phone, slows down when polled early, then inspects and calls the API', async () => {
    const walkthrough = await fresh('device-authorization');
    const code = await requestCode(walkthrough);
    assert.match(code.user_code, /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);

    const polling = walkthrough.run().runNext();
    // The first poll goes out at once: the user has not answered (RFC 8628 §3.5 authorization_pending).
    (await waitingProgress(walkthrough, 1)).pollNow();
    // The reader polls before the interval is up: slow_down, and the interval grows by 5 s.
    const slowed = await waitingProgress(walkthrough, 2);
    assert.deepEqual(answersOf(slowed.polls), ['authorization_pending', 'slow_down']);
    assert.equal(slowed.polls[1]?.nextInterval, (code.interval ?? 5) + 5);

    assert.match(await answerOnPhone(walkthrough, code), /Your device is connected/);
    slowed.pollNow();
    assert.equal((await polling).status, 'done');
    const {tokens, polls} = walkthrough.state() as {tokens: {access_token: string}; polls: PollRecord[]};
    assert.deepEqual(answersOf(polls), ['authorization_pending', 'slow_down', 'tokens']);
    assert.equal(decodeJwt(tokens.access_token).client_id, 'tv-app');

    await walkthrough.step();
    const {apiResponse} = (await walkthrough.step()) as {apiResponse: {status: number}};
    assert.equal(apiResponse.status, 200);
    assert.match(walkthrough.snapshot().announcement, /The walkthrough is complete/);
  });

  it('"No, I did not start it" on the phone ends the polling with access_denied (RFC 8628 §3.5, §5.4)', async () => {
    const walkthrough = await fresh('device-authorization');
    const code = await requestCode(walkthrough);
    assert.match(await answerOnPhone(walkthrough, code, {confirm: 'no'}), /Nothing was shared/);
    const error = await walkthrough.fails();
    assert.equal(error.error, 'access_denied');
    assert.equal(adviceFor(error).next, 'start-over');
    const {progress} = walkthrough.snapshot();
    assert.deepEqual(answersOf((progress?.value as DevicePolling).polls), ['access_denied']);
  });

  it('a denied consent on the phone ends the polling with access_denied too', async () => {
    const walkthrough = await fresh('device-authorization');
    const code = await requestCode(walkthrough);
    await answerOnPhone(walkthrough, code, {consent: 'deny'});
    assert.equal((await walkthrough.fails()).error, 'access_denied');
  });

  it('with the quick-expiry client, a code nobody entered expires: expired_token, and the device stops', async () => {
    let now = Date.now();
    const walkthrough = await fresh('device-authorization', {clock: () => now});
    const code = await requestCode(walkthrough, 'tv-app-quick-expiry');
    assert.ok(code.expires_in <= 15, `a short demo lifetime, not ${code.expires_in} s`);
    now += (code.expires_in + 1) * 1000;
    const error = await walkthrough.fails();
    assert.equal(error.error, 'expired_token');
    assert.equal(adviceFor(error).next, 'start-over');
    // A new code works: starting over is the way out.
    walkthrough.run().startOver();
    await requestCode(walkthrough);
  });
});
