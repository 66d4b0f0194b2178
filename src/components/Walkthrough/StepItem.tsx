import React, {memo, type ReactNode, type RefObject} from 'react';
import clsx from 'clsx';
import type {Retarget} from '../HttpExchange/exchange';
import {adviceFor, type OwnProviderContext} from '@site/src/walkthroughs/engine/errors';
import type {StepFailure} from '@site/src/walkthroughs/engine/runner';
import type {AnyStep, CompletedStep, ViewContext} from '@site/src/walkthroughs/engine/types';
import {ErrorBox} from './ErrorBox';
import {Exchanges} from './Exchanges';
import styles from './styles.module.css';

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
      <div
        className={styles.result}
        tabIndex={-1}
        data-focus="result"
        aria-label={`Result of step ${index + 1}`}
        role="group"
      >
        {step.render(done.gives, view)}
        <Exchanges
          exchanges={done.exchanges}
          stepNumber={index + 1}
          copyable={step.copyable ?? true}
          curlTarget={curlTarget}
          open={latest}
        />
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

export interface StepItemProps {
  step: AnyStep;
  index: number;
  done?: CompletedStep;
  isCurrent: boolean;
  failure?: StepFailure;
  /** The step's view context, once the environment is ready and the step is done or next; its progress while it runs. */
  view?: ViewContext<unknown> & {progress?: unknown};
  /** The step at work, if any. */
  busy?: number;
  ready: boolean;
  latest: boolean;
  curlTarget?: Retarget;
  ownProvider?: OwnProviderContext;
  /** The current step's form: its `before` fields and its button. */
  formRef: RefObject<HTMLFormElement | null>;
  itemRef: (element: HTMLLIElement | null) => void;
  onRun: () => void;
  onStartOver: () => void;
}

/** One step of the walkthrough: its heading, and when done or next its reason, form, failure and result. */
export function StepItem(props: StepItemProps): ReactNode {
  const {step, index, done, isCurrent, failure, view, busy, ready, curlTarget, ownProvider, itemRef, formRef} = props;
  const {onRun, onStartOver, latest} = props;
  const advice = failure && adviceFor(failure.error, ownProvider);
  return (
    <li
      aria-current={isCurrent ? 'step' : undefined}
      className={clsx(styles.step, isCurrent && styles.current, done && styles.done)}
      ref={itemRef}
    >
      <h3 className={styles.stepHeading} tabIndex={-1} data-focus="heading">
        <span className={styles.stepNumber}>Step {index + 1}.</span> {step.title}
        {done && <span className={styles.badge}> (done)</span>}
      </h3>
      {(done || isCurrent) && <div className={styles.why}>{step.why}</div>}
      {isCurrent && (
        <form
          ref={formRef}
          onSubmit={(event) => {
            event.preventDefault();
            if (ready && busy === undefined) onRun();
          }}
        >
          {view && step.before?.(view)}
          <button
            type="submit"
            data-focus="button"
            className="button button--primary"
            disabled={!ready || busy !== undefined}
            aria-busy={busy === index}
          >
            {busy === index ? 'Working…' : step.action}
          </button>
        </form>
      )}
      {failure && advice && (
        <ErrorBox error={failure.error} title={`Step ${index + 1} failed`} ownProvider={ownProvider}>
          <div className={styles.errorActions}>
            {advice.next === 'start-over' ? (
              <button type="button" className="button button--sm button--primary" onClick={onStartOver}>
                Start over
              </button>
            ) : (
              <button type="button" className="button button--sm button--primary" onClick={() => ready && onRun()}>
                Try again
              </button>
            )}
          </div>
        </ErrorBox>
      )}
      {failure && (
        <Exchanges
          exchanges={failure.exchanges}
          stepNumber={index + 1}
          copyable={step.copyable ?? true}
          curlTarget={curlTarget}
        />
      )}
      {done && view && (
        <CompletedResult step={step} index={index} done={done} view={view} curlTarget={curlTarget} latest={latest} />
      )}
    </li>
  );
}
