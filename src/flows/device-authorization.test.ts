import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import * as oauth from 'oauth4webapi';
import {createSandbox, createMemoryStore, type Catalog} from '../sandbox/app';
import {createTestBrowser, TEST_ISSUER} from '../sandbox/testing';
import {
  DEFAULT_INTERVAL,
  callApi,
  discover,
  pollForTokens,
  pollOnce,
  requestDeviceCode,
  type DeviceConfig,
  type Poll,
} from './device-authorization';

/**
 * A fresh sandbox on a clock the test moves, the TV app's configuration from its catalog, and the
 * user's phone: a test browser that goes through the sandbox's real verification pages.
 */
async function setUp(clientId = 'tv-app') {
  let now = Date.now();
  const app = createSandbox({issuer: TEST_ISSUER, store: createMemoryStore(), clock: () => now});
  const appFetch = async (url: string, init: RequestInit) => app.fetch(new Request(url, init));
  const catalog = (await (await appFetch(`${TEST_ISSUER}/catalog`, {})).json()) as Catalog;
  const client = catalog.clients.find((candidate) => candidate.client_id === clientId)!;
  const calendar = catalog.apis.find((api) => api.id === 'calendar')!;
  const config: DeviceConfig = {
    issuer: TEST_ISSUER,
    clientId,
    ...(client.client_secret ? {clientSecret: client.client_secret} : {}),
    scope: 'openid profile offline_access calendar:read',
    audience: calendar.identifier,
    fetch: appFetch,
  };
  const alice = catalog.users.find((user) => user.username === 'alice')!;
  const phone = createTestBrowser(async (request) => app.fetch(request), TEST_ISSUER);
  /** The user answers on the phone, from the URL the QR code carries. */
  const answer = (url: string, answers: {confirm?: 'yes' | 'no'; consent?: 'allow' | 'deny'} = {}) =>
    phone.device(url, {username: alice.username, password: alice.password, ...answers});
  const as = await discover(config);
  return {config, calendar, as, answer, advance: (ms: number) => (now += ms), alice};
}

describe('RFC 8628 §3.1-3.2: the device authorization request', () => {
  it('discovers the device_authorization_endpoint and gets a device code, a user code and where to enter it', async () => {
    const {as, config} = await setUp();
    assert.equal(as.device_authorization_endpoint, `${TEST_ISSUER}/device_authorization`);
    const codes = await requestDeviceCode(as, config);
    assert.ok(codes.device_code.length >= 32, 'a high-entropy device code');
    // §6.1: 8 letters without vowels or look-alikes, in two groups of four.
    assert.match(codes.user_code, /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    assert.equal(codes.verification_uri, `${TEST_ISSUER}/device`);
    assert.equal(codes.verification_uri_complete, `${TEST_ISSUER}/device?user_code=${codes.user_code}`);
    assert.deepEqual([codes.expires_in, codes.interval], [600, 5]);
  });

  it('a confidential device client authenticates with its secret; a wrong one is invalid_client', async () => {
    const {as, config} = await setUp('meeting-room-display');
    assert.ok(config.clientSecret);
    assert.ok((await requestDeviceCode(as, config)).device_code);
    await assert.rejects(requestDeviceCode(as, {...config, clientSecret: 'wrong'}), (error: unknown) => {
      assert.ok(error instanceof oauth.ResponseBodyError || error instanceof oauth.WWWAuthenticateChallengeError);
      return true;
    });
  });
});

describe('RFC 8628 §3.4-3.5: polling', () => {
  it('polls at once, waits the interval between polls, and gets tokens once the user approved', async () => {
    const {as, config, answer, advance, calendar} = await setUp();
    const codes = await requestDeviceCode(as, config);
    const polls: Poll[] = [];
    const waits: number[] = [];
    const tokens = await pollForTokens(as, config, codes, {
      onPoll: (poll) => polls.push(poll),
      wait: async (milliseconds) => {
        waits.push(milliseconds);
        advance(milliseconds);
        if (waits.length === 2) await answer(codes.verification_uri_complete!);
      },
    });
    assert.deepEqual(
      polls.map((poll) => [poll.answer, poll.nextInterval]),
      [
        ['authorization_pending', 5],
        ['authorization_pending', 5],
        ['tokens', undefined],
      ],
    );
    assert.deepEqual(waits, [5000, 5000]);
    assert.ok(tokens.refresh_token, 'offline_access with the refresh_token grant');
    assert.ok(oauth.getValidatedIdTokenClaims(tokens), 'an ID token, validated');
    assert.equal((await callApi(`${calendar.base_url}/events`, tokens.access_token, config)).status, 200);

    // A device code redeems once (§3.5: anything else is invalid_grant).
    await assert.rejects(pollOnce(as, config, codes.device_code), {error: 'invalid_grant'});
  });

  it('a poll before the interval is up gets slow_down, and the device waits 5 s more from then on', async () => {
    const {as, config, answer, advance} = await setUp();
    const codes = await requestDeviceCode(as, config);
    const waits: number[] = [];
    await pollForTokens(as, config, codes, {
      wait: async (milliseconds) => {
        waits.push(milliseconds);
        // The first wait is cut short: the poll comes too early. Later ones are waited out in full.
        if (waits.length > 1) advance(milliseconds);
        if (waits.length === 3) await answer(codes.verification_uri_complete!);
      },
    });
    assert.deepEqual(waits, [5000, 10_000, 10_000]);
  });

  it('stops with access_denied when the user says they did not start it, or denies consent', async () => {
    for (const answers of [{confirm: 'no' as const}, {consent: 'deny' as const}]) {
      const {as, config, answer} = await setUp();
      const codes = await requestDeviceCode(as, config);
      await answer(codes.verification_uri_complete!, answers);
      const polls: Poll[] = [];
      await assert.rejects(
        pollForTokens(as, config, codes, {onPoll: (poll) => polls.push(poll), wait: async () => undefined}),
        {error: 'access_denied'},
      );
      assert.deepEqual(
        polls.map((poll) => poll.answer),
        ['access_denied'],
      );
    }
  });

  it('stops with expired_token once the code outlived expires_in', async () => {
    const {as, config, advance} = await setUp('tv-app-quick-expiry');
    const codes = await requestDeviceCode(as, config);
    assert.equal(codes.expires_in, 15);
    const polls: Poll[] = [];
    await assert.rejects(
      pollForTokens(as, config, codes, {
        onPoll: (poll) => polls.push(poll),
        wait: async (milliseconds) => void advance(milliseconds),
      }),
      {error: 'expired_token'},
    );
    assert.equal(polls.at(-1)?.answer, 'expired_token');
    assert.ok(polls.length >= 2 && polls.length <= 7, `polled every ${codes.interval} s until expiry: ${polls.length}`);
  });

  it('stops when aborted, and uses 5 s when the server names no interval', async () => {
    const {as, config} = await setUp();
    const codes = await requestDeviceCode(as, config);
    const stop = new AbortController();
    const waits: number[] = [];
    await assert.rejects(
      pollForTokens(
        as,
        config,
        {device_code: codes.device_code, expires_in: codes.expires_in},
        {
          signal: stop.signal,
          wait: async (milliseconds, signal) => {
            waits.push(milliseconds);
            stop.abort(new Error('stopped'));
            signal?.throwIfAborted();
          },
        },
      ),
      /stopped/,
    );
    assert.deepEqual(waits, [DEFAULT_INTERVAL * 1000]);
  });
});
