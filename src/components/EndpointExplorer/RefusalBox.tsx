import React, {type ReactNode} from 'react';
import type {Refusal} from './refusal';
import styles from './styles.module.css';

/** A refused request: its status, the RFC error code and what it means. */
export default function RefusalBox({refusal}: {refusal: Refusal}): ReactNode {
  return (
    <div role="alert" className={styles.refusal}>
      <p className={styles.refusalTitle}>
        Refused: HTTP {refusal.status}
        {refusal.error ? (
          <>
            , <code>{refusal.error}</code>
          </>
        ) : null}
      </p>
      <p>{refusal.explanation}</p>
      {refusal.errorDescription && (
        <p>
          The server says: <q>{refusal.errorDescription}</q>
        </p>
      )}
    </div>
  );
}
