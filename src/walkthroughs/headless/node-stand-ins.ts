/**
 * What the site's bundler and the browser give a walkthrough's modules, stood in for in Node, so the
 * registry's definitions load and run in unit tests. Import this module before loading a definition.
 *
 * - CSS modules (`import styles from './styles.module.css'`): class names are their own keys.
 * - Docusaurus' virtual modules (`@generated/…`, `@theme/…`): an empty module. Only views use them, and
 *   headless runs render no view.
 */
import Module from 'node:module';
import {join} from 'node:path';

interface NodeModule {
  exports: unknown;
}

const loader = Module as unknown as {
  _extensions: Record<string, (module: NodeModule, filename: string) => void>;
  _resolveFilename: (request: string, ...rest: unknown[]) => string;
};

loader._extensions['.css'] = (module) => {
  module.exports = new Proxy({}, {get: (_target, name) => (name === '__esModule' ? false : String(name))});
};

const resolve = loader._resolveFilename;
const EMPTY_MODULE = join(__dirname, 'empty-module.cjs');
loader._resolveFilename = function (request: string, ...rest: unknown[]): string {
  if (/^@(generated|theme)\//.test(request)) return EMPTY_MODULE;
  return resolve.call(this, request, ...rest);
};
