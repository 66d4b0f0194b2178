import {mkdirSync, writeFileSync} from 'node:fs';
import {join, resolve} from 'node:path';
import type {LoadContext, Plugin} from '@docusaurus/types';
import type {PrismTheme} from 'prism-react-renderer';

export interface PrismThemeCssOptions {
  light: PrismTheme;
  dark: PrismTheme;
}

/**
 * What the code blocks render with: no colours at all, only Prism's token class names. The colours
 * come from the stylesheet this plugin writes, for both colour modes at once.
 */
export const CLASS_ONLY_THEME: PrismTheme = {plain: {}, styles: []};

const kebab = (property: string) => property.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

function declarations(style: Record<string, unknown>): string {
  return Object.entries(style)
    .filter(([, value]) => typeof value === 'string' || typeof value === 'number')
    .map(([property, value]) => `${kebab(property)}: ${String(value)};`)
    .join(' ');
}

/**
 * One Prism theme as CSS under `scope`. Entries keep the theme's order, so a later entry wins as it
 * does in prism-react-renderer; an entry limited to some languages is scoped to their `language-*` class.
 */
export function themeToCss(theme: PrismTheme, scope: string): string {
  const rules: string[] = [];
  const plain: string[] = [];
  if (theme.plain.color) plain.push(`--prism-color: ${theme.plain.color};`);
  if (theme.plain.backgroundColor) plain.push(`--prism-background-color: ${theme.plain.backgroundColor};`);
  rules.push(`${scope} { ${plain.join(' ')} }`);
  for (const entry of theme.styles) {
    const body = declarations(entry.style);
    if (!body) continue;
    const languages = entry.languages ?? [undefined];
    const selectors = entry.types.flatMap((type) =>
      languages.map((language) => `${scope} ${language ? `.language-${language} ` : ''}.token.${type}`),
    );
    rules.push(`${selectors.join(',\n')} { ${body} }`);
  }
  return rules.join('\n');
}

/**
 * How the site highlights code.
 *
 * Code block colours are a stylesheet instead of inline styles. With inline styles, the colours a page
 * is rendered with at build time are the light theme's, so Docusaurus renders every code block a
 * second time after hydration to apply the reader's colour mode: on a page with long code blocks that
 * second render was one of the longest tasks of the page load. With classes only, one render serves
 * both modes and the stylesheet picks the colours.
 */
export default function prismThemeCss(context: LoadContext, options: PrismThemeCssOptions): Plugin {
  const directory = join(context.generatedFilesDir, 'code-highlighting');
  const file = join(directory, 'prism-theme.css');
  mkdirSync(directory, {recursive: true});
  writeFileSync(
    file,
    `/* Generated from the site's Prism themes by the code-highlighting plugin. */\n${themeToCss(options.light, ":root:not([data-theme='dark']) .theme-code-block")}\n${themeToCss(
      options.dark,
      "[data-theme='dark'] .theme-code-block",
    )}\n`,
  );
  return {
    name: 'code-highlighting',
    getClientModules: () => [file],
    // prism-react-renderer's own build defines some twenty languages at startup; the site's code
    // blocks and Docusaurus' language loader get Prism's core with the languages the site shows.
    configureWebpack: () => ({
      resolve: {alias: {'prism-react-renderer$': resolve(context.siteDir, 'src/lib/prism/index.tsx')}},
    }),
  };
}
