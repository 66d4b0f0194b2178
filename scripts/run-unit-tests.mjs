// Runs every *.test.ts under src/ with node's own test runner (TypeScript through tsx).
// Node 20's --test has no glob support, so the files are listed here.
import {readdirSync} from 'node:fs';
import {join} from 'node:path';
import {spawnSync} from 'node:child_process';

function find(dir) {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : find(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = find('src').sort();
if (files.length === 0) {
  console.error('No unit tests found under src/.');
  process.exit(1);
}
const {status} = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  {
    stdio: 'inherit',
  },
);
process.exit(status ?? 1);
