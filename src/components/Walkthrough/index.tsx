import React, {memo, useCallback, useEffect, useMemo, useRef, useState, type ReactNode} from 'react';
import clsx from 'clsx';
import SequenceDiagram, {type Message} from '../SequenceDiagram';
import {createRecordingFetch, toNodeSandbox, type HttpExchangeRecord, type Retarget} from '../HttpExchange/exchange';
import {resetSandbox} from '@site/src/lib/sandbox';
import {adviceFor, describeError, readRefusal, type DescribedError, type OwnProviderContext} from '@site/src/walkthroughs/engine/errors';
import {prepareEnvironment} from '@site/src/walkthroughs/engine/environment';
import {providerQuery, resolveProvider, type ProviderSettings} from '@site/src/walkthroughs/engine/provider';
import {clearSaved, emptyWalkthrough, loadSaved, saveState, savedProvider, type SavedWalkthrough} from '@site/src/walkthroughs/engine/storage';
import type {AnyStep, CompletedStep, ViewContext, WalkthroughDefinition, WalkthroughEnv} from '@site/src/walkthroughs/engine/types';
import {NoSandboxAdvice} from '../LiveWalkthrough/NoSandbox';
import {ErrorBox} from './ErrorBox';
import {Exchanges} from './Exchanges';
import {useWideLayout} from './useWideLayout';
import styles from './styles.module.css';

type Readiness = {state: 'starting'} | {state: 'ready'; env: WalkthroughEnv} | {state: 'failed'; error: DescribedError};

interface StepFailure {
  index: number;
  error: DescribedError;
  exchanges: HttpExchangeRecord[];
}

/** The URL the browser came back with, read once per page load before the address bar is cleaned. */
const returnedUrls = new Map<string, string>();

/**
 * When a step left the page, the browser has come back with its answer in the URL. Keep that URL
 * for the step, and take the answer out of the address bar and history at once: codes must not
 * linger there (RFC 9700 §4.2.4).
 */
function takeReturnedUrl(slug: string, saved: SavedWalkthrough): string | undefined {
  if (saved.awaitingReturn === undefined) return undefined;
  if (!returnedUrls.has(slug)) {
    const url = new URL(window.location.href);
    returnedUrls.set(slug, url.href);
    // Against the reader's own provider, the address keeps what selects it, so a reload stays there.
    const query = saved.provider ? providerQuery(saved.provider) : '';
    if (url.search) window.history.replaceState(window.history.state, '', `${url.origin}${url.pathname}${query}${url.hash}`);
  }
  return returnedUrls.get(slug);
}

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
export default function Walkthrough({definition, ownProvider}: {definition: WalkthroughDefinition; ownProvider?: WalkthroughDefinition}): ReactNode {
  const [choice] = useState(() => chooseProvider(definition.slug, ownProvider !== undefined));
  if ('error' in choice) {
    return (
      <section className={styles.walkthrough} aria-label={definition.title}>
        <div className={styles.error} role="alert">
          <p className={styles.errorTitle}>These provider settings cannot be used</p>
          <p>{choice.error.message}</p>
          <p>
            Correct them in the form "Run it against your own provider" on this page, or go <a href={window.location.pathname}>back to the built-in sandbox</a>.
          </p>
        </div>
      </section>
    );
  }
  const {provider} = choice;
  return <WalkthroughRun definition={provider && ownProvider ? ownProvider : definition} provider={provider} />;
}

/** Which server the walkthrough runs against, with the way back to the sandbox. */
function ProviderNote({provider, redirectUri}: {provider: ProviderSettings; redirectUri: string}): ReactNode {
  return (
    <div className={styles.provider} role="note" aria-label="Authorization server">
      <p>
        Running against your own provider, <code className={styles.providerValue}>{provider.issuer}</code>, as the client{' '}
        <code className={styles.providerValue}>{provider.clientId}</code>
        {provider.audience && (
          <>
            , for the API <code className={styles.providerValue}>{provider.audience}</code>
          </>
        )}
        . Its redirect URI must be registered there as <code className={styles.providerValue}>{redirectUri}</code>.
      </p>
      <p>
        <a href={window.location.pathname}>Back to the built-in sandbox</a>
      </p>
    </div>
  );
}

