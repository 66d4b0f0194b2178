import type {Locator, Page} from '@playwright/test';
import {expect, test} from './fixtures';
import {WalkthroughSection} from './pages/walkthrough';
import {allPaths} from '../src/components/FlowChooser/tree';
import type {WalkthroughSlug} from '../src/walkthroughs/registry';

/** Where a path through the chooser lands, as a reader sees it. */
interface Landing {
  answers: string[];
  heading: string;
  live: string;
  page: WalkthroughSlug;
  /** Text only this recommendation shows. */
  mentions?: string[];
}

const NO_MORE = ['No', 'No', 'No', 'No', 'No', 'No'];

/** A recommendation for a client that calls APIs comes after "one API, or several?". */
function oneOrSeveral(landing: Landing): Landing[] {
  return [
    {...landing, answers: [...landing.answers, 'One API']},
    {
      ...landing,
      answers: [...landing.answers, 'Several APIs'],
      mentions: [...(landing.mentions ?? []), 'It calls several APIs', 'Several APIs, several tokens'],
    },
  ];
}

const LANDINGS: Landing[] = [
  // RFC 8628 §1: a device with no browser, or none the user can type on, is the first question.
  ...oneOrSeveral({
    answers: ['Yes'],
    heading: 'Use the Device Authorization Grant',
    live: 'Try the Device Authorization Grant live',
    page: 'device-authorization',
    mentions: ['polls the token endpoint'],
  }),
  ...oneOrSeveral({
    answers: ['No', 'Yes'],
    heading: 'Use Client Credentials',
    live: 'Try Client Credentials live',
    page: 'client-credentials',
  }),
  ...oneOrSeveral({
    answers: ['No', 'No', 'Yes'],
    heading: 'Use Authorization Code',
    live: 'Try Authorization Code live',
    page: 'authorization-code',
  }),
  ...oneOrSeveral({
    answers: ['No', 'No', 'No', 'Yes', 'An access token, to call an API'],
    heading: 'Use Authorization Code with PKCE',
    live: 'Try Authorization Code with PKCE live',
    page: 'authorization-code-pkce',
  }),
  {
    answers: ['No', 'No', 'No', 'Yes', 'Only an ID token, to sign users in', 'Yes, a server endpoint receives it'],
    heading: 'Use Implicit with Form Post',
    live: 'Try Implicit with Form Post live',
    page: 'implicit-form-post',
    mentions: ['Authorization Code with PKCE works for this too'],
  },
  {
    // Form Post needs a server endpoint: a single-page app on static hosting signs users in with PKCE.
    answers: ['No', 'No', 'No', 'Yes', 'Only an ID token, to sign users in', 'No, static hosting only'],
    heading: 'Use Authorization Code with PKCE',
    live: 'Try Authorization Code with PKCE live',
    page: 'authorization-code-pkce',
    mentions: ['Form Post has nowhere to deliver the ID token'],
  },
  ...oneOrSeveral({
    answers: ['No', 'No', 'No', 'No', 'Yes'],
    heading: 'Use Authorization Code with PKCE, for native apps',
    live: 'Try the native app flow live',
    page: 'native-apps',
  }),
  ...oneOrSeveral({
    answers: ['No', 'No', 'No', 'No', 'No', 'Yes, both'],
    heading: 'Use Resource Owner Password, as a last resort',
    live: 'Try Resource Owner Password live',
    page: 'resource-owner-password',
    mentions: ['Warning:', 'MUST NOT be used', 'RFC 9700 §2.4', 'OAuth 2.1 drops it'],
  }),
  ...oneOrSeveral({
    answers: NO_MORE,
    heading: 'Use Authorization Code with PKCE',
    live: 'Try Authorization Code with PKCE live',
    page: 'authorization-code-pkce',
  }),
];

const FIRST_QUESTION = 'Is the client a device or a command-line tool with no browser, or one the user cannot type on?';

function chooserOf(page: Page): Locator {
  return page.getByRole('region', {name: /^Find your flow/});
}

/** Clicks through the answers as a reader would; after each one the focus is on the next heading, and the page has not scrolled. */
async function answer(page: Page, answers: readonly string[]): Promise<void> {
  const chooser = chooserOf(page);
  for (const label of answers) {
    const button = chooser.getByRole('button', {name: label, exact: true});
    await button.scrollIntoViewIfNeeded();
    const scrolled = await page.evaluate(() => window.scrollY);
    await button.click();
    await expect(page.locator(':focus')).toHaveRole('heading');
    expect(await page.evaluate(() => window.scrollY)).toBe(scrolled);
  }
}

