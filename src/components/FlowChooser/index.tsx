import React, {useEffect, useId, useRef, useState, type ReactNode} from 'react';
import Link from '@docusaurus/Link';
import {formatPath, parsePath, URL_PARAMETER, walk, type Question, type Recommendation} from './tree';
import styles from './styles.module.css';

/** Keeps the reader's path in the page's URL (`?chooser=other.yes`), without a new history entry per answer. */
function writePath(values: readonly string[]): void {
  const url = new URL(window.location.href);
  if (values.length > 0) url.searchParams.set(URL_PARAMETER, formatPath(values));
  else url.searchParams.delete(URL_PARAMETER);
  window.history.replaceState(window.history.state, '', url);
}

function readPath(): string[] {
  return walk(parsePath(new URLSearchParams(window.location.search).get(URL_PARAMETER))).values;
}

/**
 * "Which flow?" as questions, one at a time. The server renders the first question; in the browser
 * a path shared in the URL is restored, and each answer moves focus to what comes next.
 */
export default function FlowChooser(): ReactNode {
  const [path, setPath] = useState<string[]>([]);
  const heading = useRef<HTMLHeadingElement>(null);
  const moveFocus = useRef(false);
  const ids = useId();

  useEffect(() => {
    const restored = readPath();
    if (restored.length > 0) setPath(restored);
  }, []);

  useEffect(() => {
    if (!moveFocus.current) return;
    moveFocus.current = false;
    heading.current?.focus({preventScroll: true});
  }, [path]);

  const go = (next: string[]) => {
    moveFocus.current = true;
    setPath(next);
    writePath(next);
  };

  const {nodes, values} = walk(path);
  const current = nodes[nodes.length - 1];
  const trail = nodes.slice(0, -1).map((node, index) => ({node: node as Question, value: values[index]}));

  return (
    <section className={styles.chooser} aria-labelledby={`${ids}-title`}>
      <p className={styles.eyebrow} id={`${ids}-title`}>
        Find your flow{current.kind === 'question' ? `: question ${nodes.length}` : ''}
      </p>
      {current.kind === 'question' ? (
        <QuestionView question={current} heading={heading} ids={ids} onAnswer={(value) => go([...values, value])} />
      ) : (
        <RecommendationView recommendation={current} heading={heading} />
      )}
      {trail.length > 0 && (
        <div className={styles.footer}>
          <ol className={styles.trail} aria-label="Your answers">
            {trail.map(({node, value}) => (
              <li key={node.id}>
                {node.short} <strong>{node.answers.find((answer) => answer.value === value)?.label}</strong>
              </li>
            ))}
          </ol>
          <div className={styles.controls}>
            <button
              type="button"
              className="button button--sm button--secondary"
              onClick={() => go(values.slice(0, -1))}
            >
              Back
            </button>
            <button type="button" className="button button--sm button--secondary" onClick={() => go([])}>
              Start again
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

interface ViewProps {
  /** The view's heading, which takes focus after an answer. */
  heading: React.RefObject<HTMLHeadingElement | null>;
}

function QuestionView({
  question,
  heading,
  ids,
  onAnswer,
}: ViewProps & {question: Question; ids: string; onAnswer: (value: string) => void}): ReactNode {
  return (
    <>
      <h2 className={styles.question} id={`${ids}-question`} ref={heading} tabIndex={-1}>
        {question.text}
      </h2>
      <p className={styles.why} id={`${ids}-why`}>
        {question.why}
      </p>
      <div className={styles.answers} role="group" aria-labelledby={`${ids}-question`} aria-describedby={`${ids}-why`}>
        {question.answers.map((answer) => (
          <button
            key={answer.value}
            type="button"
            className="button button--primary"
            onClick={() => onAnswer(answer.value)}
          >
            {answer.label}
          </button>
        ))}
      </div>
    </>
  );
}

function RecommendationView({recommendation, heading}: ViewProps & {recommendation: Recommendation}): ReactNode {
  const {flow, liveName, page, reason, warning, seeAlso} = recommendation;
  const [before, after] = warning ? warning.text.split('{cite}') : [];
  return (
    <>
      <h2 className={styles.question} ref={heading} tabIndex={-1}>
        Use {flow}
      </h2>
      <p className={styles.reason}>{reason}</p>
      {warning && (
        <p className={styles.warning}>
          <strong>Warning:</strong> {before}
          <a href={warning.cite.href}>{warning.cite.label}</a>
          {after}
        </p>
      )}
      {seeAlso.map((also) => (
        <p key={also.page} className={styles.reason}>
          {also.text} See <Link to={`/${also.page}`}>{also.label}</Link>.
        </p>
      ))}
      <div className={styles.links}>
        <Link className="button button--primary" to={`/${page}#try-it-live`}>
          Try {liveName} live
        </Link>
        <Link to={`/${page}`}>How it works</Link>
      </div>
    </>
  );
}
