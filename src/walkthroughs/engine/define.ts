import type {AnyStep, Step, WalkthroughEnv, WalkthroughMeta, WalkthroughSteps} from './types';

/** Adds steps one at a time, so each step's needs are checked against what the steps before it gave. */
export interface WalkthroughBuilder<State> {
  step<Gives extends object, Progress = never>(step: Step<State, Gives, Progress>): WalkthroughBuilder<State & Gives>;
  /** The finished steps, for the registry to join with the walkthrough's identity. */
  build(): WalkthroughSteps;
}

/**
 * Starts a walkthrough definition from the state its first step starts from. Its slug, title, demo
 * client and lanes are the registry's (`src/walkthroughs/registry.ts`); a variant that draws other
 * parties passes its own `lanes`.
 *
 * ```ts
 * defineWalkthrough((env) => ({config: configFor(env)}))
 *   .step(discover(flow.discover))
 *   .step(callApi(...))
 *   .build();
 * ```
 */
export function defineWalkthrough<Initial extends object>(
  initial: (env: WalkthroughEnv) => Initial,
  options: {lanes?: WalkthroughMeta['lanes']} = {},
): WalkthroughBuilder<Initial> {
  return builder<Initial>(initial, options, []);
}

function builder<State>(
  initial: (env: WalkthroughEnv) => object,
  options: {lanes?: WalkthroughMeta['lanes']},
  steps: AnyStep[],
): WalkthroughBuilder<State> {
  return {
    step<Gives extends object, Progress = never>(step: Step<State, Gives, Progress>) {
      // The one place types are erased: the compiler has just checked `step` against `State`.
      return builder<State & Gives>(initial, options, [...steps, step as unknown as AnyStep]);
    },
    build() {
      return {initial, steps, ...options};
    },
  };
}
