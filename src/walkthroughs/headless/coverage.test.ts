import {it} from 'node:test';
import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {walkthroughs} from '../registry';

/** The slugs the headless test files run, by their `headless('<slug>', …)` suites. */
function headlessSlugs(): Set<string> {
  const slugs = new Set<string>();
  for (const file of readdirSync(__dirname).filter((name) => name.endsWith('.test.ts'))) {
    for (const match of readFileSync(join(__dirname, file), 'utf8').matchAll(/\bheadless\('([a-z0-9-]+)'/g))
      slugs.add(match[1]);
  }
  return slugs;
}

it('every registered walkthrough runs headless, end to end, in a test of this directory', () => {
  const covered = headlessSlugs();
  const missing = Object.keys(walkthroughs).filter((slug) => !covered.has(slug));
  assert.deepEqual(
    missing,
    [],
    `Registered walkthroughs without a headless run: ${missing.join(', ')}. Add a headless('<slug>', …) suite.`,
  );
});
