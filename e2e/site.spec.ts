import {existsSync, readFileSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import type {Page} from '@playwright/test';
import {expect, test, waitForSandboxWorker} from './fixtures';
import {flowPages, walkthroughs} from '../src/walkthroughs/registry';

// Every page the production build publishes, read from its sitemap.
const root = join(__dirname, '..');
const sitemapFile = join(root, 'build', 'sitemap.xml');

function publishedPaths(): string[] {
  if (!existsSync(sitemapFile)) {
    throw new Error('build/sitemap.xml is missing: run `npm run build` before the end-to-end tests.');
  }
  const locations = [...readFileSync(sitemapFile, 'utf8').matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => match[1]);
  // The sitemap holds absolute URLs for the deployed site; keep the path (which
  // already includes baseUrl) and serve it from the test server's origin.
  return locations.map((location) => new URL(location).pathname);
}

/**
 * The text of the page's main content outside code (code blocks and inline
 * code may show Markdown on purpose), including text in closed disclosures.
 */
async function proseText(page: Page): Promise<string> {
  return page.getByRole('main').evaluate((main) => {
    const texts: string[] = [];
    const walker = main.ownerDocument.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement?.closest('pre, code, script, style, template')) continue;
      texts.push(node.textContent ?? '');
    }
    return texts.join('');
  });
}

/** Markup that only shows up as text when Markdown or MDX was not rendered. */
const UNRENDERED: [string, RegExp][] = [
  ['a ::: callout fence', /:::/g],
  ['an MDX comment', /\{\/\*|\*\/\}/g],
  ['literal ** (bold not rendered)', /\*\*/g],
  ['an HTML comment', /<!--|-->/g],
  ['a broken link', /\]\(/g],
];

/** Each unrendered marker found in `text`, with the words around it. */
function unrenderedMarkup(text: string): string[] {
  return UNRENDERED.flatMap(([what, pattern]) =>
    [...text.matchAll(pattern)].map(
      (match) => `${what}: …${text.slice(Math.max(0, match.index - 40), match.index + 40).replace(/\s+/g, ' ')}…`,
    ),
  );
}

test.describe('every published page', () => {
  const paths = publishedPaths();
  // Paths carry baseUrl; a registry entry names its page relative to it.
  const embedsWalkthrough = (path: string) =>
    Object.values(walkthroughs).some((entry) => path.endsWith(`/${entry.page}`));

  test('the sitemap lists the home page and every flow', () => {
    expect(paths.length).toBeGreaterThan(1);
    const flowSlugs = readdirSync(join(root, 'docs', 'flows'))
      .filter((name) => /^[^_].*\.mdx$/.test(name))
      .map((name) => name.replace(/\.mdx$/, ''));
    for (const slug of flowSlugs) {
      expect(
        paths.some((path) => path.endsWith(`/flows/${slug}`)),
        `sitemap lists flows/${slug}`,
      ).toBe(true);
    }
  });

  // One browser for each section, its pages opened one after another as a reader would: the sandbox
  // worker installs on the first and must control every page after it.
  const sections = new Map<string, string[]>();
  for (const path of paths) {
    const section = path.replace(/\/[^/]*\/?$/, '') || 'the top level';
    sections.set(section, [...(sections.get(section) ?? []), path]);
  }
  for (const [section, sectionPaths] of sections) {
    test(`${section}: every page (${sectionPaths.length}) has a main heading, a working sandbox, no console errors and no axe violations`, async ({
      page,
      axe,
    }) => {
      for (const path of sectionPaths) {
        await test.step(path, async () => {
          // Absolute path: it carries baseUrl, so resolve it against the origin only.
          await page.goto(path);
          const heading = page.getByRole('main').getByRole('heading', {level: 1});
          await expect(heading).toBeVisible();
          await waitForSandboxWorker(page);
          // A callout Docusaurus did not parse shows its markers as text.
          expect(await page.getByRole('main').innerText()).not.toMatch(/^:::/m);
          // So do bold, links, comments and fences that Markdown or MDX left unparsed.
          const prose = await proseText(page);
          expect(prose).toContain(await heading.innerText());
          expect(unrenderedMarkup(prose), 'Markdown or MDX shown as text').toEqual([]);
          // A walkthrough's page gets axe from its own spec (e2e/walkthroughs/<slug>.spec.ts), with every step
          // done and so more to check than here; running it again on the page as it opens found nothing new.
          if (!embedsWalkthrough(path)) await axe(page, {withCode: true});
        });
      }
    });
  }
});

test('the unrendered-markup check finds each marker', () => {
  const found = unrenderedMarkup('::: note {/* draft */} a **bold** claim <!-- todo --> and [a link](./page.mdx)');
  expect(found.map((line) => line.replace(/: ….*$/, ''))).toEqual([
    'a ::: callout fence',
    'an MDX comment',
    'an MDX comment',
    'literal ** (bold not rendered)',
    'literal ** (bold not rendered)',
    'an HTML comment',
    'an HTML comment',
    'a broken link',
  ]);
});

test('every flow page has an end-to-end spec, and every other page under flows/ accompanies a flow page', () => {
  // A flow page runs a registered walkthrough (the registry's unit test checks that it embeds it); one slug ties
  // docs/flows/<slug>.mdx to e2e/walkthroughs/<slug>.spec.ts. Any other page there is named after its flow: <slug>-<topic>.mdx.
  const pages = readdirSync(join(root, 'docs', 'flows'))
    .filter((name) => /^[^_].*\.mdx$/.test(name))
    .map((name) => `flows/${name.replace(/\.mdx$/, '')}`);
  const flows = flowPages();
  const specs = new Set(readdirSync(join(root, 'e2e', 'walkthroughs')));
  expect(
    flows.filter((page) => !specs.has(`${page.replace(/^flows\//, '')}.spec.ts`)),
    'flow pages without an e2e spec',
  ).toEqual([]);
  expect(
    pages.filter((page) => !flows.includes(page) && !flows.some((flow) => page.startsWith(`${flow}-`))),
    'pages under flows/ that are neither a flow page nor named after one',
  ).toEqual([]);
});
