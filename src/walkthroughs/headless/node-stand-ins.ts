/**
 * What the site's bundler and the browser give a walkthrough's modules, stood in for in Node, so the
 * registry's definitions load and run in unit tests. Import this module before loading a definition.
 *
 * - CSS modules (`import styles from './styles.module.css'`): class names are their own keys.
 * - Docusaurus' virtual modules (`@generated/…`, `@theme/…`): an empty module. Only views use them, and
 *   headless runs render no view.
 * - `DOMParser`, which the step kinds of the form_post pages use: enough of it to read a form, its
 *   inputs, and the `role="alert"` text of an error page, from the sandbox's and the demo apps' HTML.
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

const ENTITIES: Record<string, string> = {amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'"};

function decode(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, entity: string) => ENTITIES[entity]);
}

function attributesOf(tag: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of tag.matchAll(/([a-zA-Z-]+)(?:="([^"]*)")?/g)) {
    attributes.set(match[1].toLowerCase(), decode(match[2] ?? ''));
  }
  return attributes;
}

/** An element as far as the steps read one: attributes, inputs below it, its text. */
class StandInElement {
  constructor(
    private readonly tag: string,
    private readonly inner: string,
  ) {}

  get name(): string {
    return this.getAttribute('name') ?? '';
  }

  get value(): string {
    return this.getAttribute('value') ?? '';
  }

  get textContent(): string {
    return decode(this.inner.replace(/<[^>]+>/g, ''));
  }

  getAttribute(name: string): string | null {
    return attributesOf(this.tag.replace(/^<\w+/, '')).get(name) ?? null;
  }

  querySelector(selector: string): StandInElement | null {
    return this.querySelectorAll(selector)[0] ?? null;
  }

  /** `form[method="post"]`, `input[name]` and `[role="alert"]`: the selectors the step kinds use. */
  querySelectorAll(selector: string): StandInElement[] {
    if (selector === 'input[name]') {
      return [...this.inner.matchAll(/<input\b[^>]*>/g)]
        .map((match) => new StandInElement(match[0], ''))
        .filter((input) => input.getAttribute('name') !== null);
    }
    if (selector === 'form[method="post"]') {
      return [...this.inner.matchAll(/(<form\b[^>]*>)([\s\S]*?)<\/form>/g)]
        .map((match) => new StandInElement(match[1], match[2]))
        .filter((form) => form.getAttribute('method')?.toLowerCase() === 'post');
    }
    if (selector === '[role="alert"]') {
      const alerts = this.inner.matchAll(/(<(\w+)\b[^>]*role="alert"[^>]*>)([\s\S]*?)<\/\2>/g);
      return [...alerts].map((match) => new StandInElement(match[1], match[3]));
    }
    throw new Error(`The Node stand-in for DOMParser does not know the selector ${selector}.`);
  }
}

class StandInDOMParser {
  parseFromString(html: string): StandInElement {
    return new StandInElement('<html>', html);
  }
}

(globalThis as {DOMParser?: unknown}).DOMParser ??= StandInDOMParser;
