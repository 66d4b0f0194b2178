/**
 * The security labs, headless: each run once with its defence off and once with it on, the same moves
 * both times, and opposite verdicts. The first step of every lab is its switch, a form field `defence`.
 */
import {it} from 'node:test';
import assert from 'node:assert/strict';
import type {CatalogUser} from '../../contract/catalog';
import {fresh, headless, type World} from './harness';

type Defence = 'off' | 'on';
const both: Defence[] = ['off', 'on'];

headless('code-interception', () => {
  for (const defence of both) {
    it(`PKCE ${defence}: the malicious app's redemption of the intercepted code ${defence === 'off' ? 'works' : 'is refused (RFC 7636 §4.6)'}`, async () => {
      const lab = await fresh('code-interception');
      await lab.step({defence});
      await lab.step();
      await lab.step();
      await lab.step();
      await lab.leave();
      assert.ok(lab.state().interceptedUrl);
      const {outcome, apiStatus} = (await lab.step()) as {
        outcome: {redeemed: boolean; error?: string};
        apiStatus?: number;
      };
      if (defence === 'off') assert.deepEqual([outcome.redeemed, apiStatus], [true, 200]);
      else assert.deepEqual([outcome.redeemed, outcome.error], [false, 'invalid_grant']);
    });
  }
});

headless('refresh-token-theft', () => {
  for (const defence of both) {
    it(`rotation ${defence}: the thief ${defence === 'off' ? 'keeps refreshing' : 'is locked out once the app refreshes (RFC 9700 §4.14.2)'}`, async () => {
      const lab = await fresh('refresh-token-theft');
      await lab.step({defence});
      await lab.step();
      await lab.step();
      await lab.step();
      await lab.leave();
      await lab.step();
      type Attempt = {outcome: {ok: boolean; error?: string}};
      const {theft} = (await lab.step()) as {theft: Attempt};
      assert.equal(theft.outcome.ok, true, 'the first use of the stolen token works either way');
      const {appRefresh} = (await lab.step()) as {appRefresh: Attempt};
      const {theftAgain} = (await lab.step()) as {theftAgain: Attempt};
      if (defence === 'off') assert.deepEqual([appRefresh.outcome.ok, theftAgain.outcome.ok], [true, true]);
      else assert.deepEqual([appRefresh.outcome.error, theftAgain.outcome.error], ['invalid_grant', 'invalid_grant']);
    });
  }
});

headless('mix-up', () => {
  for (const defence of both) {
    it(`iss check ${defence}: the attacker ${defence === 'off' ? "gets the sandbox's code and redeems it" : 'never sees the code (RFC 9207 §2.4)'}`, async () => {
      const lab = await fresh('mix-up');
      await lab.step({defence});
      await lab.step();
      await lab.step();
      await lab.leave();
      const {redeemed} = (await lab.step()) as {redeemed: {sent: boolean}};
      const {theft} = (await lab.step()) as {
        theft: {stolen: boolean; outcome?: {sent: boolean; tokens?: unknown}; apiStatus?: number};
      };
      assert.equal(redeemed.sent, defence === 'off');
      if (defence === 'off')
        assert.deepEqual([theft.stolen, Boolean(theft.outcome?.tokens), theft.apiStatus], [true, true, 200]);
      else assert.equal(theft.stolen, false);
    });
  }
});

