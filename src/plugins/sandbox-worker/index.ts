import path from 'node:path';
import {mkdir} from 'node:fs/promises';
import {build, type Metafile} from 'esbuild';
import logger from '@docusaurus/logger';
import type {LoadContext, Plugin} from '@docusaurus/types';

/** File name of the Service Worker script, served at `${baseUrl}sandbox-sw.js`. */
export const WORKER_FILE_NAME = 'sandbox-sw.js';

/** Generated static directory the bundle is written to (listed in `staticDirectories`). */
export const WORKER_OUTPUT_DIR = '.sandbox-build';

/**
 * Bundles the sandbox Service Worker (`src/sandbox/worker.ts`) with esbuild into
 * a generated static directory, so `docusaurus start` and `docusaurus build`
 * both serve it at `${baseUrl}sandbox-sw.js`. A worker's scope can be no wider
 * than the directory its script is served from (the Service Workers spec's
 * "max scope" rule), which is why it lives at the base URL rather than under
 * `assets/`.
 */
export default function sandboxWorkerPlugin(context: LoadContext): Plugin<void> {
  const sandboxDir = path.join(context.siteDir, 'src', 'sandbox');
  const outputDir = path.join(context.siteDir, WORKER_OUTPUT_DIR);

  return {
    name: 'sandbox-worker',

    getPathsToWatch() {
      // The worker also bundles the demo web apps (src/flows) and what they import from src/lib.
      return [
        path.join(sandboxDir, '**', '*.ts'),
        path.join(context.siteDir, 'src', 'flows', '*.ts'),
        path.join(context.siteDir, 'src', 'lib', '*.ts'),
      ];
    },

    async loadContent() {
      await mkdir(outputDir, {recursive: true});
      const production = process.env.NODE_ENV === 'production';
      const result = await build({
        entryPoints: [path.join(sandboxDir, 'worker.ts')],
        outfile: path.join(outputDir, WORKER_FILE_NAME),
        tsconfig: path.join(sandboxDir, 'tsconfig.json'),
        bundle: true,
        // A classic (non-module) worker script registers in every browser that has Service Workers.
        format: 'iife',
        platform: 'browser',
        conditions: ['worker', 'browser'],
        target: 'es2022',
        minify: production,
        sourcemap: 'linked',
        legalComments: 'linked',
        define: {'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development')},
        metafile: true,
        logLevel: 'silent',
      });
      assertNoNodeBuiltins(result.metafile);
      const bytes = outputBytes(result.metafile, WORKER_FILE_NAME);
      logger.info`Sandbox worker bundled: path=${`${context.baseUrl}${WORKER_FILE_NAME}`} (number=${(bytes / 1024).toFixed(1)} KiB${production ? ', minified' : ''})`;
    },
  };
}

/**
 * With `platform: 'browser'` esbuild already refuses to resolve Node built-ins;
 * this also catches any that a dependency marks as external.
 */
function assertNoNodeBuiltins(metafile: Metafile): void {
  const builtins = Object.values(metafile.outputs)
    .flatMap((output) => output.imports)
    .filter((imported) => imported.external)
    .map((imported) => imported.path);
  if (builtins.length > 0) {
    throw new Error(`The sandbox worker must not import outside its bundle, found: ${builtins.join(', ')}`);
  }
}

function outputBytes(metafile: Metafile, fileName: string): number {
  const entry = Object.entries(metafile.outputs).find(([file]) => file.endsWith(fileName));
  return entry ? entry[1].bytes : 0;
}
