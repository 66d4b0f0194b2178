import {existsSync, readFileSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import {expect, test, waitForSandboxWorker} from './fixtures';

// Every page the production build publishes, read from its sitemap.
const root = join(__dirname, '..');
const sitemapFile = join(root, 'build', 'sitemap.xml');

function publishedPaths(): string[] {
  if (!existsSync(sitemapFile)) {
    throw new Error('build/sitemap.xml is missing: run `npm run build` before the end-to-end tests.');
  }
  const locations = [...readFileSync(sitemapFile, 'utf8').matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => match[1]!);
  // The sitemap holds absolute URLs for the deployed site; keep the path (which
  // already includes baseUrl) and serve it from the test server's origin.
  return locations.map((location) => new URL(location).pathname);
}

test.describe('every published page', () => {
  const paths = publishedPaths();

  test('the sitemap lists the home page and every flow', () => {
    expect(paths.length).toBeGreaterThan(1);
    const flowSlugs = readdirSync(join(root, 'docs', 'flows'))
      .filter((name) => /^[^_].*\.mdx$/.test(name))
      .map((name) => name.replace(/\.mdx$/, ''));
    for (const slug of flowSlugs) {
      expect(paths.some((path) => path.endsWith(`/flows/${slug}`)), `sitemap lists flows/${slug}`).toBe(true);
    }
  });

  for (const path of paths) {
    test(`${path} has a main heading, a working sandbox, no console errors and no axe violations`, async ({
      page,
      axe,
    }) => {
      // Absolute path: it carries baseUrl, so resolve it against the origin only.
      await page.goto(path);
      await expect(page.getByRole('main').getByRole('heading', {level: 1})).toBeVisible();
      // A callout Docusaurus did not parse shows its markers as text.
      expect(await page.getByRole('main').innerText()).not.toMatch(/^:::/m);
      await waitForSandboxWorker(page);
      await axe();
    });
  }
});

test('every flow page has an end-to-end spec', () => {
  // One slug ties docs/flows/<slug>.mdx to e2e/walkthroughs/<slug>.spec.ts (the registry's unit test checks the rest).
  const pages = readdirSync(join(root, 'docs', 'flows')).filter((name) => /^[^_].*\.mdx$/.test(name));
  const specs = new Set(readdirSync(join(root, 'e2e', 'walkthroughs')));
  const missing = pages.map((name) => name.replace(/\.mdx$/, '.spec.ts')).filter((spec) => !specs.has(spec));
  expect(missing, 'flow pages without an e2e spec').toEqual([]);
});
