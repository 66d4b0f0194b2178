/**
 * The step kinds of the security labs, and the views they share. A lab is a switch (the defence off or
 * on), then moves: one party (the app, the victim, the attacker) calls its lab's flow module and the
 * step shows what came of it, or the browser leaves for a page and comes back with an answer. Each lab's
 * own file (`labs-<slug>.tsx`) holds its words, arrows and views, and the flow calls of its moves.
 */
import React, {type ReactNode} from 'react';
import type {FetchFunction} from '@site/src/components/HttpExchange/exchange';
import type {Arrow, Step, ViewContext, WalkthroughEnv} from '../engine/types';
import type {Configured} from './shared';
import {DemoUsers} from './views';
import styles from './styles.module.css';

/** Whether the lab's defence is in place for this run. */
export type Defence = 'off' | 'on';

/** The first step of a lab: the reader picks whether the defence is in place, then runs the attack. */
export function chooseDefence(options: {
  defence: string;
  off: ReactNode;
  on: ReactNode;
  why: ReactNode;
}): Step<object, {defence: Defence}> {
  return {
    title: `Switch ${options.defence} off or on`,
    why: options.why,
    action: 'Start this run',
    arrows: [],
    copyable: false,
    before: () => (
      <fieldset className={styles.choice}>
        <legend>{options.defence.charAt(0).toUpperCase() + options.defence.slice(1)}</legend>
        <label className={styles.option}>
          <input type="radio" name="defence" value="off" defaultChecked /> Off: {options.off}
        </label>
        <label className={styles.option}>
          <input type="radio" name="defence" value="on" /> On: {options.on}
        </label>
      </fieldset>
    ),
    run: async ({form}) => ({defence: form.get('defence') === 'on' ? 'on' : 'off'}),
    render: ({defence}) => (
      <p>
        This run has {options.defence} <strong>{defence}</strong>.
      </p>
    ),
  };
}

/**
 * A lab switch that picks one of two registrations of the same app: the lab client without the
 * defence (`off`) or its strict twin (`on`). The choice sets the client the whole run uses;
 * `configure` may change more of the run's configuration with it.
 */
export function chooseLabClient<Config extends {clientId: string}>(options: {
  defence: string;
  clients: Record<Defence, string>;
  off: ReactNode;
  on: ReactNode;
  why: ReactNode;
  configure?: (config: Config, defence: Defence) => Config;
  describe: (defence: Defence, config: Config) => ReactNode;
}): Step<Configured<Config>, {defence: Defence; config: Config}> {
  const {title, why, action, arrows, before, run} = chooseDefence(options);
  return {
    title,
    why,
    action,
    arrows,
    copyable: false,
    ...(before ? {before} : {}),
    run: async (context) => {
      const {defence} = await run(context);
      const config = {...context.state.config, clientId: options.clients[defence]};
      return {defence, config: options.configure ? options.configure(config, defence) : config};
    },
    render: ({defence, config}) => <p>{options.describe(defence, config)}</p>,
  };
}

/** What a move's flow calls get: the demo world, what earlier steps gave, and the fetch whose requests the step shows. */
export interface MoveContext<Needs> {
  env: WalkthroughEnv;
  state: Needs;
  fetch: FetchFunction;
}

/** A step's words: its title, why it exists, its button and its arrows. */
interface Words<Needs> {
  title: string;
  why: ReactNode;
  action: string;
  arrows: Arrow[];
  /** Shown before the step runs (who signs in, what the link is). */
  before?: (view: ViewContext<Needs>) => ReactNode;
  /** Whether its requests are worth copying as curl or fetch (default true; false for a move that makes none). */
  copyable?: boolean;
}

/**
 * A move: one party calls its flow module (`act`, which makes every request of the step through the
 * lab's flow functions, with the step's fetch), and the step renders the result (`view`).
 */
export function labMove<Needs, Gives>(
  move: Words<Needs> & {
    act: (context: MoveContext<Needs>) => Promise<Gives>;
    view: (gives: Gives, view: ViewContext<Needs & Gives>) => ReactNode;
  },
): Step<Needs, Gives> {
  const {act, view, ...words} = move;
  return {...words, run: ({env, state, fetch}) => act({env, state, fetch}), render: view};
}

/**
 * The browser leaves the page (`to`: the address a flow function built) and comes back with an answer,
 * which `read` takes from the address it came back to (a flow function again; undefined while there is
 * none). `to` may answer `{stay}` instead: the move ended without leaving (a refused link).
 */
export function leavePage<Needs, Gives>(
  move: Words<Needs> & {
    to: (context: MoveContext<Needs>) => string | Promise<string | {stay: Gives}>;
    read: (url: URL, context: {env: WalkthroughEnv; state: Needs}) => Gives | undefined | Promise<Gives | undefined>;
    view: (gives: Gives, view: ViewContext<Needs & Gives>) => ReactNode;
  },
): Step<Needs, Gives> {
  const {to, read, view, ...words} = move;
  return {
    copyable: false,
    before: ({env}) => <DemoUsers users={env.users} then="The lab continues when you come back." />,
    ...words,
    run: async ({env, state, fetch, navigate}) => {
      const destination = await to({env, state, fetch});
      return typeof destination === 'string' ? navigate(destination) : destination.stay;
    },
    resume: async (url, context) => read(url, context),
    render: view,
  };
}

/**
 * The verdict of a move: the attack worked (`accepted`), the defence held (`refused`), or a plain
 * note. Its label names it for assistive technology and the tests.
 */
export function Verdict({
  kind,
  label,
  children,
}: {
  kind: 'accepted' | 'refused' | 'note';
  label: string;
  children: ReactNode;
}): ReactNode {
  return (
    <div className={styles[kind]} role="note" aria-label={label}>
      {children}
    </div>
  );
}
