// `npm run lint`: typescript-eslint's strict, type-checked rules, React's hook rules and jsx-a11y over every
// TypeScript file; Prettier owns the formatting (`npm run format`), so no stylistic rule is set here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import jsxA11y from 'eslint-plugin-jsx-a11y';

export default tseslint.config(
  {ignores: ['build/', '.docusaurus/', 'node_modules/', 'static/', '**/*.js', '**/*.cjs', '**/*.mjs']},
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {projectService: true, tsconfigRootDir: import.meta.dirname},
    },
    rules: {
      // node:test's test() and describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {allowForKnownSafeCalls: [{from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite']}]},
      ],
      '@typescript-eslint/restrict-template-expressions': ['error', {allowNumber: true}],
      '@typescript-eslint/no-confusing-void-expression': ['error', {ignoreArrowShorthand: true}],
      // noUncheckedIndexedAccess makes every regex group and split()[0] possibly undefined; `!` marks the
      // places where it cannot be, and is kept for those.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Docusaurus's logger is a tagged template.
      '@typescript-eslint/no-unused-expressions': ['error', {allowTaggedTemplates: true}],
      // A leading underscore names what a destructuring leaves out on purpose.
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
      // A function that implements an async interface (a store kept in memory) need not await anything.
      '@typescript-eslint/require-await': 'off',
      // oauth4webapi marks allowInsecureRequests deprecated to make it stand out; the flows set it for an
      // http://localhost issuer only (see each flow's config).
      // The labs turn PKCE off on purpose (`nopkce`) to show what it defends against.
      '@typescript-eslint/no-deprecated': [
        'error',
        {allow: [{from: 'package', package: 'oauth4webapi', name: ['allowInsecureRequests', 'nopkce']}]},
      ],
    },
  },
  {
    // The sandbox is two TypeScript projects: the worker's (web APIs only) and Node's (node.ts and the tests).
    files: ['src/sandbox/**/*.ts'],
    languageOptions: {
      parserOptions: {
        projectService: false,
        project: ['src/sandbox/tsconfig.json', 'src/sandbox/tsconfig.node.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    // End-to-end specs also run code inside Firefox, WebKit and Service Workers, where the DOM's declared types
    // do not hold (no navigator.serviceWorker with workers off, no document.body mid-navigation); IndexedDB
    // requests reject with their DOMException or null.
    files: ['e2e/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
    },
  },
  {
    // Outside the sandbox, TypeScript does not check indexed access (`list[0]`, `record[key]` are never
    // undefined to it), so this rule would ask to remove the checks that guard real undefineds. A test reads
    // values whose types promise more than a failing server delivers. The sandbox keeps the rule: it
    // compiles with noUncheckedIndexedAccess.
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['src/sandbox/**/*.ts'],
    rules: {'@typescript-eslint/no-unnecessary-condition': 'off'},
  },
  {
    files: ['src/sandbox/**/*.test.ts'],
    rules: {'@typescript-eslint/no-unnecessary-condition': 'off'},
  },
  {
    files: ['**/*.tsx'],
    ...jsxA11y.flatConfigs.strict,
  },
  {
    // React code lives under src/; Playwright's fixtures also call a function named `use`.
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ...reactHooks.configs.flat['recommended-latest'],
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    rules: {
      // The site hydrates static HTML: what only the browser knows (a path restored from the URL, whether
      // IntersectionObserver exists, a module already loaded) can only be set after mount, in an effect.
      'react-hooks/set-state-in-effect': 'off',
    },
  },
);