interface CompletedResultProps {
  step: AnyStep;
  index: number;
  done: CompletedStep;
  view: ViewContext<unknown>;
  curlTarget?: Retarget;
  latest: boolean;
}

/**
 * A done step's result and its exchanges. Rendered again only when that step changes: a completed
 * step is never edited, only replaced (running it again drops it and every later one), and the state
 * it shows follows from the steps before it, so `done` and the environment say everything. Without
 * this, each click re-rendered every earlier result, highlighted JSON and decoded tokens included.
 */
const CompletedResult = memo(
  function CompletedResult({step, index, done, view, curlTarget, latest}: CompletedResultProps): ReactNode {
    return (
      <div className={styles.result} tabIndex={-1} data-focus="result" aria-label={`Result of step ${index + 1}`} role="group">
        {step.render(done.gives, view)}
        <Exchanges exchanges={done.exchanges} stepNumber={index + 1} copyable={step.copyable ?? true} curlTarget={curlTarget} open={latest} />
      </div>
    );
  },
  (before, after) =>
    before.step === after.step &&
    before.index === after.index &&
    before.done === after.done &&
    before.view.env === after.view.env &&
    before.curlTarget === after.curlTarget &&
    before.latest === after.latest,
);

/**
 * Runs a walkthrough definition step by step, each step started by the reader, showing every
 * result and HTTP exchange beside one sequence diagram. Progress survives a navigation to another
 * site and back (sessionStorage, keyed by slug).
 */
