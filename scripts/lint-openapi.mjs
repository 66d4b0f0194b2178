// Writes the sandbox's OpenAPI description for a fixed issuer to a temporary file and lints it with
// Redocly's CLI (rules in redocly.yaml). Run with `npm run lint:openapi`.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {spawnSync} from 'node:child_process';
import {tsImport} from 'tsx/esm/api';

const ISSUER = 'https://sandbox.oauth-flows.dev/sandbox';
const {buildOpenApi} = await tsImport('../src/sandbox/openapi.ts', import.meta.url);
const {buildCatalog} = await tsImport('../src/sandbox/catalog.ts', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
const file = join(dir, 'openapi.json');
try {
  writeFileSync(file, JSON.stringify(buildOpenApi(ISSUER, buildCatalog(ISSUER, 'https://oauth-flows.dev/')), null, 2));
  const bin = join(
    import.meta.dirname,
    '..',
    'node_modules',
    '.bin',
    process.platform === 'win32' ? 'redocly.cmd' : 'redocly',
  );
  // Lint only: no usage telemetry and no update check (CI reaches no network but the package registry).
  const env = {...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true'};
  const {status, error} = spawnSync(bin, ['lint', file, '--config', join(import.meta.dirname, '..', 'redocly.yaml')], {
    stdio: 'inherit',
    env,
  });
  if (error) console.error(`Could not run Redocly's CLI (${error.message}): run npm ci first.`);
  process.exitCode = status ?? 1;
} finally {
  rmSync(dir, {recursive: true, force: true});
}
