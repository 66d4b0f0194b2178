import React, {useEffect, useMemo, useRef, useState, type ReactNode} from 'react';
import SequenceDiagram, {type Message} from '../SequenceDiagram';
import {toNodeSandbox} from '../HttpExchange/exchange';
import {describeError, type DescribedError} from '@site/src/walkthroughs/engine/errors';
import {resolveProvider, type ProviderSettings} from '@site/src/walkthroughs/engine/provider';
import {busyOf, currentIndexOf, envOf, stateBefore, type FocusRequest} from '@site/src/walkthroughs/engine/runner';
import {savedProvider} from '@site/src/walkthroughs/engine/storage';
import type {AnyStep, WalkthroughDefinition} from '@site/src/walkthroughs/engine/types';
import {NoSandboxAdvice} from '../LiveWalkthrough/NoSandbox';
import {ErrorBox} from './ErrorBox';
import {ProviderNote} from './ProviderNote';
import {StepItem} from './StepItem';
import {useRun} from './use-run';
import {useWideLayout} from './use-wide-layout';
import styles from './styles.module.css';

/** The diagram's messages: each step's arrows, tagged with the step's index. */
function messagesOf(steps: AnyStep[]): Message[] {
  return steps.flatMap((step, index) => step.arrows.map((arrow) => ({...arrow, step: index})));
}

type ProviderChoice = {provider?: ProviderSettings} | {error: DescribedError};

/** Which provider this page load runs against: the page's query, or the saved settings on the way back from sign-in. */
function chooseProvider(slug: string, offered: boolean): ProviderChoice {
  if (!offered) return {};
  try {
    return {provider: resolveProvider(new URLSearchParams(window.location.search), savedProvider(slug))};
  } catch (error) {
    return {error: describeError(error)};
  }
}

/**
 * Runs a walkthrough against the built-in sandbox, or, when the page names the reader's own provider
 * (`?issuer=…&client_id=…`) and the walkthrough offers it, against that provider.
 */
export default function Walkthrough({
  definition,
  ownProvider,
}: {
  definition: WalkthroughDefinition;
  ownProvider?: WalkthroughDefinition;
}): ReactNode {
  const [choice] = useState(() => chooseProvider(definition.slug, ownProvider !== undefined));
  if ('error' in choice) {
    return (
      <section className={styles.walkthrough} aria-label={definition.title}>
        <div className={styles.error} role="alert">
          <p className={styles.errorTitle}>These provider settings cannot be used</p>
          <p>{choice.error.message}</p>
          <p>
            Correct them in the form "Run it against your own provider" on this page, or go{' '}
            <a href={window.location.pathname}>back to the built-in sandbox</a>.
          </p>
        </div>
      </section>
    );
  }
  const {provider} = choice;
  return <WalkthroughRun definition={provider && ownProvider ? ownProvider : definition} provider={provider} />;
}

/**
 * Runs a walkthrough definition step by step, each step started by the reader, showing every
 * result and HTTP exchange beside one sequence diagram. The run itself (engine/runner.ts) keeps the
 * progress, which survives a navigation to another site and back (sessionStorage, keyed by slug).
 */