/** The path in the URL's `chooser` parameter, as the page left it. */
function pathInUrl(page: Page): string | null {
  return new URL(page.url()).searchParams.get('chooser');
}

async function expectNoSidewaysScrolling(page: Page): Promise<void> {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, 'the page scrolls sideways').toBeLessThanOrEqual(0);
  // Docusaurus lets a wide table scroll inside itself: no column may be cut off either.
  const cutOff = await page
    .locator('main table')
    .evaluateAll((tables) =>
      tables
        .filter((table) => table.scrollWidth > table.clientWidth + 1)
        .map((table) => table.textContent?.slice(0, 40)),
    );
  expect(cutOff, 'tables wider than the screen').toEqual([]);
}

test.describe('the "which flow?" chooser', () => {
  test('the paths below are every path the chooser has', () => {
    const inTree = allPaths()
      .map(({answers}) => answers.join(' > '))
      .sort();
    expect(LANDINGS.map(({answers}) => answers.join(' > ')).sort()).toEqual(inTree);
  });

  // One page load for every path: "Start again" between them, as a reader trying each answer would.
  test('every path lands on its recommendation, with its live link, its answers listed and in the URL', async ({
    page,
  }) => {
    await page.goto('');
    const chooser = chooserOf(page);
    for (const landing of LANDINGS) {
      await test.step(`${landing.answers.join(', ')}: ${landing.heading}`, async () => {
        await expect(chooser.getByRole('heading', {name: FIRST_QUESTION})).toBeVisible();
        await answer(page, landing.answers);

        const recommendation = chooser.getByRole('heading', {level: 2, name: landing.heading, exact: true});
        await expect(recommendation).toBeFocused();
        const live = chooser.getByRole('link', {name: landing.live, exact: true});
        await expect(live).toHaveAttribute('href', new RegExp(`/flows/${landing.page}#try-it-live$`));
        for (const text of landing.mentions ?? []) await expect(chooser).toContainText(text);
        if (!landing.mentions?.includes('Warning:')) await expect(chooser).not.toContainText('Warning:');
        // Every answer is in the URL, one word each.
        expect(pathInUrl(page)?.split('.')).toHaveLength(landing.answers.length);
        await expect(chooser.getByRole('list', {name: 'Your answers'}).getByRole('listitem')).toHaveCount(
          landing.answers.length,
        );
        await chooser.getByRole('button', {name: 'Start again'}).click();
      });
    }
  });

  for (const landing of [
    LANDINGS.find(({page}) => page === 'client-credentials')!,
    LANDINGS.find(({answers}) => answers[4] === 'An access token, to call an API')!,
  ]) {
    test(`"${landing.live}" opens the live walkthrough, ready to run`, async ({page}) => {
      await page.goto('');
      await answer(page, landing.answers);
      await chooserOf(page).getByRole('link', {name: landing.live}).click();
      await expect(page).toHaveURL(new RegExp(`/flows/${landing.page}#try-it-live$`));
      const walkthrough = new WalkthroughSection(page, landing.page);
      await walkthrough.waitUntilReady();
      await expect(walkthrough.root).toBeInViewport();
      await expect(walkthrough.currentAction).toBeEnabled();
    });
  }

  test('Back returns to the previous question and Start again to the first, the URL following', async ({page}) => {
    await page.goto('');
    const chooser = chooserOf(page);
    await answer(page, ['No', 'No', 'No', 'Yes']);
    await expect(
      chooser.getByRole('heading', {name: 'Does it need an access token, or only an ID token?'}),
    ).toBeFocused();
    expect(pathInUrl(page)).toBe('other.no.no.yes');

    await chooser.getByRole('button', {name: 'Back'}).click();
    await expect(
      chooser.getByRole('heading', {name: 'Is it a single-page app, running only in the browser?'}),
    ).toBeFocused();
    expect(pathInUrl(page)).toBe('other.no.no');

    await answer(page, ['No', 'Yes', 'One API']);
    await expect(
      chooser.getByRole('heading', {name: 'Use Authorization Code with PKCE, for native apps'}),
    ).toBeFocused();
    await chooser.getByRole('button', {name: 'Back'}).click();
    await expect(chooser.getByRole('heading', {name: 'Does it call more than one API?'})).toBeFocused();

    await chooser.getByRole('button', {name: 'Start again'}).click();
    await expect(chooser.getByRole('heading', {name: FIRST_QUESTION})).toBeFocused();
    expect(pathInUrl(page)).toBeNull();
    await expect(chooser.getByRole('button', {name: 'Back'})).toHaveCount(0);
    await expect(chooser.getByRole('button', {name: 'Start again'})).toHaveCount(0);
  });

  test('a shared URL opens at the same place; answers that do not fit are dropped', async ({page}) => {
    await page.goto('?chooser=other.no.no.yes.id.yes');
    const chooser = chooserOf(page);
    await expect(chooser.getByRole('heading', {name: 'Use Implicit with Form Post'})).toBeVisible();
    // Restoring does not take the focus or scroll the page.
    await expect(page.locator(':focus')).toHaveCount(0);
    await chooser.getByRole('button', {name: 'Back'}).click();
    await expect(
      chooser.getByRole('heading', {name: 'Is there a server that can receive the sign-in as a form POST?'}),
    ).toBeFocused();

    await page.goto('?chooser=other.no.maybe.yes');
    await expect(chooser.getByRole('heading', {name: 'Is it a web app that runs on a server?'})).toBeVisible();

    // A link shared before the device question existed still opens where it did.
    await page.goto('?chooser=no.no.yes.id.yes');
    await expect(chooser.getByRole('heading', {name: 'Use Implicit with Form Post'})).toBeVisible();
  });

  test('coming back from a flow page finds the path where it was left', async ({page}) => {
    await page.goto('');
    await answer(page, ['No', 'No', 'Yes', 'One API']);
    await chooserOf(page).getByRole('link', {name: 'How it works'}).click();
    await expect(page).toHaveURL(/\/flows\/authorization-code$/);
    await page.goBack();
    await expect(chooserOf(page).getByRole('heading', {name: 'Use Authorization Code'})).toBeVisible();
  });

  for (const viewport of [
    {width: 1280, height: 800},
    {width: 390, height: 844},
  ]) {
    test.describe(`without JavaScript, at ${viewport.width}×${viewport.height}`, () => {
      test.use({javaScriptEnabled: false, viewport});

      test('the first question and its answers are in the page, above the fold', async ({page}) => {
        await page.goto('');
        const chooser = chooserOf(page);
        const question = chooser.getByRole('heading', {level: 2, name: FIRST_QUESTION});
        await expect(question).toBeInViewport({ratio: 1});
        await expect(chooser.getByText(/approves on a second device/)).toBeInViewport({ratio: 1});
        for (const label of ['Yes', 'No'])
          await expect(chooser.getByRole('button', {name: label, exact: true})).toBeInViewport({ratio: 1});
      });
    });
  }

  test('fits a 360 px screen, question after question, and the tables with it', async ({page}) => {
    await page.setViewportSize({width: 360, height: 800});
    await page.goto('');
    await expectNoSidewaysScrolling(page);
    for (const answers of [
      ['No', 'No', 'No', 'Yes', 'Only an ID token, to sign users in', 'No, static hosting only'],
      ['No', 'No', 'No', 'No', 'No', 'Yes, both', 'Several APIs'],
      ['Yes', 'Several APIs'],
    ]) {
      await page.goto('');
      for (const label of answers) {
        await answer(page, [label]);
        await expectNoSidewaysScrolling(page);
      }
    }
    // Each table row is a card whose cells name their column.
    const summary = page.getByRole('table').last();
    await expect(summary.getByRole('cell', {name: /Public/}).first()).toHaveAttribute('data-label', 'Client type');
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    test(`passes axe in ${colorScheme} mode, at each kind of step`, async ({page, axe}) => {
      await page.emulateMedia({colorScheme});
      await page.goto('');
      await expect(page.locator('html')).toHaveAttribute('data-theme', colorScheme);
      await axe();
      await answer(page, ['No', 'No', 'No', 'Yes']);
      await axe();
      await answer(page, ['An access token, to call an API', 'Several APIs']);
      // In dark mode the recommendation with a warning, below, stands for every recommendation view.
      if (colorScheme === 'light') await axe();
      await page.goto('?chooser=other.no.no.no.no.yes.one');
      await expect(chooserOf(page).getByText('Warning:')).toBeVisible();
      await axe();
      await page.setViewportSize({width: 360, height: 800});
      await axe();
    });
  }
});
