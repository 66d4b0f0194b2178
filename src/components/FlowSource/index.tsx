import React, {type CSSProperties, type ReactNode} from 'react';
import CodeBlock from '@theme/CodeBlock';
import {useNearViewport} from '@site/src/lib/useNearViewport';
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
export default function FlowSource({source, path, language = 'ts', highlight}: FlowSourceProps): ReactNode {
  const [container, highlighted] = useNearViewport<HTMLElement>(HIGHLIGHT_AHEAD);

  const code = source.trimEnd();
  const lines = code.split('\n').length;
  const metastring = highlight === undefined ? undefined : highlightMeta(code, path, highlight);
  return (
    <section ref={container} aria-label={`Source: ${path}`} className={styles.source} style={{'--source-lines': lines} as CSSProperties}>
      {highlighted ? (
        <CodeBlock language={language} title={path} showLineNumbers metastring={metastring}>
          {code}
        </CodeBlock>
      ) : (
        <figure className={styles.plain}>
          <figcaption className={styles.title}>{path}</figcaption>
          <pre tabIndex={0}>
            <code>{code}</code>
          </pre>
        </figure>
      )}
    </section>
  );
}