function WalkthroughRun({
  definition,
  provider,
}: {
  definition: WalkthroughDefinition;
  provider?: ProviderSettings;
}): ReactNode {
  const {title, steps} = definition;
  const {run, snapshot, ownProvider} = useRun(definition, provider);
  const {readiness, saved, failure, announcement, progress} = snapshot;
  const stepElements = useRef(new Map<number, HTMLLIElement>());
  /** The current step's form: its `before` fields and its button. */
  const currentForm = useRef<HTMLFormElement | null>(null);
  const focused = useRef<FocusRequest | undefined>(undefined);
  const wide = useWideLayout();
  const env = envOf(snapshot);
  const busy = busyOf(snapshot);
  const currentIndex = currentIndexOf(snapshot, steps.length);

  // Keep the reader's place: focus moves to what just changed, scrolling only as much as needed.
  useEffect(() => {
    const target = snapshot.focus;
    if (!target || target === focused.current || !env) return;
    focused.current = target;
    const item = stepElements.current.get(target.index);
    const element =
      item?.querySelector<HTMLElement>(`[data-focus="${target.target}"]`) ??
      item?.querySelector<HTMLElement>('[data-focus="heading"]');
    element?.focus({preventScroll: true});
    if (target.target === 'heading') element?.scrollIntoView({block: 'start'});
    else element?.scrollIntoView({block: 'nearest'});
  });

  // Read before re-rendering: "Try again" sends what the fields hold now.
  const runStep = (index: number) =>
    void run.runStep(index, currentForm.current ? new FormData(currentForm.current) : new FormData());
  // Copied requests to the reader's own provider stay as they are; the sandbox's go to the Node sandbox.
  const curlTarget = useMemo(() => (env && !provider ? toNodeSandbox(env.issuer) : undefined), [env, provider]);
  const lanes = Object.entries(definition.lanes).map(([id, label]) => ({id, label: label ?? id}));
  const diagram = (
    <SequenceDiagram
      title={`${title}: sequence diagram`}
      lanes={lanes}
      messages={messagesOf(steps)}
      activeStep={currentIndex}
      completedSteps={saved.completed.length}
    />
  );

  return (
    <section className={styles.walkthrough} aria-label={title}>
      <div className={styles.toolbar}>
        <button
          type="button"
          className="button button--sm button--outline button--secondary"
          onClick={run.startOver}
          disabled={busy !== undefined}
        >
          Start over
        </button>
        {!provider && (
          <button
            type="button"
            className="button button--sm button--outline button--secondary"
            onClick={() => void run.resetAll()}
            disabled={busy !== undefined || readiness.state !== 'ready'}
          >
            Reset sandbox
          </button>
        )}
      </div>
      {provider && (
        <ProviderNote provider={provider} redirectUri={`${window.location.origin}${window.location.pathname}`} />
      )}
      <p role="status" aria-live="polite" className={styles.status}>
        {readiness.state === 'starting' ? (provider ? 'Starting…' : 'Starting the sandbox…') : announcement}
      </p>
      {readiness.state === 'failed' && (
        <ErrorBox
          error={readiness.error}
          title={provider ? 'The walkthrough could not start' : 'The sandbox could not start'}
          ownProvider={ownProvider}
        >
          {!provider && readiness.error.sandboxUnavailable && <NoSandboxAdvice />}
          <button type="button" className="button button--sm button--primary" onClick={() => void run.start()}>
            Try again
          </button>
        </ErrorBox>
      )}
      <div className={styles.layout}>
        <aside className={styles.diagramPane} aria-label="Sequence diagram">
          {wide ? (
            diagram
          ) : (
            <details className={styles.diagramDetails}>
              <summary>Sequence diagram</summary>
              {diagram}
            </details>
          )}
        </aside>
        <ol className={styles.steps}>
          {steps.map((step, index) => {
            const done = saved.completed[index];
            const isCurrent = index === currentIndex;
            return (
              <StepItem
                key={index}
                step={step}
                index={index}
                done={done}
                isCurrent={isCurrent}
                failure={failure?.index === index ? failure : undefined}
                view={
                  env && (done || isCurrent)
                    ? {
                        env,
                        state: stateBefore(definition, env, saved, index + (done ? 1 : 0)),
                        ...(progress?.index === index ? {progress: progress.value} : {}),
                      }
                    : undefined
                }
                busy={busy}
                ready={env !== undefined}
                latest={index === saved.completed.length - 1}
                curlTarget={curlTarget}
                ownProvider={ownProvider}
                formRef={currentForm}
                itemRef={(element) => {
                  if (element) stepElements.current.set(index, element);
                  else stepElements.current.delete(index);
                }}
                onRun={() => runStep(index)}
                onStartOver={run.startOver}
              />
            );
          })}
        </ol>
      </div>
    </section>
  );
}
