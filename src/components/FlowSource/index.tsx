import React, {type CSSProperties, type ReactNode} from 'react';
import CodeBlock from '@theme/CodeBlock';
import {useNearViewport} from '@site/src/lib/use-near-viewport';
import {importedPackages, isSandboxFile} from './source-facts';
import styles from './styles.module.css';

export interface FlowSourceProps {
  /** The file's text, imported at build time through source-text-loader. */
  source: string;
  /** Path of the file in the repository, shown as the code block's title. */
  path: string;
  /** The highlighting language (default: TypeScript). */
  language?: string;
  /**
   * Text of the line(s) to mark, e.g. the one line a security lab turns on and off. Every line that
   * contains it is highlighted; text found on no line is an error, so the mark cannot silently drift.
   */
  highlight?: string;
  /**
   * Shows the file closed, under this summary: for a file the page's main snippet imports, there to
   * make the snippet whole when copied, but not what the page is about.
   */
  collapsedAs?: string;
}

/** Docusaurus' code block metastring marking the lines that contain `text` (1-based line numbers). */
function highlightMeta(code: string, path: string, text: string): string {
  const lines = code.split('\n').flatMap((line, index) => (line.includes(text) ? [index + 1] : []));
  if (lines.length === 0) throw new Error(`${path} has no line containing ${JSON.stringify(text)}`);
  return `{${lines.join(',')}}`;
}

/** How far below the viewport the block starts being highlighted, so it is ready when the reader arrives. */
const HIGHLIGHT_AHEAD = '800px 0px';

/**
 * A flow module's source, exactly as the walkthrough on the same page runs it, with a copy button.
 *
 * The static HTML and the first render show it as one plain block of text; the highlighted code block
 * (a few hundred tokenized lines, with line numbers and a copy button) replaces it when it comes near
 * the viewport, so it never weighs on the page's load or hydration.
 */
export default function FlowSource({collapsedAs, ...props}: FlowSourceProps): ReactNode {
  if (collapsedAs === undefined) return <SourceBlock {...props} />;
  return (
    <details className={styles.collapsed}>
      <summary>{collapsedAs}</summary>
      <SourceBlock {...props} />
    </details>
  );
}

function SourceBlock({source, path, language = 'ts', highlight}: Omit<FlowSourceProps, 'collapsedAs'>): ReactNode {
  const [container, highlighted] = useNearViewport<HTMLElement>(HIGHLIGHT_AHEAD);

  const code = source.trimEnd();
  const lines = code.split('\n').length;
  const metastring = highlight === undefined ? undefined : highlightMeta(code, path, highlight);
  return (
    <section
      ref={container}
      aria-label={`Source: ${path}`}
      className={styles.source}
      style={{'--source-lines': lines} as CSSProperties}
    >
      {isSandboxFile(path) ? (
        <p className={styles.note}>
          Part of the sandbox's server, shown where it enforces the rule. It imports other modules of the sandbox, so it
          runs inside the whole sandbox, not copied alone.
        </p>
      ) : (
        language === 'ts' && <ModuleNote packages={importedPackages(source)} />
      )}
      {highlighted ? (
        <CodeBlock language={language} title={path} showLineNumbers metastring={metastring}>
          {code}
        </CodeBlock>
      ) : (
        <figure className={styles.plain}>
          <figcaption className={styles.title}>{path}</figcaption>
          {/* A scrollable block must be reachable from the keyboard (WCAG 2.1.1). */}
          {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
          <pre tabIndex={0}>
            <code>{code}</code>
          </pre>
        </figure>
      )}
    </section>
  );
}

/**
 * How to use a copied flow module: an ES module in TypeScript, checked with these options (a project's
 * default CommonJS setup refuses its `import` statements and `import.meta`), and the packages it needs.
 */
function ModuleNote({packages}: {packages: string[]}): ReactNode {
  return (
    <p className={styles.note}>
      An ES module in TypeScript: in a project with <code>"type": "module"</code>, it type-checks with{' '}
      <code>"module": "esnext"</code>, <code>"moduleResolution": "bundler"</code> and <code>"strict": true</code>, and
      runs from Node with <code>npx tsx</code>.
      {packages.length > 0 && (
        <>
          {' '}
          It needs{' '}
          {packages.map((name, index) => (
            <React.Fragment key={name}>
              {index > 0 && (index === packages.length - 1 ? ' and ' : ', ')}
              <code>{name}</code>
            </React.Fragment>
          ))}{' '}
          from npm.
        </>
      )}
    </p>
  );
}
