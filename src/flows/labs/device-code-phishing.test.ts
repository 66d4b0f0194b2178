import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {AuthorizationServer} from 'oauth4webapi';
import * as lab from './device-code-phishing';

const as: AuthorizationServer = {
  issuer: 'https://sandbox.test/sandbox',
  token_endpoint: 'https://sandbox.test/sandbox/token',
  device_authorization_endpoint: 'https://sandbox.test/sandbox/device_authorization',
};

/** A token endpoint that answers each poll with the next of `answers` (an RFC 8628 §3.5 error or tokens). */
function scriptedServer(answers: string[]) {
  const bodies: URLSearchParams[] = [];
  const config: lab.LabConfig = {
    issuer: as.issuer,
    clientId: 'lab-tv-unconfirmed',
    scope: 'calendar:read',
    audience: `${as.issuer}/api/calendar`,
    fetch: async (_url, init) => {
      bodies.push(new URLSearchParams(init.body as URLSearchParams));
      const next = answers.shift() ?? 'expired_token';
      const headers = {'content-type': 'application/json', 'cache-control': 'no-store'};
      if (next === 'tokens')
        return new Response(JSON.stringify({access_token: 'at', token_type: 'Bearer', expires_in: 300}), {headers});
      return new Response(JSON.stringify({error: next}), {status: 400, headers});
    },
  };
  return {config, bodies};
}

test('the lure carries the server’s own verification_uri_complete and says how long the code lives', () => {
  const lure = lab.writeLure(
    {
      device_code: 'dc',
      user_code: 'WDJB-MJHT',
      verification_uri: 'https://sandbox.test/sandbox/device',
      verification_uri_complete: 'https://sandbox.test/sandbox/device?user_code=WDJB-MJHT',
      expires_in: 1800,
    },
    'Acme TV',
  );
  assert.equal(lure.link, 'https://sandbox.test/sandbox/device?user_code=WDJB-MJHT');
  assert.ok(lure.body.includes(lure.link));
  assert.match(lure.body, /within 30 minutes/);
  assert.match(lure.subject, /^Acme TV: your subscription is paused/);
});

test('RFC 8628 §3.4-3.5: polls with the device grant, waits the interval, 5 s more after slow_down, stops on tokens', async () => {
  const {config, bodies} = scriptedServer(['authorization_pending', 'slow_down', 'authorization_pending', 'tokens']);
  const waits: number[] = [];
  const seen: string[] = [];
  const answer = await lab.pollUntilAnswered(
    as,
    config,
    {device_code: 'the-device-code', expires_in: 600, interval: 5},
    {wait: async (milliseconds) => void waits.push(milliseconds), onPoll: (each) => seen.push(each.answer)},
  );
  assert.equal(answer.kind, 'tokens');
  // The first poll at once, then the interval, 5 s longer from the slow_down on.
  assert.deepEqual(waits, [5000, 10_000, 10_000]);
  assert.deepEqual(seen, ['authorization_pending', 'slow_down', 'authorization_pending', 'tokens']);
  for (const body of bodies) {
    assert.equal(body.get('grant_type'), 'urn:ietf:params:oauth:grant-type:device_code');
    assert.equal(body.get('device_code'), 'the-device-code');
    assert.equal(body.get('client_id'), 'lab-tv-unconfirmed');
  }
});

test('RFC 8628 §3.5: access_denied and expired_token end the polling as refusals', async () => {
  for (const error of ['access_denied', 'expired_token']) {
    const {config} = scriptedServer(['authorization_pending', error]);
    const answer = await lab.pollUntilAnswered(
      as,
      config,
      {device_code: 'dc', expires_in: 600},
      {wait: async () => undefined},
    );
    assert.deepEqual(answer, {kind: 'refused', status: 400, error});
  }
});
