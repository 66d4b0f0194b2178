/**
 * A walkthrough run without a view: the steps in order, the state each one passes to the next, their
 * results and HTTP exchanges, failures, starting over, and the return from a step that left the page.
 * The React view subscribes to it (`useSyncExternalStore`); tests drive it headless in Node. Everything
 * outside the run (the sandbox, storage, fetch, leaving the page) is handed in.
 */
import {createRecordingFetch, type FetchFunction, type HttpExchangeRecord} from '@site/src/lib/http-exchange';
import {adviceFor, describeError, readRefusal, type DescribedError, type OwnProviderContext} from './errors';
import type {ProviderSettings} from './provider';
import {
  clearSaved,
  emptyWalkthrough,
  loadSaved,
  saveState,
  type ProgressStorage,
  type SavedWalkthrough,
} from './storage';
import type {RunContext, WalkthroughDefinition, WalkthroughEnv} from './types';

export type Readiness =
  {state: 'starting'} | {state: 'ready'; env: WalkthroughEnv} | {state: 'failed'; error: DescribedError};

/** A step that failed: its error and the exchanges it made before failing. */
export interface StepFailure {
  index: number;
  error: DescribedError;
  exchanges: HttpExchangeRecord[];
}

/** Where the reader's focus should go once the view shows the change: a new object for each request. */
export interface FocusRequest {
  index: number;
  target: 'heading' | 'result' | 'button';
}

/** Everything the view shows, replaced (never mutated) on each change. */
export interface RunSnapshot {
  readiness: Readiness;
  /** The progress, as saved in storage. */
  saved: SavedWalkthrough;
  /** The step the reader started, until it ends (or for good, once it left the page). */
  running?: number;
  /**
   * What the step at work last reported of its progress (`RunContext.progress`), kept once it ends
   * (the last polls before a failure), until a step runs again or the walkthrough starts over.
   */
  progress?: {index: number; value: unknown};
  failure?: StepFailure;
  /** The last thing to announce to screen readers. */
  announcement: string;
  focus?: FocusRequest;
}

/** How a call to `runStep` ended: the step gave its result, failed, or sent the browser to `url`. */
export type StepOutcome =
  {status: 'done'} | {status: 'failed'; error: DescribedError} | {status: 'left'; url: string} | {status: 'not-run'};

export interface RunOptions {
  definition: WalkthroughDefinition;
  /** The reader's own provider, when the run is against it rather than the sandbox. */
  provider?: ProviderSettings;
  /** Resolves the environment (the sandbox's issuer and catalog, or the reader's provider). */
  prepare: () => Promise<WalkthroughEnv>;
  /** Where progress is kept across a navigation; in a browser, the tab's sessionStorage. */
  storage: ProgressStorage;
  /** The fetch the steps' recorded requests go through (default: the global fetch). */
  fetch?: FetchFunction;
  /** Sends the browser to `url`; the page unloads (in a browser) or the caller follows it (in tests). */
  navigate: (url: string) => void;
  /** The path of the page that left, where the browser comes back with the answer. */
  returnTo: string;
  /** Wipes the sandbox's state, for "Reset sandbox". */
  resetSandbox?: () => Promise<void>;
  /** What the reader's provider must allow, for advice when a request to it gets no answer. */
  ownProvider?: OwnProviderContext;
}

export interface WalkthroughRun {
  subscribe: (listener: () => void) => () => void;
  getSnapshot: () => RunSnapshot;
  /** Prepares the environment (again after a failure: "Try again"); a pending return is read once it is ready. */
  start: () => Promise<void>;
  /** Ignores what a `start` still in flight resolves to (the view unmounted). */
  stop: () => void;
  /**
   * Reads the answer the browser came back with (`url`, the address it came back to) into the step that
   * left the page, once the environment is ready (call it before or after `start`); resolves when it was
   * read. Does nothing when no step waits for a return; only the first call's URL counts.
   */
  resume: (url: string | undefined) => Promise<void>;
  /** Runs step `index` with what the reader submitted in its form. */
  runStep: (index: number, form?: FormData) => Promise<StepOutcome>;
  /** Runs the next step, for callers without a view. */
  runNext: (form?: FormData) => Promise<StepOutcome>;
  startOver: () => void;
  resetAll: () => Promise<void>;
}

/** The titles of the steps, saved with the progress: progress saved for another version is dropped. */
export function shapeOf(definition: WalkthroughDefinition): string {
  return definition.steps.map((step) => step.title).join('|');
}

