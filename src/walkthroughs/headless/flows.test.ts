import {it} from 'node:test';
import assert from 'node:assert/strict';
import {decodeJwt} from 'jose';
import {adviceFor} from '../engine/errors';
import {fresh, headless, type OpenWalkthrough} from './harness';

/** The API answer a step gave, by its status. */
const statusOf = (gives: Record<string, unknown>, key: string) => (gives[key] as {status: number}).status;

/** The authorization request, the sign-in and the code's exchange of the SPA-shaped walkthroughs, from the first step. */
async function signInAndExchange(walkthrough: OpenWalkthrough): Promise<void> {
  await walkthrough.step();
  await walkthrough.step();
  await walkthrough.step();
  await walkthrough.leave();
  assert.ok(walkthrough.state().callbackUrl, 'the sign-in came back with a checked response');
  const {tokens} = (await walkthrough.step()) as {tokens: {access_token: string; refresh_token?: string}};
  assert.ok(tokens.access_token);
}

headless('client-credentials', () => {
  it('gets a token with the registered method and secret, and calls the API', async () => {
    const walkthrough = await fresh('client-credentials');
    const {client} = walkthrough.env;
    await walkthrough.step();
    const {tokens} = (await walkthrough.step({
      authMethod: client.token_endpoint_auth_method,
      clientSecret: client.client_secret!,
    })) as {tokens: {access_token: string}};
    assert.equal(decodeJwt(tokens.access_token).client_id, client.client_id);
    await walkthrough.step();
    assert.equal(statusOf(await walkthrough.step(), 'apiResponse'), 200);
  });

  it('a wrong secret is refused with invalid_client (RFC 6749 §5.2), and the step can be run again', async () => {
    const walkthrough = await fresh('client-credentials');
    const {client} = walkthrough.env;
    await walkthrough.step();
    const error = await walkthrough.fails({
      authMethod: client.token_endpoint_auth_method,
      clientSecret: `${client.client_secret}x`,
    });
    assert.equal(error.error, 'invalid_client');
    assert.equal(adviceFor(error).next, 'try-again');
    assert.equal(walkthrough.snapshot().failure?.exchanges[0]?.response?.status, 401);
    await walkthrough.step({authMethod: client.token_endpoint_auth_method, clientSecret: client.client_secret!});
  });
});

headless('resource-owner-password', () => {
  it("trades the demo user's password for tokens, and calls the API", async () => {
    const walkthrough = await fresh('resource-owner-password');
    const {alice} = walkthrough.world;
    await walkthrough.step();
    const {tokens} = (await walkthrough.step({username: alice.username, password: alice.password})) as {
      tokens: {access_token: string; refresh_token?: string};
    };
    assert.ok(tokens.refresh_token);
    await walkthrough.step();
    assert.equal(statusOf(await walkthrough.step(), 'apiResponse'), 200);
  });

  it('a wrong password is refused with invalid_grant, which the reader may correct', async () => {
    const walkthrough = await fresh('resource-owner-password');
    await walkthrough.step();
    const error = await walkthrough.fails({username: walkthrough.world.alice.username, password: 'not-the-password'});
    assert.equal(error.error, 'invalid_grant');
    assert.equal(adviceFor(error).next, 'try-again');
  });
});

/** The demo web apps' walkthroughs: the app's server signs in; the page reads the app's report. */
function webAppRuns(slug: 'authorization-code' | 'implicit-form-post'): void {
  it("signs in through the app's server and back to the page, which reads what crossed the browser", async () => {
    const walkthrough = await fresh(slug);
    const before = await walkthrough.step();
    assert.equal(before.before, null, 'nobody is signed in at first');
    await walkthrough.leave();
    const report = walkthrough.state().report as {session: {idTokenClaims: {sub: string}}};
    assert.equal(report.session.idTokenClaims.sub, walkthrough.world.alice.sub);
    await walkthrough.step();
    if (slug === 'authorization-code') {
      assert.equal(statusOf(await walkthrough.step(), 'apiAnswer'), 200);
      return;
    }
    // RFC 6749 §10.12: the posted state was used once; OIDC Core §3.2.2.11: the old ID token's nonce is another sign-in's.
    assert.equal(statusOf(await walkthrough.step(), 'replay'), 400);
    const {injection} = (await walkthrough.step()) as {injection: {status: number; message: string}};
    assert.equal(injection.status, 400);
    assert.match(injection.message, /nonce/i);
  });

  it("a denied consent comes back as the app's access_denied (RFC 6749 §4.1.2.1), and the step fails", async () => {
    const walkthrough = await fresh(slug);
    await walkthrough.step();
    await walkthrough.leave({consent: 'deny'});
    const {failure} = walkthrough.snapshot();
    assert.equal(failure?.index, 1);
    assert.equal(failure?.error.error, 'access_denied');
    assert.equal(walkthrough.snapshot().saved.awaitingReturn, undefined);
  });
}