function WalkthroughRun({definition, provider}: {definition: WalkthroughDefinition; provider?: ProviderSettings}): ReactNode {
  const {slug, title, steps} = definition;
  const shape = useMemo(() => steps.map((step) => step.title).join('|'), [steps]);
  const [saved, setSaved] = useState<SavedWalkthrough>(() => loadSaved(slug, shape, provider));
  const [returnedUrl] = useState(() => takeReturnedUrl(slug, saved));
  const [readiness, setReadiness] = useState<Readiness>({state: 'starting'});
  const [running, setRunning] = useState<number | undefined>();
  const [failure, setFailure] = useState<StepFailure | undefined>();
  const [announcement, setAnnouncement] = useState('');
  const [attempt, setAttempt] = useState(0);
  const stepElements = useRef(new Map<number, HTMLLIElement>());
  /** The current step's form: its `before` fields and its button. */
  const currentForm = useRef<HTMLFormElement | null>(null);
  const focusAfterRender = useRef<{index: number; target: 'heading' | 'result' | 'button'} | undefined>(undefined);
  const wide = useWideLayout();

  const env = readiness.state === 'ready' ? readiness.env : undefined;
  /** The step at work: the one the reader started, or the one reading the answer the browser came back with (once the sandbox is up). */
  const busy = running ?? (env ? saved.awaitingReturn : undefined);
  /** What the reader's provider must allow, for advice when a request to it gets no answer. */
  const ownProvider = useMemo<OwnProviderContext | undefined>(
    () =>
      provider && {
        issuer: provider.issuer,
        siteOrigin: window.location.origin,
        redirectUri: `${window.location.origin}${window.location.pathname}`,
      },
    [provider],
  );
  const currentIndex = saved.completed.length < steps.length ? saved.completed.length : undefined;
  /** The state before step `index` ran: the initial state plus what the steps before it gave. */
  const stateBefore = useCallback(
    (index: number, environment: WalkthroughEnv, progress: SavedWalkthrough = saved) =>
      Object.assign({}, definition.initial(environment), ...progress.completed.slice(0, index).map((step) => step.gives)) as unknown,
    [definition, saved],
  );

  useEffect(() => {
    saveState(slug, saved);
  }, [slug, saved]);

  useEffect(() => {
    let active = true;
    setReadiness({state: 'starting'});
    prepareEnvironment(definition, provider).then(
      (environment) => active && setReadiness({state: 'ready', env: environment}),
      (error: unknown) => active && setReadiness({state: 'failed', error: describeError(error)}),
    );
    return () => {
      active = false;
    };
  }, [definition, provider, attempt]);

  // Coming back from the authorization server: the waiting step reads its answer from the URL.
  const resumed = useRef(false);
  useEffect(() => {
    if (!env || resumed.current || saved.awaitingReturn === undefined) return;
    resumed.current = true;
    const index = saved.awaitingReturn;
    const step = steps[index];
    const back: SavedWalkthrough = {...saved, awaitingReturn: undefined, returnTo: undefined};
    const settle = (next: SavedWalkthrough) => {
      saveState(slug, next);
      setSaved(next);
      focusAfterRender.current = {index, target: 'heading'};
    };
    if (!step?.resume || !returnedUrl || index !== saved.completed.length) {
      settle(back);
      return;
    }
    step
      .resume(new URL(returnedUrl), {env, state: stateBefore(index, env)})
      .then((gives) => {
        if (gives === undefined) return settle(back);
        settle({...back, completed: [...back.completed, {gives, exchanges: []}]});
        setAnnouncement(`Step ${index + 1} done: ${step.title}.`);
      })
      .catch((error: unknown) => {
        settle(back);
        setFailure({index, error: describeError(error), exchanges: []});
        setAnnouncement(`Step ${index + 1} failed: ${adviceFor(describeError(error), ownProvider).explanation}`);
      });
  }, [env, saved, slug, steps, returnedUrl, stateBefore, ownProvider]);

  // Keep the reader's place: focus moves to what just changed, scrolling only as much as needed.
  useEffect(() => {
    const target = focusAfterRender.current;
    if (!target || !env) return;
    focusAfterRender.current = undefined;
    const item = stepElements.current.get(target.index);
    const element = item?.querySelector<HTMLElement>(`[data-focus="${target.target}"]`) ?? item?.querySelector<HTMLElement>('[data-focus="heading"]');
    element?.focus({preventScroll: true});
    if (target.target === 'heading') element?.scrollIntoView({block: 'start'});
    else element?.scrollIntoView({block: 'nearest'});
  });

  const runStep = useCallback(
    async (index: number, environment: WalkthroughEnv) => {
      const step = steps[index]!;
      const exchanges: HttpExchangeRecord[] = [];
      const recordingFetch = createRecordingFetch((exchange) => exchanges.push(exchange));
      // Read before re-rendering: "Try again" sends what the fields hold now.
      const form = currentForm.current ? new FormData(currentForm.current) : new FormData();
      setRunning(index);
      setFailure(undefined);
      setAnnouncement(`Running step ${index + 1}: ${step.title}…`);
      try {
        const gives = await step.run({
          env: environment,
          state: stateBefore(index, environment),
          fetch: recordingFetch,
          form,
          navigate: async (url) => {
            saveState(slug, {...saved, awaitingReturn: index, returnTo: window.location.pathname});
            setAnnouncement(`Leaving for ${new URL(url).host}…`);
            window.location.assign(url);
            return new Promise<never>(() => undefined);
          },
        });
        const next = steps[index + 1];
        focusAfterRender.current = {index, target: 'result'};
        setSaved((previous) => ({...previous, completed: [...previous.completed.slice(0, index), {gives, exchanges}]}));
        setAnnouncement(
          next ? `Step ${index + 1} done: ${step.title}. Next: ${next.title}.` : `Step ${index + 1} done: ${step.title}. The walkthrough is complete.`,
        );
      } catch (error) {
        const described = describeError(await readRefusal(error));
        setFailure({index, error: described, exchanges});
        setAnnouncement(`Step ${index + 1} failed: ${adviceFor(described, ownProvider).explanation}`);
      } finally {
        setRunning(undefined);
      }
    },
    [saved, slug, stateBefore, steps, ownProvider],
  );

  const startOver = useCallback(() => {
    clearSaved(slug);
    setSaved(emptyWalkthrough(shape, provider));
    setFailure(undefined);
    focusAfterRender.current = {index: 0, target: 'button'};
    setAnnouncement('Started over. Step 1 is ready.');
  }, [shape, slug, provider]);

  const resetAll = useCallback(async () => {
    setAnnouncement('Resetting the sandbox…');
    try {
      await resetSandbox();
      startOver();
      setAnnouncement('The sandbox was reset: no sessions, consents, codes or tokens remain. Step 1 is ready.');
    } catch (error) {
      setFailure({index: currentIndex ?? 0, error: describeError(error), exchanges: []});
      setAnnouncement(`Resetting the sandbox failed: ${describeError(error).message}`);
    }
  }, [currentIndex, startOver]);

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
        <button type="button" className="button button--sm button--outline button--secondary" onClick={startOver} disabled={busy !== undefined}>
          Start over
        </button>
        {!provider && (
          <button
            type="button"
            className="button button--sm button--outline button--secondary"
            onClick={resetAll}
            disabled={busy !== undefined || readiness.state !== 'ready'}>
            Reset sandbox
          </button>
        )}
      </div>
      {provider && <ProviderNote provider={provider} redirectUri={`${window.location.origin}${window.location.pathname}`} />}
      <p role="status" aria-live="polite" className={styles.status}>
        {readiness.state === 'starting' ? (provider ? 'Starting…' : 'Starting the sandbox…') : announcement}
      </p>
      {readiness.state === 'failed' && (
        <ErrorBox error={readiness.error} title={provider ? 'The walkthrough could not start' : 'The sandbox could not start'} ownProvider={ownProvider}>
          {!provider && readiness.error.sandboxUnavailable && <NoSandboxAdvice />}
          <button type="button" className="button button--sm button--primary" onClick={() => setAttempt((n) => n + 1)}>
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
            const stepFailure = failure?.index === index ? failure : undefined;
            const view = env && (done || isCurrent) ? {env, state: stateBefore(index + (done ? 1 : 0), env)} : undefined;
            const advice = stepFailure && adviceFor(stepFailure.error, ownProvider);
            return (
              <li
                key={index}
                aria-current={isCurrent ? 'step' : undefined}
                className={clsx(styles.step, isCurrent && styles.current, done && styles.done)}
                ref={(element) => {
                  if (element) stepElements.current.set(index, element);
                  else stepElements.current.delete(index);
                }}>
                <h3 className={styles.stepHeading} tabIndex={-1} data-focus="heading">
                  <span className={styles.stepNumber}>Step {index + 1}.</span> {step.title}
                  {done && <span className={styles.badge}> (done)</span>}
                </h3>
                {(done || isCurrent) && <div className={styles.why}>{step.why}</div>}
                {isCurrent && (
                  <form
                    ref={currentForm}
                    onSubmit={(event) => {
                      event.preventDefault();
                      if (env && busy === undefined) void runStep(index, env);
                    }}>
                    {view && step.before?.(view)}
                    <button
                      type="submit"
                      data-focus="button"
                      className="button button--primary"
                      disabled={!env || busy !== undefined}
                      aria-busy={busy === index}>
                      {busy === index ? 'Working…' : step.action}
                    </button>
                  </form>
                )}
                {stepFailure && advice && (
                  <ErrorBox error={stepFailure.error} title={`Step ${index + 1} failed`} ownProvider={ownProvider}>
                    <div className={styles.errorActions}>
                      {advice.next === 'start-over' ? (
                        <button type="button" className="button button--sm button--primary" onClick={startOver}>
                          Start over
                        </button>
                      ) : (
                        <button type="button" className="button button--sm button--primary" onClick={() => env && runStep(index, env)}>
                          Try again
                        </button>
                      )}
                    </div>
                  </ErrorBox>
                )}
                {stepFailure && <Exchanges exchanges={stepFailure.exchanges} stepNumber={index + 1} copyable={step.copyable ?? true} curlTarget={curlTarget} />}
                {done && view && <CompletedResult step={step} index={index} done={done} view={view} curlTarget={curlTarget} latest={index === saved.completed.length - 1} />}
              </li>
            );
          })}
        </ol>
      </div>
    </section>
  );
}