headless('loose-redirect-uri', () => {
  for (const defence of both) {
    it(`exact matching ${defence}: the crafted redirect URI ${defence === 'off' ? "brings the code to the attacker's page" : 'is refused with no redirect (RFC 9700 §4.1.3)'}`, async () => {
      const lab = await fresh('loose-redirect-uri');
      await lab.step({defence});
      await lab.step();
      await lab.step();
      await lab.step();
      if (defence === 'off') {
        const landed = await lab.leave();
        assert.equal(
          new URL(landed).pathname,
          new URL(lab.env.pageUrl).pathname,
          'the browser resolved the dot segments to this page',
        );
        const {outcome, api} = (await lab.step()) as {
          outcome: {redeemed: boolean};
          api?: {status: number; sub?: string};
        };
        assert.deepEqual([outcome.redeemed, api?.status, api?.sub], [true, 200, lab.world.alice.sub]);
      } else {
        const {landing} = (await lab.step()) as {landing: {refused?: {status: number; message: string}}};
        assert.equal(landing.refused?.status, 400);
        assert.match(landing.refused.message, /redirect_uri/);
        assert.deepEqual(await lab.step(), {});
      }
    });
  }
});

headless('tokens-in-url', () => {
  for (const defence of both) {
    it(`code flow ${defence}: a script reading the address ${defence === 'off' ? 'finds an access token' : 'finds a spent code (RFC 9700 §2.1.2)'}`, async () => {
      const lab = await fresh('tokens-in-url');
      await lab.step({defence});
      await lab.step();
      await lab.step();
      await lab.step();
      const returned = new URL(await lab.leave());
      assert.equal(returned.hash.includes('access_token='), defence === 'off');
      await lab.step();
      const {reader, apiStatus} = (await lab.step()) as {reader: {found: string; error?: string}; apiStatus?: number};
      if (defence === 'off') assert.deepEqual([reader.found, apiStatus], ['access_token', 200]);
      else assert.deepEqual([reader.found, reader.error], ['code', 'invalid_grant']);
    });
  }
});

headless('login-csrf', () => {
  for (const defence of both) {
    it(`state ${defence}: the planted response ${defence === 'off' ? 'signs the victim in as the attacker' : 'is refused before any token request (RFC 6749 §10.12)'}`, async () => {
      const lab = await fresh('login-csrf');
      await lab.step({defence});
      await lab.step();
      await lab.step();
      await lab.leave({user: lab.world.bob});
      await lab.leave();
      const {outcome, saved} = (await lab.step()) as {
        outcome: {signedIn: boolean; claims?: {sub: string}};
        saved?: {status: number; sub?: string};
      };
      if (defence === 'off')
        assert.deepEqual([outcome.claims?.sub, saved?.sub], [lab.world.bob.sub, lab.world.bob.sub]);
      else assert.deepEqual([outcome.signedIn, saved], [false, undefined]);
    });
  }
});

headless('id-token-replay', () => {
  for (const defence of both) {
    it(`nonce check ${defence}: the copied ID token ${defence === 'off' ? 'signs the attacker in as the victim' : 'is refused (OIDC Core §15.5.2)'}`, async () => {
      const lab = await fresh('id-token-replay');
      await lab.step({defence});
      await lab.leave();
      assert.equal(lab.state().victimSub, lab.world.alice.sub);
      await lab.step();
      const {replay} = (await lab.step()) as {
        replay: {accepted: boolean; sub?: string; status?: number; failure?: string};
      };
      if (defence === 'off') assert.deepEqual([replay.accepted, replay.sub], [true, lab.world.alice.sub]);
      else assert.deepEqual([replay.accepted, replay.status], [false, 400]);
    });
  }

  it("a denied consent fails the victim's sign-in with the app's report", async () => {
    const lab = await fresh('id-token-replay');
    await lab.step({defence: 'on'});
    await lab.leave({consent: 'deny'});
    assert.equal(lab.snapshot().failure?.index, 1);
    assert.match(lab.snapshot().failure!.error.message, /access_denied/);
  });
});

