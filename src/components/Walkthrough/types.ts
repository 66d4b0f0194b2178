import type {ReactNode} from 'react';
import type {FetchFunction, HttpExchangeRecord, Retarget} from '../HttpExchange/exchange';

/** What a step's `run` gets: the flow's environment, earlier results and a recording fetch. */
export interface StepContext<Env> {
  env: Env;
  /** Results of the steps completed so far, by step id. */
  results: Readonly<Record<string, unknown>>;
  /** A fetch whose requests and responses are shown under the step. */
  fetch: FetchFunction;
  /** Saves the walkthrough and sends the browser to `url`; the step's `resume` picks up on return. */
  navigate: (url: string) => Promise<never>;
}

export interface StepDefinition<Env> {
  id: string;
  title: string;
  /** One or two sentences: why this step exists. */
  why: ReactNode;
  /** Label of the button that runs the step. */
  actionLabel: string;
  /** Shown while the step is the next one, before it runs (e.g. the demo credentials). */
  before?: (env: Env, results: Readonly<Record<string, unknown>>) => ReactNode;
  /** Does the step's work. The result must be JSON-serializable: it is kept in sessionStorage. */
  run: (context: StepContext<Env>) => Promise<unknown>;
  /** Shows the result of the step. */
  render: (result: never, env: Env, results: Readonly<Record<string, unknown>>) => ReactNode;
  /**
   * For a step that leaves the page: reads its result from the URL the browser
   * returns to, and the URL to show instead (without the response parameters).
   * Returns undefined when the URL holds no answer.
   */
  resume?: (url: URL) => {result: unknown; cleanUrl: string} | undefined;
  /** Whether exchanges of this step are back-channel requests worth copying as curl/fetch (default true). */
  copyable?: boolean;
}

export interface CompletedStep {
  result: unknown;
  exchanges: HttpExchangeRecord[];
}

/** What the walkthrough keeps in sessionStorage between page loads. */
export interface SavedWalkthrough {
  version: 1;
  completed: Record<string, CompletedStep>;
  /** The step that navigated away and waits for the browser to come back. */
  awaitingReturn?: string;
}

export interface WalkthroughProps<Env> {
  /** Stable id of the flow; keys the saved state. */
  flowId: string;
  title: string;
  steps: ReadonlyArray<StepDefinition<Env>>;
  /** Resolves once everything the steps need is ready (the sandbox, the catalog). */
  prepare: () => Promise<Env>;
  /** Wipes the server side ("Reset sandbox"). */
  resetServer: () => Promise<void>;
  /** Renders the diagram for the current state. */
  diagram?: (activeStep: string | undefined, completedSteps: readonly string[]) => ReactNode;
  /** Where "Copy as curl" commands should point instead of this browser's sandbox. */
  curlTarget?: (env: Env) => Retarget;
}