headless('authorization-code', () => webAppRuns('authorization-code'));
headless('implicit-form-post', () => webAppRuns('implicit-form-post'));

/** The walkthroughs whose page is the redirect URI: sign in, exchange the code, refresh. */
function codeFlowRuns(slug: 'authorization-code-pkce' | 'native-apps'): void {
  it('signs in, exchanges the code with its verifier, inspects the tokens and refreshes with rotation', async () => {
    const walkthrough = await fresh(slug);
    await signInAndExchange(walkthrough);
    await walkthrough.step();
    if (slug === 'authorization-code-pkce') assert.equal(statusOf(await walkthrough.step(), 'apiResponse'), 200);
    const {reuse} = (await walkthrough.step()) as {reuse: {refused: boolean; error?: string}};
    assert.deepEqual([reuse.refused, reuse.error], [true, 'invalid_grant']);
    assert.equal(
      walkthrough.snapshot().announcement,
      `Step ${walkthrough.definition.steps.length} done: ${walkthrough.definition.steps.at(-1)!.title}. The walkthrough is complete.`,
    );
  });

  it('a denied consent fails the sign-in with access_denied (RFC 6749 §4.1.2.1); so does a tampered state (§10.12)', async () => {
    const walkthrough = await fresh(slug);
    for (let index = 0; index < 3; index++) await walkthrough.step();
    await walkthrough.leave({consent: 'deny'});
    assert.equal(walkthrough.snapshot().failure?.index, 3);
    assert.equal(walkthrough.snapshot().failure?.error.error, 'access_denied');
    assert.equal(adviceFor(walkthrough.snapshot().failure!.error).next, 'start-over');

    await walkthrough.leave({tamper: (url) => url.searchParams.set('state', 'forged')});
    assert.equal(walkthrough.snapshot().failure?.index, 3);
    assert.match(walkthrough.snapshot().failure!.error.message, /state/i);
    assert.equal(walkthrough.snapshot().saved.completed.length, 3);
  });
}

headless('authorization-code-pkce', () => codeFlowRuns('authorization-code-pkce'));
headless('native-apps', () => codeFlowRuns('native-apps'));

headless('multiple-audiences', () => {
  it('a calendar token is refused by the contacts API; a second round, without a login, gets one for it', async () => {
    const walkthrough = await fresh('multiple-audiences');
    await signInAndExchange(walkthrough);
    assert.equal(statusOf(await walkthrough.step(), 'apiResponse'), 200);
    const {apiResult} = (await walkthrough.step()) as {apiResult: {ok: boolean; status: number}};
    assert.deepEqual([apiResult.ok, apiResult.status], [false, 401]);
    await walkthrough.step();
    await walkthrough.leave();
    await walkthrough.step();
    assert.equal(statusOf(await walkthrough.step(), 'apiResponse'), 200);
  });

  it('a denied consent for the contacts API fails the second sign-in', async () => {
    const walkthrough = await fresh('multiple-audiences');
    await signInAndExchange(walkthrough);
    await walkthrough.step();
    await walkthrough.step();
    await walkthrough.step();
    await walkthrough.leave({consent: 'deny'});
    assert.equal(walkthrough.snapshot().failure?.error.error, 'access_denied');
  });
});

headless('refresh-tokens', () => {
  it('rotates, detects reuse, signs in again, revokes, introspects and reads the refusal', async () => {
    const walkthrough = await fresh('refresh-tokens');
    await signInAndExchange(walkthrough);
    await walkthrough.step();
    assert.equal(((await walkthrough.step()).refreshRefusal as {error: string}).error, 'invalid_grant');
    await walkthrough.step();
    await walkthrough.leave();
    await walkthrough.step();
    await walkthrough.step();
    const {introspected} = (await walkthrough.step()) as {
      introspected: Array<{active?: boolean; response?: {active: boolean}}>;
    };
    assert.equal(introspected.length, 2);
    const last = await walkthrough.step();
    assert.equal((last.refreshRefusal as {error: string}).error, 'invalid_grant');
    assert.ok(last.advice);
  });

  it('a code redeemed twice is refused with invalid_grant (RFC 6749 §4.1.2), which only starting over can help', async () => {
    const walkthrough = await fresh('refresh-tokens');
    await signInAndExchange(walkthrough);
    const again = await walkthrough.run().runStep(4);
    assert.equal(again.status, 'failed');
    const error = walkthrough.snapshot().failure!.error;
    assert.equal(error.error, 'invalid_grant');
    assert.equal(adviceFor(error).next, 'start-over');
  });
});
