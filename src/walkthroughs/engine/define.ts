import type {AnyStep, Step, WalkthroughDefinition, WalkthroughEnv, WalkthroughMeta} from './types';

/** Adds steps one at a time, so each step's needs are checked against what the steps before it gave. */
export interface WalkthroughBuilder<State> {
  step<Gives extends object>(step: Step<State, Gives>): WalkthroughBuilder<State & Gives>;
  /** The finished definition, for the registry. */
  build(): WalkthroughDefinition;
}

/**
 * Starts a walkthrough definition: who it is for (`meta`) and the state its first step starts from.
 *
 * ```ts
 * defineWalkthrough(meta, (env) => ({config: configFor(env)}))
 *   .step(discover(flow.discover))
 *   .step(callApi(...))
 *   .build();
 * ```
 */
export function defineWalkthrough<Initial extends object>(
  meta: WalkthroughMeta,
  initial: (env: WalkthroughEnv) => Initial,
): WalkthroughBuilder<Initial> {
  return builder<Initial>(meta, initial, []);
}

function builder<State>(meta: WalkthroughMeta, initial: (env: WalkthroughEnv) => object, steps: AnyStep[]): WalkthroughBuilder<State> {
  return {
    step<Gives extends object>(step: Step<State, Gives>) {
      // The one place types are erased: the compiler has just checked `step` against `State`.
      return builder<State & Gives>(meta, initial, [...steps, step as unknown as AnyStep]);
    },
    build() {
      return {...meta, initial, steps};
    },
  };
}
