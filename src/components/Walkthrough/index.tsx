import React, {useCallback, useEffect, useRef, useState, type ReactNode} from 'react';
import clsx from 'clsx';
import HttpExchange from '../HttpExchange';
import {createRecordingFetch, type HttpExchangeRecord, type Retarget} from '../HttpExchange/exchange';
import {describeError, type DescribedError} from './errors';
import {clearSaved, loadSaved, saveState} from './storage';
import type {CompletedStep, SavedWalkthrough, StepDefinition, WalkthroughProps} from './types';
import styles from './styles.module.css';

export type {StepDefinition, StepContext, WalkthroughProps} from './types';

type Readiness<Env> = {state: 'starting'} | {state: 'ready'; env: Env} | {state: 'failed'; error: DescribedError};

interface StepFailure {
  stepId: string;
  error: DescribedError;
  exchanges: HttpExchangeRecord[];
}

function ErrorBox({error, title}: {error: DescribedError; title: string}): ReactNode {
  return (
    <div className={styles.error} role="alert">
      <p className={styles.errorTitle}>{title}</p>
      {error.error && (
        <dl className={styles.errorFields}>
          <dt>
            <code>error</code>
          </dt>
          <dd>
            <code>{error.error}</code>
          </dd>
          {error.errorDescription && (
            <>
              <dt>
                <code>error_description</code>
              </dt>
              <dd>{error.errorDescription}</dd>
            </>
          )}
          {error.status !== undefined && (
            <>
              <dt>HTTP status</dt>
              <dd>{error.status}</dd>
            </>
          )}
        </dl>
      )}
      <p className={styles.errorMessage}>{error.message}</p>
    </div>
  );
}

function Exchanges({
  exchanges,
  copyable,
  curlTarget,
}: {
  exchanges: HttpExchangeRecord[];
  copyable: boolean;
  curlTarget?: Retarget;
}): ReactNode {
  if (exchanges.length === 0) return null;
  return (
    <div className={styles.exchanges}>
      {exchanges.map((exchange, index) => (
        <HttpExchange
          key={index}
          exchange={exchange}
          title={`HTTP exchange ${index + 1} of ${exchanges.length}`}
          copyable={copyable}
          curlTarget={curlTarget}
        />
      ))}
    </div>
  );
}

/**
 * Reads the browser's return into the step that navigated away, saves it at
 * once (so running this twice is harmless) and cleans the address bar.
 */
function resumeFromUrl<Env>(flowId: string, steps: ReadonlyArray<StepDefinition<Env>>): SavedWalkthrough {
  const saved = loadSaved(flowId);
  const waiting = steps.find((step) => step.id === saved.awaitingReturn);
  if (!waiting?.resume) return saved;
  const returned = waiting.resume(new URL(window.location.href));
  const resumed: SavedWalkthrough = returned
    ? {version: 1, completed: {...saved.completed, [waiting.id]: {result: returned.result, exchanges: []}}}
    : {version: 1, completed: saved.completed};
  saveState(flowId, resumed);
  // Authorization codes must not linger in the address bar or history (RFC 9700 §4.2.4).
  if (returned) window.history.replaceState(window.history.state, '', returned.cleanUrl);
  return resumed;
}

/**
 * Runs a flow step by step, each step started by the reader, showing every
 * result and HTTP exchange. Progress survives a navigation to another site
 * and back (sessionStorage, keyed by flow).
 */
