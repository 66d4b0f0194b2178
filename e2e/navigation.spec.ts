import {expect, test} from './fixtures';
import type {Page} from '@playwright/test';

const ITEMS = ['Which flow?', 'Flows', 'Try the endpoints'] as const;
type Item = (typeof ITEMS)[number];

/** The navbar's items, by their accessible names (the title link "OAuth 2.0 Flows, Live" is not one). */
function navbarLink(page: Page, name: Item) {
  return page.getByRole('navigation', {name: 'Main'}).getByRole('link', {name, exact: true});
}

/** Checks that exactly `active` (or nothing) is marked as the current page, for assistive technology and by style. */
async function expectActive(page: Page, active: Item | undefined): Promise<void> {
  for (const item of ITEMS) {
    const link = navbarLink(page, item);
    if (item === active) {
      await expect(link, `${item} is the current section`).toHaveAttribute('aria-current', 'page');
      await expect(link).toHaveClass(/navbar__link--active/);
    } else {
      await expect(link, `${item} is not the current section`).not.toHaveAttribute('aria-current');
      await expect(link).not.toHaveClass(/navbar__link--active/);
    }
  }
}

const CASES: {path: string; active: Item | undefined}[] = [
  {path: '', active: 'Which flow?'},
  {path: 'flows/client-credentials', active: 'Flows'},
  {path: 'flows/native-apps', active: 'Flows'},
  {path: 'concepts/try-the-endpoints', active: 'Try the endpoints'},
  // Concept pages have no navbar item of their own; the sidebar marks them.
  {path: 'concepts/terminology', active: undefined},
  {path: 'concepts/refresh-tokens', active: undefined},
];

test.describe('the navbar marks only the current section', () => {
  for (const {path, active} of CASES) {
    test(`on /${path}: ${active ?? 'no item'}`, async ({page}) => {
      await page.goto(path);
      await expectActive(page, active);
    });
  }

  test('follows client-side navigation between sections', async ({page}) => {
    await page.goto('concepts/terminology');
    await expectActive(page, undefined);
    await navbarLink(page, 'Flows').click();
    await expect(page.getByRole('heading', {level: 1})).toBeVisible();
    await expectActive(page, 'Flows');
    await navbarLink(page, 'Try the endpoints').click();
    await expectActive(page, 'Try the endpoints');
    await navbarLink(page, 'Which flow?').click();
    await expectActive(page, 'Which flow?');
  });
});