/** The state before step `index` ran: the initial state plus what the steps before it gave. */
export function stateBefore(
  definition: WalkthroughDefinition,
  env: WalkthroughEnv,
  saved: SavedWalkthrough,
  index: number,
): unknown {
  const given = saved.completed.slice(0, index).map((step) => step.gives);
  return Object.assign({}, definition.initial(env), ...given) as unknown;
}

/** The next step to run, or undefined when every step is done. */
export function currentIndexOf(snapshot: RunSnapshot, steps: number): number | undefined {
  return snapshot.saved.completed.length < steps ? snapshot.saved.completed.length : undefined;
}

/** The environment, once ready. */
export function envOf(snapshot: RunSnapshot): WalkthroughEnv | undefined {
  return snapshot.readiness.state === 'ready' ? snapshot.readiness.env : undefined;
}

/**
 * The step at work: the one the reader started, or the one reading the answer the browser came back with
 * (once the environment is ready).
 */
export function busyOf(snapshot: RunSnapshot): number | undefined {
  return snapshot.running ?? (envOf(snapshot) ? snapshot.saved.awaitingReturn : undefined);
}

/** Creates a run of `definition`, from the progress saved in `storage` (or from the start). */
export function createRun(options: RunOptions): WalkthroughRun {
  const {definition, provider, storage} = options;
  const {slug, steps} = definition;
  const shape = shapeOf(definition);
  let snapshot: RunSnapshot = {
    readiness: {state: 'starting'},
    saved: loadSaved(slug, shape, provider, storage),
    announcement: '',
  };
  const listeners = new Set<() => void>();
  let attempt = 0;
  /** The URL the browser came back to, kept until the environment is ready; `resumed` once it was read. */
  let pendingReturn: {url: string | undefined; done: Promise<void>; settle: () => void} | undefined;
  let resumed = false;
  /** The step at work's own abort controller: aborted when the run is abandoned. */
  let working: AbortController | undefined;

  /** Abandons the step at work: its run is told to stop, and whatever it resolves to is ignored. */
  function abandon(reason: string): void {
    working?.abort(new DOMException(reason, 'AbortError'));
    working = undefined;
  }

  function update(change: Partial<RunSnapshot>): void {
    // Progress is saved on every change, as the view used to after each render.
    if (change.saved && change.saved !== snapshot.saved) saveState(slug, change.saved, storage);
    snapshot = {...snapshot, ...change};
    for (const listener of listeners) listener();
  }

  function announce(announcement: string): void {
    update({announcement});
  }

  const explain = (error: DescribedError) => adviceFor(error, options.ownProvider).explanation;

  async function readReturn(url: string | undefined, env: WalkthroughEnv): Promise<void> {
    const {saved} = snapshot;
    const index = saved.awaitingReturn;
    if (index === undefined) return;
    const step = steps[index];
    const back: SavedWalkthrough = {...saved, awaitingReturn: undefined, returnTo: undefined};
    const focus = (): FocusRequest => ({index, target: 'heading'});
    if (!step?.resume || !url || index !== saved.completed.length) {
      update({saved: back, focus: focus()});
      return;
    }
    try {
      const gives = await step.resume(new URL(url), {env, state: stateBefore(definition, env, saved, index)});
      if (gives === undefined) {
        update({saved: back, focus: focus()});
        return;
      }
      update({
        saved: {...back, completed: [...back.completed, {gives, exchanges: []}]},
        focus: focus(),
        announcement: `Step ${index + 1} done: ${step.title}.`,
      });
    } catch (error) {
      const described = describeError(error);
      update({
        saved: back,
        focus: focus(),
        failure: {index, error: described, exchanges: []},
        announcement: `Step ${index + 1} failed: ${explain(described)}`,
      });
    }
  }

  /** Reads the return once, as soon as the environment is ready; resolves when it was read. */
  function resumeWhenReady(): Promise<void> {
    if (!pendingReturn) return Promise.resolve();
    const env = envOf(snapshot);
    if (env && !resumed) {
      resumed = true;
      void readReturn(pendingReturn.url, env).finally(pendingReturn.settle);
    }
    return pendingReturn.done;
  }

  async function start(): Promise<void> {
    const current = ++attempt;
    update({readiness: {state: 'starting'}});
    saveState(slug, snapshot.saved, storage);
    try {
      const env = await options.prepare();
      if (current !== attempt) return;
      update({readiness: {state: 'ready', env}});
    } catch (error) {
      if (current === attempt) update({readiness: {state: 'failed', error: describeError(error)}});
      return;
    }
    await resumeWhenReady();
  }

  async function runStep(index: number, form: FormData = new FormData()): Promise<StepOutcome> {
    const env = snapshot.readiness.state === 'ready' ? snapshot.readiness.env : undefined;
    const step = steps[index];
    if (!env || !step || busyOf(snapshot) !== undefined) return {status: 'not-run'};
    const exchanges: HttpExchangeRecord[] = [];
    const recordingFetch = createRecordingFetch((exchange) => exchanges.push(exchange), options.fetch);
    const controller = new AbortController();
    working = controller;
    /** Whether this run of the step is still the one at work (not abandoned by starting over). */
    const current = () => working === controller;
    update({
      running: index,
      failure: undefined,
      progress: undefined,
      announcement: `Running step ${index + 1}: ${step.title}…`,
    });
    let leave: (url: string) => void = () => undefined;
    const left = new Promise<StepOutcome>((resolve) => (leave = (url) => resolve({status: 'left', url})));
    const context: RunContext<unknown, unknown> = {
      env,
      state: stateBefore(definition, env, snapshot.saved, index),
      fetch: recordingFetch,
      form,
      navigate: async (url) => {
        // Saved without changing the run: the page unloads, and the next page load reads it.
        saveState(slug, {...snapshot.saved, awaitingReturn: index, returnTo: options.returnTo}, storage);
        announce(`Leaving for ${new URL(url).host}…`);
        options.navigate(url);
        leave(url);
        return new Promise<never>(() => undefined);
      },
      progress: (value) => {
        if (current()) update({progress: {index, value}});
      },
      signal: controller.signal,
    };
    // A step that throws at once fails like one whose promise rejects.
    const work = new Promise<unknown>((resolve) => resolve(step.run(context))).then(
      (gives): StepOutcome => {
        if (!current()) return {status: 'not-run'};
        working = undefined;
        const next = steps[index + 1];
        update({
          running: undefined,
          focus: {index, target: 'result'},
          saved: {...snapshot.saved, completed: [...snapshot.saved.completed.slice(0, index), {gives, exchanges}]},
          announcement: next
            ? `Step ${index + 1} done: ${step.title}. Next: ${next.title}.`
            : `Step ${index + 1} done: ${step.title}. The walkthrough is complete.`,
        });
        return {status: 'done'};
      },
      async (error: unknown): Promise<StepOutcome> => {
        if (!current()) return {status: 'not-run'};
        working = undefined;
        const described = describeError(await readRefusal(error));
        update({
          running: undefined,
          failure: {index, error: described, exchanges},
          announcement: `Step ${index + 1} failed: ${explain(described)}`,
        });
        return {status: 'failed', error: described};
      },
    );
    return Promise.race([work, left]);
  }

  function startOver(): void {
    abandon('The walkthrough started over.');
    clearSaved(slug, storage);
    update({
      saved: emptyWalkthrough(shape, provider),
      running: undefined,
      progress: undefined,
      failure: undefined,
      focus: {index: 0, target: 'button'},
      announcement: 'Started over. Step 1 is ready.',
    });
  }

  async function resetAll(): Promise<void> {
    announce('Resetting the sandbox…');
    try {
      if (!options.resetSandbox) throw new Error('This run has no sandbox to reset.');
      await options.resetSandbox();
      startOver();
      announce('The sandbox was reset: no sessions, consents, codes or tokens remain. Step 1 is ready.');
    } catch (error) {
      const described = describeError(error);
      update({
        failure: {index: currentIndexOf(snapshot, steps.length) ?? 0, error: described, exchanges: []},
        announcement: `Resetting the sandbox failed: ${described.message}`,
      });
    }
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => snapshot,
    start,
    stop() {
      attempt++;
      abandon('The walkthrough was closed.');
    },
    resume(url) {
      if (snapshot.saved.awaitingReturn === undefined) return Promise.resolve();
      if (!pendingReturn) {
        let settle: () => void = () => undefined;
        const done = new Promise<void>((resolve) => (settle = resolve));
        pendingReturn = {url, done, settle};
      }
      return resumeWhenReady();
    },
    runStep,
    runNext: (form) => runStep(currentIndexOf(snapshot, steps.length) ?? steps.length, form),
    startOver,
    resetAll,
  };
}
