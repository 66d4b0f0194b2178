// Runs the committed Postman collection with newman against the Node sandbox: starts the sandbox on a
// free port, waits until its discovery document answers, runs every request and its tests, prints the
// counts and failures, stops the sandbox, and exits non-zero on any failure. Run with `npm run test:postman`.
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import newman from 'newman';
import {tsImport} from 'tsx/esm/api';

const root = join(import.meta.dirname, '..');
const {COLLECTION_PATH, startNodeSandbox} = await tsImport('./postman-runner-modules.ts', import.meta.url);
const collection = JSON.parse(readFileSync(join(root, COLLECTION_PATH), 'utf8'));

/** Polls discovery until it answers 200, for at most `ms` milliseconds. */
async function waitForDiscovery(issuer, ms = 15_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const response = await fetch(`${issuer}/.well-known/openid-configuration`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the sandbox at ${issuer} did not answer discovery within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const sandbox = await startNodeSandbox({port: 0});
let failed = true;
try {
  await waitForDiscovery(sandbox.issuer);
  console.log(`Sandbox at ${sandbox.issuer}; running ${COLLECTION_PATH}`);
  const summary = await new Promise((resolve, reject) => {
    newman.run(
      {
        collection,
        envVar: [{key: 'issuer', value: sandbox.issuer}],
        reporters: 'cli',
        // Failures are listed in full; passing assertions only as the summary's count.
        reporter: {cli: {noSuccessAssertions: true}},
        timeoutRequest: 10_000,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
  const {stats, failures} = summary.run;
  console.log(
    `newman: ${stats.requests.total} requests (${stats.requests.failed} failed), ` +
      `${stats.assertions.total} assertions (${stats.assertions.failed} failed), ` +
      `${stats.testScripts.failed + stats.prerequestScripts.failed} script errors, ${failures.length} failures`,
  );
  for (const failure of failures) {
    console.error(`  ${failure.source?.name ?? '?'}: ${failure.error.name}: ${failure.error.message}`);
  }
  failed = failures.length > 0 || stats.requests.total === 0 || stats.assertions.total === 0;
} finally {
  await sandbox.close();
}
process.exit(failed ? 1 : 0);
