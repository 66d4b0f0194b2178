// `npm test`: every check, group by group, stopping after the first group in which one failed, then how long
// each took. A group is lanes run side by side, each lane its checks one after another, each check's output
// printed whole once it ends; a group of one check prints as it goes.
import {spawn} from 'node:child_process';

const GROUPS = [
  [[['tools', 'node scripts/check-tools.mjs']]],
  // Two lanes for the two cores: ESLint keeps one busy for most of a minute, single-threaded, then the
  // build; tsc, the OpenAPI lint, newman (which mostly waits, polling the device flow) and Prettier take
  // the other. `npm run lint` is ESLint then Prettier, split here. Four checks side by side only slowed
  // each other down.
  [
    [
      ['ESLint', 'npx eslint . --max-warnings 0'],
      ['production build', 'npm run build'],
    ],
    [
      ['typecheck', 'npm run typecheck'],
      ['OpenAPI lint', 'npm run lint:openapi'],
      ['Postman collection (newman)', 'npm run test:postman'],
      ['Prettier', 'npx prettier --check .'],
    ],
  ],
  // The unit tests use both cores themselves.
  [[['unit and conformance tests', 'npm run test:unit']]],
  [[['end-to-end tests (Chromium, Firefox, WebKit)', 'npm run test:e2e']]],
];

/** Runs `command`, resolving with its exit status and time; its output goes straight through when `live`. */
function run(command, live) {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, {shell: true, stdio: live ? 'inherit' : ['ignore', 'pipe', 'pipe']});
    const output = [];
    child.stdout?.on('data', (chunk) => output.push(chunk));
    child.stderr?.on('data', (chunk) => output.push(chunk));
    child.on('close', (status) =>
      resolve({status, seconds: (performance.now() - started) / 1000, output: Buffer.concat(output)}),
    );
  });
}

const timings = [];
const failed = [];
let total = 0;
for (const group of GROUPS) {
  const started = performance.now();
  const live = group.length === 1 && group[0].length === 1;
  await Promise.all(
    group.map(async (lane) => {
      for (const [name, command] of lane) {
        const {status, seconds, output} = await run(command, live);
        if (!live) process.stdout.write(`\n── ${name} (${seconds.toFixed(0)} s) ──\n${output}`);
        timings.push([name, seconds]);
        if (status !== 0) {
          failed.push(name);
          return;
        }
      }
    }),
  );
  total += (performance.now() - started) / 1000;
  if (failed.length > 0) break;
}
console.log('\nnpm test, stage by stage (lanes of one group side by side):');
for (const [name, seconds] of timings) console.log(`  ${name.padEnd(46)} ${seconds.toFixed(0).padStart(5)} s`);
console.log(`  ${'total'.padEnd(46)} ${total.toFixed(0).padStart(5)} s`);
if (failed.length > 0) {
  console.error(`\nStopped: ${failed.join(', ')} failed.`);
  process.exit(1);
}