/** The fields of a page's first form, its action, and its submit buttons by their text. */
function readForm(page: string) {
  const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/.exec(page);
  assert.ok(form, 'the page has a form');
  const decode = (value: string) =>
    value.replace(
      /&(amp|lt|gt|quot|#39);/g,
      (_, entity: string) => ({amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'"})[entity]!,
    );
  const attribute = (tag: string, name: string) => {
    const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
    return match ? decode(match[1]) : undefined;
  };
  const fields = new URLSearchParams();
  for (const [tag] of form[2].matchAll(/<input\b[^>]*>/g)) {
    const name = attribute(tag, 'name');
    if (name && attribute(tag, 'type') !== 'submit') fields.set(name, attribute(tag, 'value') ?? '');
  }
  const buttons = new Map<string, {name?: string; value?: string}>();
  for (const [, tag, text] of form[2].matchAll(/(<button\b[^>]*>)([\s\S]*?)<\/button>/g)) {
    buttons.set(
      text
        .replace(/<[^>]*>/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
      {
        name: attribute(tag, 'name'),
        value: attribute(tag, 'value'),
      },
    );
  }
  return {action: decode(form[1]), fields, buttons};
}

/**
 * The victim's phone, headless: opens the link in the world's browser and answers the sandbox's real pages
 * (enter the code, sign in, the RFC 8628 §5.4 question, consent) until the last one; returns its heading.
 */
async function answerPhone(world: World, link: string, user: CatalogUser, startedOnDevice: boolean): Promise<string> {
  let address = link;
  let response = await world.browser.request(address);
  for (let hops = 0; hops < 12; hops++) {
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      address = new URL(location, address).href;
      response = await world.browser.request(address);
      continue;
    }
    const page = await response.text();
    const heading = (/<h1[^>]*>([\s\S]*?)<\/h1>/.exec(page)?.[1] ?? '').replace(/<[^>]*>/g, '').trim();
    if (heading === 'Your device is connected' || heading === 'Nothing was shared') return heading;
    const choice =
      {
        'Connect a device': 'Continue',
        'Sign in': 'Sign in',
        'Did you start this on a device in front of you?': startedOnDevice
          ? 'Yes, I started it'
          : 'No, I did not start it',
      }[heading] ?? (heading.startsWith('Authorize ') ? 'Allow' : undefined);
    assert.ok(choice, `the phone stopped at "${heading}" (HTTP ${response.status})`);
    const form = readForm(page);
    if (heading === 'Sign in') {
      form.fields.set('username', user.username);
      form.fields.set('password', user.password);
    }
    const button = form.buttons.get(choice);
    assert.ok(button, `"${heading}" has a "${choice}" button`);
    if (button.name) form.fields.set(button.name, button.value ?? '');
    address = new URL(form.action, address).href;
    response = await world.browser.request(address, {
      method: 'POST',
      headers: {'content-type': 'application/x-www-form-urlencoded'},
      body: form.fields.toString(),
    });
  }
  throw new Error(`Too many pages after ${link}`);
}

headless('device-code-phishing', () => {
  for (const defence of both) {
    it(`confirmation ${defence}: the victim's answer on the real pages ${defence === 'off' ? "hands the attacker's device tokens and the calendar" : 'denies the request, and the attacker polls access_denied (RFC 8628 §5.4)'}`, async () => {
      const lab = await fresh('device-code-phishing');
      await lab.step({defence});
      const {authorization} = (await lab.step()) as {authorization: {expires_in: number}};
      assert.equal(authorization.expires_in, defence === 'off' ? 1800 : 300);
      const {lure} = (await lab.step()) as {lure: {link: string}};
      // The attacker's device polls while the victim, who started nothing, answers on the phone.
      const polling = lab.step();
      const last = await answerPhone(lab.world, lure.link, lab.world.alice, false);
      const {answer} = (await polling) as {answer: {kind: string; error?: string}};
      const {api} = (await lab.step()) as {api?: {status: number; sub?: string}};
      if (defence === 'off') {
        assert.deepEqual([last, answer.kind], ['Your device is connected', 'tokens']);
        assert.deepEqual([api?.status, api?.sub], [200, lab.world.alice.sub]);
      } else {
        assert.deepEqual([last, answer.kind, answer.error], ['Nothing was shared', 'refused', 'access_denied']);
        assert.equal(api, undefined);
      }
    });
  }
});
