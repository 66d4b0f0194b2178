import assert from 'node:assert/strict';
import {test} from 'node:test';
import {authorizeWithPkce, createTestSandbox, loginWithPkce, type TestSandbox} from '../test_fixture';

// Concurrent requests: the store's atomic updates decide which one wins; whatever the interleaving,
// no token handed out survives a detected replay (RFC 6749 §4.1.2, RFC 9700 §4.14.2).

const ROUNDS = 20;

function tokenRequest(sandbox: TestSandbox, body: Record<string, string>) {
  return sandbox.fetch(`${sandbox.issuer}/token`, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams(body).toString(),
  });
}

async function apiStatus(sandbox: TestSandbox, accessToken: string): Promise<number> {
  return (await sandbox.fetch(`${sandbox.issuer}/api/calendar/events`, {headers: {authorization: `Bearer ${accessToken}`}})).status;
}

test('RFC 6749 §4.1.2: two simultaneous exchanges of one code never leave a working access token when the replay is detected', async () => {
  const sandbox = await createTestSandbox();
  for (let round = 0; round < ROUNDS; round += 1) {
    const flow = await authorizeWithPkce(sandbox);
    const code = flow.outcome.callbackUrl!.searchParams.get('code')!;
    const body = {grant_type: 'authorization_code', code, redirect_uri: flow.redirectUri, client_id: 'spa', code_verifier: flow.codeVerifier};
    const responses = await Promise.all([tokenRequest(sandbox, body), tokenRequest(sandbox, body)]);
    const bodies = (await Promise.all(responses.map((response) => response.json()))) as Array<{access_token?: string; error?: string}>;
    const winners = bodies.filter((answer) => answer.access_token);
    assert.ok(winners.length <= 1, 'at most one exchange gets tokens');
    for (const answer of bodies.filter((candidate) => !candidate.access_token)) assert.equal(answer.error, 'invalid_grant');
    const replayDetected = bodies.some((answer) => /already used/.test(JSON.stringify(answer)));
    // The loser either found the code unknown (the winner had not marked it used yet) or detected the
    // replay; in that case the winner's access token must be revoked, however the requests interleaved.
    if (replayDetected) {
      for (const winner of winners) assert.equal(await apiStatus(sandbox, winner.access_token!), 401, `round ${round}: the replay was detected but a token works`);
    }
  }
});

test('RFC 9700 §4.14.2: two simultaneous refreshes with one token: one rotates, the other is reuse, and the whole family is revoked', async () => {
  const sandbox = await createTestSandbox();
  for (let round = 0; round < ROUNDS; round += 1) {
    const {tokens} = await loginWithPkce(sandbox);
    const body = {grant_type: 'refresh_token', refresh_token: tokens.refresh_token!, client_id: 'spa'};
    const responses = await Promise.all([tokenRequest(sandbox, body), tokenRequest(sandbox, body)]);
    const bodies = (await Promise.all(responses.map((response) => response.json()))) as Array<{access_token?: string; refresh_token?: string; error?: string}>;
    const refused = bodies.filter((answer) => answer.error);
    assert.ok(refused.length >= 1, `round ${round}: the second use is refused`);
    for (const answer of refused) assert.equal(answer.error, 'invalid_grant');
    for (const winner of bodies.filter((answer) => answer.access_token)) {
      assert.equal(await apiStatus(sandbox, winner.access_token!), 401, `round ${round}: the winner's access token is revoked with its family`);
      const again = await tokenRequest(sandbox, {grant_type: 'refresh_token', refresh_token: winner.refresh_token!, client_id: 'spa'});
      assert.equal(again.status, 400, `round ${round}: the winner's new refresh token is revoked with its family`);
    }
    assert.equal(await apiStatus(sandbox, tokens.access_token), 401, 'the original access token is revoked too');
  }
});