export default function Walkthrough<Env>({flowId, title, steps, prepare, resetServer, diagram, curlTarget}: WalkthroughProps<Env>): ReactNode {
  const [saved, setSaved] = useState<SavedWalkthrough>(() => resumeFromUrl(flowId, steps));
  const [readiness, setReadiness] = useState<Readiness<Env>>({state: 'starting'});
  const [running, setRunning] = useState<string | undefined>();
  const [failure, setFailure] = useState<StepFailure | undefined>();
  const [announcement, setAnnouncement] = useState('');
  const headings = useRef(new Map<string, HTMLHeadingElement>());
  const focusAfterRender = useRef<string | undefined>(undefined);
  const [attempt, setAttempt] = useState(0);

  const currentIndex = steps.findIndex((step) => !saved.completed[step.id]);
  const current = currentIndex === -1 ? undefined : steps[currentIndex];
  const completedIds = steps.filter((step) => saved.completed[step.id]).map((step) => step.id);
  const results = Object.fromEntries(Object.entries(saved.completed).map(([id, step]) => [id, step.result]));

  useEffect(() => {
    saveState(flowId, saved);
  }, [flowId, saved]);

  // Coming back from another site: bring the reader to where the walkthrough continues.
  useEffect(() => {
    if (Object.keys(saved.completed).length > 0 && current) focusAfterRender.current = current.id;
    // Only on first render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    let active = true;
    setReadiness({state: 'starting'});
    prepare().then(
      (env) => active && setReadiness({state: 'ready', env}),
      (error: unknown) => active && setReadiness({state: 'failed', error: describeError(error)}),
    );
    return () => {
      active = false;
    };
  }, [prepare, attempt]);

  useEffect(() => {
    const id = focusAfterRender.current;
    if (!id || readiness.state !== 'ready') return;
    focusAfterRender.current = undefined;
    const heading = headings.current.get(id);
    heading?.focus();
    heading?.scrollIntoView({block: 'start'});
  });

  const runStep = useCallback(
    async (step: StepDefinition<Env>, env: Env) => {
      const exchanges: HttpExchangeRecord[] = [];
      const recordingFetch = createRecordingFetch((exchange) => exchanges.push(exchange));
      const position = steps.indexOf(step) + 1;
      setRunning(step.id);
      setFailure(undefined);
      setAnnouncement(`Running step ${position}: ${step.title}…`);
      try {
        const result = await step.run({
          env,
          results,
          fetch: recordingFetch,
          navigate: async (url) => {
            saveState(flowId, {...saved, awaitingReturn: step.id});
            setAnnouncement(`Leaving for ${new URL(url).host}…`);
            window.location.assign(url);
            return new Promise<never>(() => undefined);
          },
        });
        const completed: CompletedStep = {result, exchanges};
        const next = steps[position];
        focusAfterRender.current = next?.id ?? step.id;
        setSaved((previous) => ({version: 1, completed: {...previous.completed, [step.id]: completed}}));
        setAnnouncement(
          next ? `Step ${position} done: ${step.title}. Next: ${next.title}.` : `Step ${position} done: ${step.title}. The walkthrough is complete.`,
        );
      } catch (error) {
        setFailure({stepId: step.id, error: describeError(error), exchanges});
        setAnnouncement(`Step ${position} failed: ${describeError(error).message}`);
      } finally {
        setRunning(undefined);
      }
    },
    [flowId, results, saved, steps],
  );

  const startOver = useCallback(() => {
    clearSaved(flowId);
    setSaved({version: 1, completed: {}});
    setFailure(undefined);
    focusAfterRender.current = steps[0]?.id;
    setAnnouncement('Started over. Step 1 is ready.');
  }, [flowId, steps]);

  const resetAll = useCallback(async () => {
    setAnnouncement('Resetting the sandbox…');
    try {
      await resetServer();
      startOver();
      setAnnouncement('The sandbox was reset: no sessions, consents, codes or tokens remain. Step 1 is ready.');
    } catch (error) {
      setFailure({stepId: current?.id ?? '', error: describeError(error), exchanges: []});
      setAnnouncement(`Resetting the sandbox failed: ${describeError(error).message}`);
    }
  }, [current, resetServer, startOver]);

  const env = readiness.state === 'ready' ? readiness.env : undefined;
  const target = env && curlTarget ? curlTarget(env) : undefined;

  return (
    <section className={styles.walkthrough} aria-label={title}>
      <div className={styles.toolbar}>
        <button type="button" className="button button--sm button--outline button--secondary" onClick={startOver} disabled={running !== undefined}>
          Start over
        </button>
        <button
          type="button"
          className="button button--sm button--outline button--secondary"
          onClick={resetAll}
          disabled={running !== undefined || readiness.state !== 'ready'}>
          Reset sandbox
        </button>
      </div>
      <p role="status" aria-live="polite" className={styles.status}>
        {readiness.state === 'starting' ? 'Starting the sandbox…' : announcement}
      </p>
      {readiness.state === 'failed' && (
        <>
          <ErrorBox error={readiness.error} title="The sandbox could not start" />
          <button type="button" className="button button--sm button--primary" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </>
      )}
      <ol className={styles.steps}>
        {steps.map((step, index) => {
          const done = saved.completed[step.id];
          const isCurrent = step === current;
          const stepFailure = failure?.stepId === step.id ? failure : undefined;
          return (
            <li key={step.id} className={clsx(styles.step, isCurrent && styles.current, done && styles.done)}>
              <h3
                className={styles.stepHeading}
                tabIndex={-1}
                ref={(element) => {
                  if (element) headings.current.set(step.id, element);
                  else headings.current.delete(step.id);
                }}>
                <span className={styles.stepNumber}>Step {index + 1}.</span> {step.title}
                {done && <span className={styles.badge}> (done)</span>}
              </h3>
              {(done || isCurrent) && <div className={styles.why}>{step.why}</div>}
              {isCurrent && env && step.before?.(env, results)}
              {isCurrent && (
                <button
                  type="button"
                  className="button button--primary"
                  disabled={!env || running !== undefined}
                  aria-busy={running === step.id}
                  onClick={() => env && runStep(step, env)}>
                  {running === step.id ? 'Working…' : step.actionLabel}
                </button>
              )}
              {/* The button comes first so it is in view right under the step's heading; the diagram shows where the step sits. */}
              {isCurrent && diagram && <div className={styles.diagram}>{diagram(step.id, completedIds)}</div>}
              {stepFailure && (
                <>
                  <ErrorBox error={stepFailure.error} title={`Step ${index + 1} failed`} />
                  <Exchanges exchanges={stepFailure.exchanges} copyable={step.copyable ?? true} curlTarget={target} />
                </>
              )}
              {done && env && (
                <div className={styles.result}>
                  {step.render(done.result as never, env, results)}
                  <Exchanges exchanges={done.exchanges} copyable={step.copyable ?? true} curlTarget={target} />
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {!current && diagram && <div className={styles.diagram}>{diagram(undefined, completedIds)}</div>}
    </section>
  );
}
