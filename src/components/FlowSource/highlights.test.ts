/**
 * A highlighted line cannot drift: every `highlight` a page gives a FlowSource is found on a line of the
 * file it shows (the build fails otherwise; this test says so before the build, and names the page).
 */
import assert from 'node:assert/strict';
import {readFileSync, readdirSync} from 'node:fs';
import {join, relative} from 'node:path';
import {test} from 'node:test';

const root = join(import.meta.dirname, '..', '..', '..');

function mdxFiles(dir = join(root, 'docs')): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) =>
    entry.isDirectory() ? mdxFiles(join(dir, entry.name)) : entry.name.endsWith('.mdx') ? [join(dir, entry.name)] : [],
  );
}

test('every highlighted text is on a line of the file the page shows', () => {
  const missing: string[] = [];
  let checked = 0;
  for (const page of mdxFiles()) {
    const mdx = readFileSync(page, 'utf8');
    for (const element of mdx.matchAll(/<FlowSource\b[^>]*\/>/g)) {
      const path = /\bpath="([^"]+)"/.exec(element[0])?.[1];
      const highlight = /\bhighlight="((?:[^"\\]|\\.)*)"/.exec(element[0])?.[1];
      if (!path || highlight === undefined) continue;
      checked += 1;
      const lines = readFileSync(join(root, path), 'utf8').split('\n');
      if (!lines.some((line) => line.includes(highlight)))
        missing.push(`${relative(root, page)}: ${path}: ${highlight}`);
    }
  }
  assert.ok(checked > 5, `only ${checked} highlights found`);
  assert.deepEqual(missing, []);
});
