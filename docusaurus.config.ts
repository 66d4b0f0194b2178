import type {Config} from '@docusaurus/types';
import type * as Preset from '@docusaurus/preset-classic';
import {themes as prismThemes} from 'prism-react-renderer';
import {CLASS_ONLY_THEME, type PrismThemeCssOptions} from './src/plugins/code-highlighting';

// Where the site is published. Both come from the environment so the same tree
// can be deployed under a sub-path; no code may assume baseUrl is '/'.
const siteUrl = process.env.SITE_URL ?? 'http://localhost:3000';
const baseUrl = withSlashes(process.env.BASE_URL ?? '/');

// Code themes whose every token colour reaches WCAG AA contrast (4.5:1) on
// their own background. vsLight does, except for its pure-red attribute names.
const lightCodeTheme = {
  ...prismThemes.vsLight,
  styles: prismThemes.vsLight.styles.map((entry) =>
    entry.types.includes('attr-name') ? {...entry, style: {...entry.style, color: '#b30000'}} : entry,
  ),
};
const darkCodeTheme = prismThemes.oceanicNext;

function withSlashes(path: string): string {
  const leading = path.startsWith('/') ? path : `/${path}`;
  return leading.endsWith('/') ? leading : `${leading}/`;
}

// Navbar items are active by a pattern over the full pathname, which includes baseUrl.
// Exactly one item is active at a time: "Which flow?" on the home page only, "Flows" under
// flows/, "Try the endpoints" on its own page; the other concept pages mark none, since
// the navbar has no item for them (the sidebar shows where the reader is).
const escapedBaseUrl = baseUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const activeOn = (path: string) => `^${escapedBaseUrl}${path}/?$`;

const config = {
  title: 'OAuth 2.0 Flows, Live',
  tagline: 'A live guide to choosing and running OAuth 2.0 flows, right in your browser.',
  favicon: 'img/favicon.svg',

  url: siteUrl,
  baseUrl,
  trailingSlash: false,

  future: {
    v4: true,
    faster: true,
  },

  onBrokenLinks: 'throw',
  onBrokenAnchors: 'throw',
  onDuplicateRoutes: 'throw',
  markdown: {
    hooks: {
      onBrokenMarkdownLinks: 'throw',
      onBrokenMarkdownImages: 'throw',
    },
  },

  i18n: {
    defaultLocale: 'en',
    locales: ['en'],
  },

  // The sandbox worker bundle is generated into .sandbox-build/ by the
  // sandbox-worker plugin and published at `${baseUrl}sandbox-sw.js`.
  staticDirectories: ['static', '.sandbox-build'],
  clientModules: [
    './src/clientModules/authorization-response.ts',
    './src/clientModules/idle-prefetch.ts',
    './src/clientModules/sandbox.ts',
    './src/clientModules/warm-collator.ts',
  ],
  plugins: [
    './src/plugins/sandbox-worker/index.ts',
    './src/plugins/walkthrough-chunks/index.ts',
    // Code colours as a stylesheet for both modes, so code blocks render once, and Prism with only
    // the languages the site shows (see the plugin).
    [
      './src/plugins/code-highlighting/index.ts',
      {light: lightCodeTheme, dark: darkCodeTheme} satisfies PrismThemeCssOptions,
    ],
  ],
  // Offline search: the index is built from the pages at build time and served with the site; the
  // search bar fetches it (and runs the search in a Web Worker) only once the reader uses the box.
  themes: [
    [
      '@easyops-cn/docusaurus-search-local',
      {
        docsRouteBasePath: '/',
        indexDocs: true,
        indexBlog: false,
        indexPages: false,
        language: ['en'],
        hashed: 'filename',
        highlightSearchTermsOnTargetPage: false,
        explicitSearchResultPath: true,
        searchBarShortcutHint: false,
      },
    ],
  ],

  presets: [
    [
      'classic',
      {
        docs: {
          routeBasePath: '/',
          sidebarPath: './sidebars.ts',
        },
        blog: false,
        pages: false,
        theme: {
          customCss: './src/css/custom.css',
        },
        sitemap: {
          lastmod: null,
          changefreq: null,
          priority: null,
        },
      } satisfies Preset.Options,
    ],
  ],

  themeConfig: {
    // RFC 9700 §4.2.4: a page opened with an authorization response in its URL must not send it on in
    // the Referer of its own asset requests, which start before any script can clean the URL. Rendered
    // before the stylesheets and scripts. Same-origin fetches from the page then carry `Origin: null`,
    // which the sandbox's checks allow for (docs/concepts/trust-model.mdx).
    metadata: [{name: 'referrer', content: 'no-referrer'}],
    colorMode: {
      respectPrefersColorScheme: true,
    },
    navbar: {
      title: 'OAuth 2.0 Flows, Live',
      logo: {
        alt: 'A key inside a circle',
        src: 'img/logo.svg',
      },
      items: [
        // Plain links, not `type: 'doc'` items: a doc item is active on every page of its sidebar,
        // and all pages share one sidebar.
        {to: '/', activeBaseRegex: activeOn(''), label: 'Which flow?', position: 'left'},
        {
          to: '/flows/client-credentials',
          activeBaseRegex: `^${escapedBaseUrl}flows(/|$)`,
          label: 'Flows',
          position: 'left',
        },
        {
          to: '/concepts/try-the-endpoints',
          activeBaseRegex: activeOn('concepts/try-the-endpoints'),
          label: 'Try the endpoints',
          position: 'left',
        },
      ],
    },
    footer: {
      style: 'dark',
      copyright:
        'Every token on this site is issued by a sandbox authorization server running in your own browser. Nothing leaves your machine.',
    },
    prism: {
      // Token classes only: the colours of lightCodeTheme and darkCodeTheme come from the
      // code-highlighting plugin's stylesheet.
      theme: CLASS_ONLY_THEME,
      darkTheme: CLASS_ONLY_THEME,
      // src/lib/prism loads Prism with TypeScript, JavaScript and JSON (see the code-highlighting
      // plugin); these two are added to it at startup by Docusaurus' prism-include-languages module.
      additionalLanguages: ['bash', 'http'],
    },
  } satisfies Preset.ThemeConfig,
} satisfies Config;

export default config;
