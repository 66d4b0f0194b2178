import React, {type ReactNode} from 'react';
import {adviceFor, type DescribedError, type OwnProviderContext} from '@site/src/walkthroughs/engine/errors';
import styles from './styles.module.css';

/** A failure in words: what went wrong, the RFC error fields when there are some, and the details. */
export function ErrorBox({
  error,
  title,
  ownProvider,
  children,
}: {
  error: DescribedError;
  title: string;
  /** Set when the walkthrough runs against the reader's own provider: advice names what to configure there. */
  ownProvider?: OwnProviderContext;
  children?: ReactNode;
}): ReactNode {
  const advice = adviceFor(error, ownProvider);
  return (
    <div className={styles.error} role="alert">
      <p className={styles.errorTitle}>{title}</p>
      <p>{advice.explanation}</p>
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
      <p className={styles.errorMessage}>
        <span className={styles.errorMessageLabel}>Details: </span>
        {error.message}
      </p>
      {children}
    </div>
  );
}
