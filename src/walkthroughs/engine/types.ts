import type {ReactNode} from 'react';
import type {FetchFunction, HttpExchangeRecord} from '@site/src/components/HttpExchange/exchange';
import type {Catalog, CatalogApi, CatalogClient, CatalogUser, GuideCase} from '@site/src/contract/catalog';
import type {ProviderSettings} from './provider';

/** Everything a walkthrough's steps may read about the demo world, resolved once the sandbox is ready. */
export interface WalkthroughEnv {
  /** The sandbox's issuer in this browser: `<origin><baseUrl>sandbox`. */
  issuer: string;
  /** The docs site's base URL, with a trailing slash. */
  siteUrl: string;
  /** This page's URL without query or fragment: the redirect URI of walkthroughs that come back to it. */
  pageUrl: string;
  catalog: Catalog;
  /** The demo client of the walkthrough's guide case. */
  client: CatalogClient;
  /** The API the walkthrough asks access for first. */
  api: CatalogApi;
  users: CatalogUser[];
  /** True for an `http://localhost` issuer (a development server); never for an https site. */
  allowInsecureRequests: boolean;
  /**
   * Set when the walkthrough runs against the reader's own provider instead of the sandbox: then
   * `issuer` is theirs, `client` their registration, and there are no demo users or APIs.
   */
  provider?: ProviderSettings;
}

/** The parties of a flow, drawn as the sequence diagram's lanes. */
export type LaneId = 'browser' | 'client' | 'backend' | 'as' | 'api' | 'api2';

/** One message of the sequence diagram, declared by the step kind that sends it. */
export interface Arrow {
  from: LaneId;
  to: LaneId;
  label: string;
  /** A reply or a redirect, drawn dashed. */
  reply?: boolean;
}

/** What a step's `run` gets. */
export interface RunContext<Needs, Progress = never> {
  env: WalkthroughEnv;
  /** What earlier steps gave, typed by what this step needs. */
  state: Needs;
  /** A fetch whose requests and responses are shown under the step. */
  fetch: FetchFunction;
  /**
   * What the reader submitted in the fields the step's `before` shows (the step runs as their form's
   * submission); empty for a step without fields. Read it in `run`: it is never saved.
   */
  form: FormData;
  /** Saves the walkthrough and sends the browser to `url`; the step's `resume` finishes it on return. */
  navigate: (url: string) => Promise<never>;
  /**
   * Shows how a long step is getting on while its `run` is pending (each poll of a device, say): the
   * step's `before` view gets the latest value as `progress`, until the step runs again or the
   * walkthrough starts over. Kept in memory only, never saved, so it may hold functions the view calls.
   */
  progress: (value: Progress) => void;
  /** Aborted when the run is abandoned (the reader starts over, the view goes away): a long step stops. */
  signal: AbortSignal;
}

/** What a step's views get. */
export interface ViewContext<State> {
  env: WalkthroughEnv;
  state: State;
}

/**
 * A step: its words, its button, the arrows it sends, its work and its result's view.
 * `Needs` is what it reads from earlier steps; `Gives` is what it adds for later ones
 * (JSON only: it is kept in sessionStorage across the sign-in's navigation).
 *
 * Every member that reads `Needs` is a function property, not a method, so TypeScript checks
 * a step's needs against what earlier steps gave (parameters are compared contravariantly).
 */
export interface Step<Needs, Gives, Progress = never> {
  title: string;
  /** One or two sentences: why this step exists. */
  why: ReactNode;
  /** The label of the button that runs the step. */
  action: string;
  arrows: Arrow[];
  /**
   * Shown while the step is the next one, before it runs (e.g. the demo credentials). It sits in a
   * form whose submit button is the step's button, so any fields it renders reach `run` as `form`.
   */
  before?: (view: ViewContext<Needs> & {progress?: Progress}) => ReactNode;
  run: (context: RunContext<Needs, Progress>) => Promise<Gives>;
  /**
   * For a step that leaves the page: reads its result from the URL the browser came back to.
   * Undefined when the URL holds no answer; throws (an OAuth error, a failed check) to fail the step.
   */
  resume?: (url: URL, context: {env: WalkthroughEnv; state: Needs}) => Promise<Gives | undefined>;
  render: (gives: Gives, view: ViewContext<Needs & Gives>) => ReactNode;
  /** Whether the step's HTTP exchanges are back-channel requests worth copying as curl or fetch (default true). */
  copyable?: boolean;
}

/**
 * A step with its types erased, as the engine holds it. Only `defineWalkthrough` makes one, after
 * the compiler has checked each step against the steps before it.
 */
export interface AnyStep {
  title: string;
  why: ReactNode;
  action: string;
  arrows: Arrow[];
  before?: (view: ViewContext<unknown> & {progress?: unknown}) => ReactNode;
  run: (context: RunContext<unknown, unknown>) => Promise<unknown>;
  resume?: (url: URL, context: {env: WalkthroughEnv; state: unknown}) => Promise<unknown>;
  render: (gives: unknown, view: ViewContext<unknown>) => ReactNode;
  copyable?: boolean;
}

/** What identifies a walkthrough and its demo world. */
export interface WalkthroughMeta {
  slug: string;
  title: string;
  /** The demo client is the catalog's client for this guide case. */
  guideCase: GuideCase;
  /** The client by its client_id, where a guide case has several (the security labs' clients). */
  clientId?: string;
  /** The API asked for first (default: calendar). */
  api?: CatalogApi['id'];
  /** Labels of the parties in the sequence diagram; every arrow's lanes must be here. */
  lanes: Partial<Record<LaneId, string>>;
}

/**
 * What a definition module exports: its steps and the state the first one starts from. It does not
 * name itself: the registry joins it with its identity (`WalkthroughMeta`), declared there once.
 */
export interface WalkthroughSteps {
  /** What the first step starts from. */
  initial: (env: WalkthroughEnv) => object;
  steps: AnyStep[];
  /** The sequence diagram's lanes where this variant draws other parties than the registry's. */
  lanes?: WalkthroughMeta['lanes'];
}

/** A walkthrough ready to run: its identity and its steps. */
export interface WalkthroughDefinition extends WalkthroughMeta {
  initial: (env: WalkthroughEnv) => object;
  steps: AnyStep[];
}

/** One completed step, as saved in sessionStorage. */
export interface CompletedStep {
  gives: unknown;
  exchanges: HttpExchangeRecord[];
}
