/**
 * Every registered walkthrough, run to the end as a reader would, in each engine: the guide's flows
 * end with their tokens verified; each security lab's attack works with its defence off and is refused
 * with it on. Chromium runs the detailed spec of each walkthrough (e2e/walkthroughs/) instead.
 */
import {buildCatalog} from '../../src/sandbox/catalog';
import {walkthroughs, type WalkthroughSlug} from '../../src/walkthroughs/registry';
import {expect, test} from './fixtures';
import {EngineWalkthrough} from './walkthrough';

const slugs = Object.keys(walkthroughs) as WalkthroughSlug[];
const demoUser = buildCatalog('https://sandbox.test/sandbox', 'https://docs.test/').users[0];

/**
 * What each guide walkthrough's results must show at the end, beyond token checks that all passed: an
 * API's 200, or the RFC error a step provokes on purpose. Tokens that never reach the browser (the web
 * app's) are proven by the API call the app's server makes with them.
 */
const PROOF: Record<string, {tokensInspected: boolean; shows: RegExp[]}> = {
  'client-credentials': {tokensInspected: true, shows: [/answered 200 with \d+ events/]},
  'resource-owner-password': {tokensInspected: true, shows: [/answered 200 with \d+ events/]},
  'authorization-code': {tokensInspected: false, shows: [/The calendar API answered the app's server 200/]},
  'authorization-code-pkce': {
    tokensInspected: true,
    shows: [/answered 200 with \d+ events/, /Reusing the old refresh token was refused with HTTP 400: invalid_grant/],
  },
  'implicit-form-post': {
    tokensInspected: false,
    shows: [
      /id_token/,
      /The app refused it with HTTP 400: .*no sign-in/i,
      /The app refused it with HTTP 400: the ID token nonce does not match/,
    ],
  },
  'native-apps': {tokensInspected: true, shows: [/invalid_grant/]},
  'multiple-audiences': {tokensInspected: false, shows: [/Contacts API answered 200 with \d+ people/]},
  'refresh-tokens': {tokensInspected: false, shows: [/invalid_grant/]},
  // The reader approves on the phone, framed beside the device; the device's polls end with tokens.
  'device-authorization': {tokensInspected: true, shows: [/tokens: the user approved/, /answered 200 with \d+ events/]},
};

/**
 * How a lab says who won, by the name of its verdict notes: most labs end with "Attack succeeded" or
 * "Attack refused"; the refresh token theft lab names what each party's last refresh got.
 */
const VERDICTS: Record<string, {succeeded: string; refused: string}> = {
  'refresh-token-theft': {succeeded: 'the attacker: new tokens', refused: 'the attacker: refused'},
};
const DEFAULT_VERDICTS = {succeeded: 'Attack succeeded', refused: 'Attack refused'};

/** How a lab's victim answers the phone's RFC 8628 §5.4 question: the phished victim started nothing. */
const PHONE_ANSWERS: Record<string, {startedOnDevice: boolean}> = {
  'device-code-phishing': {startedOnDevice: false},
};

/** The lab's last verdict note: what the attacker finally got. */
function verdict(notes: Array<{name: string}>, names: {succeeded: string; refused: string}): string | undefined {
  return notes
    .map((note) => note.name)
    .filter((name) => name === names.succeeded || name === names.refused)
    .at(-1);
}

/** With every result shown, the page does not scroll sideways and the diagram stays on the screen (Firefox's is a phone's). */
async function expectFits(walkthrough: EngineWalkthrough): Promise<void> {
  const {page, diagram} = await walkthrough.overflow();
  expect(page, 'the page scrolls sideways').toBeLessThanOrEqual(0);
  expect(diagram, 'the walkthrough shows its sequence diagram').not.toBeNull();
  expect(diagram!, 'the sequence diagram reaches past the screen').toBeLessThanOrEqual(0);
}

for (const slug of slugs) {
  const lab = walkthroughs[slug].guideCase === 'attack-lab';
  if (lab) {
    test(`${slug}: the attack works with the defence off and is refused with it on`, async ({reader, baseURL}) => {
      const walkthrough = new EngineWalkthrough(reader, slug, baseURL!);
      await walkthrough.open();
      const names = VERDICTS[slug] ?? DEFAULT_VERDICTS;
      await walkthrough.chooseDefence('Off');
      const off = await walkthrough.runToEnd(demoUser, PHONE_ANSWERS[slug]);
      expect(off.alert).toBeNull();
      expect(verdict(off.notes, names), 'with the defence off').toBe(names.succeeded);

      await walkthrough.startOver();
      await walkthrough.chooseDefence('On');
      const on = await walkthrough.runToEnd(demoUser, PHONE_ANSWERS[slug]);
      expect(on.alert).toBeNull();
      expect(verdict(on.notes, names), 'with the defence on').toBe(names.refused);
      await expectFits(walkthrough);
    });
  } else {
    test(`${slug}: runs to the end, every token check passed`, async ({reader, baseURL}) => {
      const walkthrough = new EngineWalkthrough(reader, slug, baseURL!);
      await walkthrough.open();
      const end = await walkthrough.runToEnd(demoUser);
      const proof = PROOF[slug];
      expect(proof, `what the ${slug} walkthrough must show is listed above`).toBeDefined();
      expect(end.alert).toBeNull();
      expect(end.checksFailed).toEqual([]);
      if (proof.tokensInspected) expect(end.checksPassed).toBeGreaterThan(0);
      const shown = end.results.join('\n');
      for (const pattern of proof.shows) expect(shown).toMatch(pattern);
      await expectFits(walkthrough);
    });
  }
}
