import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, readFileSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import {buildCatalog} from '../sandbox/catalog';
import {walkthroughs, type RegistryEntry} from './registry';

const root = join(__dirname, '..', '..');
const entries: Array<[string, RegistryEntry]> = Object.entries(walkthroughs);

function mdxOf(page: string): string {
  const file = join(root, 'docs', `${page}.mdx`);
  assert.ok(existsSync(file), `docs/${page}.mdx exists`);
  return readFileSync(file, 'utf8');
}

function docsPages(dir = join(root, 'docs')): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) =>
    entry.isDirectory() ? docsPages(join(dir, entry.name)) : entry.name.endsWith('.mdx') ? [join(dir, entry.name)] : [],
  );
}

describe('the walkthrough registry', () => {
  for (const [slug, entry] of entries) {
    describe(slug, () => {
      it('is embedded by its page, which shows every file it runs', () => {
        const mdx = mdxOf(entry.page);
        assert.ok(
          mdx.includes(`<LiveWalkthrough slug="${slug}" />`),
          `docs/${entry.page}.mdx embeds <LiveWalkthrough slug="${slug}" />`,
        );
        assert.ok(mdx.includes('## Try it live'), `docs/${entry.page}.mdx has a "Try it live" section`);
        assert.ok(mdx.includes('](#try-it-live)'), `docs/${entry.page}.mdx links to "Try it live" near the top`);
        for (const source of entry.sources) {
          assert.ok(existsSync(join(root, source)), `${source} exists`);
          assert.ok(
            mdx.includes(`source-text-loader.cjs!../../${source}'`),
            `docs/${entry.page}.mdx imports the text of ${source}`,
          );
          assert.ok(mdx.includes(`path="${source}"`), `docs/${entry.page}.mdx shows ${source} under its path`);
        }
      });

      it('has an end-to-end spec named after it', () => {
        assert.ok(
          existsSync(join(root, 'e2e', 'walkthroughs', `${slug}.spec.ts`)),
          `e2e/walkthroughs/${slug}.spec.ts exists`,
        );
      });

      it('uses a demo client that accepts its page as a redirect URI when it comes back to it (RFC 6749 §3.1.2)', () => {
        const siteUrl = 'https://docs.example/base/';
        const catalog = buildCatalog(`${siteUrl}sandbox`, siteUrl);
        const client = catalog.clients.find((candidate) =>
          entry.clientId ? candidate.client_id === entry.clientId : candidate.guide_case === entry.guideCase,
        );
        assert.ok(client, `the catalog has a client for ${entry.guideCase}`);
        if (entry.returnsToPage)
          assert.ok(
            client.redirect_uris.includes(`${siteUrl}${entry.page}`),
            `${client.client_id} accepts ${siteUrl}${entry.page}`,
          );
      });
    });
  }

  it('registers every walkthrough a page embeds', () => {
    for (const file of docsPages()) {
      for (const match of readFileSync(file, 'utf8').matchAll(/<LiveWalkthrough slug="([^"]+)"/g)) {
        assert.ok(
          Object.hasOwn(walkthroughs, match[1]),
          `${file.slice(root.length + 1)} embeds the unregistered walkthrough "${match[1]}"`,
        );
      }
    }
  });
});
