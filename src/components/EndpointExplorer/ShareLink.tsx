import React, {useId, type ReactNode} from 'react';
import styles from './styles.module.css';

/** The link that restores this request: its shareable part, never a secret (see toFragment). */
export default function ShareLink({url}: {url: string}): ReactNode {
  const id = useId();
  return (
    <details className={styles.more}>
      <summary>Link to this request</summary>
      <p className={styles.hint}>
        The address bar carries the endpoint, grant, client and parameters, never secrets: no client secret, password,
        token, code or Authorization header.
      </p>
      <label className={styles.label} htmlFor={`${id}-share`}>
        Shareable link
      </label>
      <textarea id={`${id}-share`} className={styles.url} readOnly rows={3} value={url} />
    </details>
  );
}
