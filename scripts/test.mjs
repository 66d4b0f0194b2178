// `npm test`: every check, in order, stopping at the first that fails, then how long each took.
import {spawnSync} from 'node:child_process';

const STAGES = [
  ['tools', 'node scripts/check-tools.mjs'],
  ['typecheck', 'npm run typecheck'],
  ['lint (ESLint, Prettier)', 'npm run lint'],
  ['unit and conformance tests', 'npm run test:unit'],
  ['OpenAPI lint', 'npm run lint:openapi'],
  ['Postman collection (newman)', 'npm run test:postman'],
  ['production build', 'npm run build'],
  ['end-to-end tests (Chromium, Firefox, WebKit)', 'npm run test:e2e'],
];

const timings = [];
let failed;
for (const [name, command] of STAGES) {
  const started = performance.now();
  const {status} = spawnSync(command, {shell: true, stdio: 'inherit'});
  timings.push([name, (performance.now() - started) / 1000]);
  if (status !== 0) {
    failed = name;
    break;
  }
}
console.log('\nnpm test, stage by stage:');
for (const [name, seconds] of timings) console.log(`  ${name.padEnd(46)} ${seconds.toFixed(0).padStart(5)} s`);
console.log(
  `  ${'total'.padEnd(46)} ${timings
    .reduce((sum, [, seconds]) => sum + seconds, 0)
    .toFixed(0)
    .padStart(5)} s`,
);
if (failed) {
  console.error(`\nStopped: ${failed} failed.`);
  process.exit(1);
}
