/**
 * What a page shows as code can be copied whole: every file a shown flow module imports from this
 * project is shown on the same page too, and so is every file those import. The sandbox's own files
 * are the exception: a page shows one of them to read a rule where the server enforces it, and
 * FlowSource labels it as part of the sandbox, which it needs around it.
 */
import assert from 'node:assert/strict';
import {existsSync, readFileSync, readdirSync} from 'node:fs';
import {dirname, join, relative} from 'node:path';
import {describe, it} from 'node:test';
import {importedPackages, isSandboxFile} from './source-facts';

const root = join(__dirname, '..', '..', '..');

function mdxFiles(dir = join(root, 'docs')): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) =>
    entry.isDirectory() ? mdxFiles(join(dir, entry.name)) : entry.name.endsWith('.mdx') ? [join(dir, entry.name)] : [],
  );
}

/** The files a page shows with <FlowSource … path="…" />, as repository paths. */
function shownFiles(mdx: string): string[] {
  return [...mdx.matchAll(/<FlowSource\b[^>]*\bpath="([^"]+)"/g)].map((match) => match[1]);
}

/** The project files `file` imports (relative specifiers), as repository paths. */
function localImports(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/(?:from|import)\s+'(\.{1,2}\/[^']+)'/g)].map((match) => {
    const base = join(dirname(join(root, file)), match[1]);
    const found = ['.ts', '.tsx', '/index.ts', '/index.tsx', '']
      .map((ending) => `${base}${ending}`)
      .find((candidate) => existsSync(candidate) && !candidate.endsWith('/'));
    assert.ok(found, `${file} imports ${match[1]}, which resolves to no file`);
    return relative(root, found);
  });
}

describe('code shown on a page', () => {
  it('finds the shown files and their imports', () => {
    assert.deepEqual(shownFiles('<FlowSource source={a} path="src/flows/x.ts" highlight="y" />'), ['src/flows/x.ts']);
    assert.ok(localImports('src/flows/authorization-code.ts').includes('src/flows/web-app-support.ts'));
  });

  for (const file of mdxFiles()) {
    const page = relative(root, file);
    const shown = shownFiles(readFileSync(file, 'utf8'));
    if (shown.length === 0) continue;
    it(`${page}: every project file a shown flow module imports is shown there too`, () => {
      const missing = new Set<string>();
      const visit = (source: string, seen: Set<string>) => {
        if (seen.has(source) || isSandboxFile(source)) return;
        seen.add(source);
        for (const imported of localImports(source)) {
          if (!isSandboxFile(imported) && !shown.includes(imported)) missing.add(`${imported} (imported by ${source})`);
          visit(imported, seen);
        }
      };
      const seen = new Set<string>();
      for (const source of shown) visit(source, seen);
      assert.deepEqual([...missing], [], `${page} shows code whose imports it does not show`);
    });
  }
});

describe('the packages a shown module needs', () => {
  it('are named by package, once each, without node: built-ins', () => {
    const source =
      "import * as oauth from 'oauth4webapi';\nimport {getCookie} from 'hono/cookie';\nimport type {Context} from 'hono';\nimport {x} from '@scope/pkg/sub';\nimport {readFile} from 'node:fs';\nimport {y} from './local';";
    assert.deepEqual(importedPackages(source), ['oauth4webapi', 'hono', '@scope/pkg']);
  });
});
