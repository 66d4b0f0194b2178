import React, {useId, type ReactNode} from 'react';
import styles from './styles.module.css';

interface Props {
  /** Set for the authorization endpoint: the URL the browser visits (RFC 6749 §3.1). */
  authorizationUrl?: string;
  /** The operation is served at the issuer's origin, which the Service Worker does not answer. */
  nodeOnly: boolean;
  sending: boolean;
  onOpen: () => void;
  onSend: () => void;
}

/** What the form leads to: opening the authorization request, or sending the request. */
export default function RequestActions({authorizationUrl, nodeOnly, sending, onOpen, onSend}: Props): ReactNode {
  const id = useId();
  if (authorizationUrl !== undefined) {
    return (
      <div className={styles.actions}>
        <p className={styles.hint}>
          The authorization endpoint is visited by the browser, not called by the page. The PKCE{' '}
          <code>code_verifier</code> for this <code>code_challenge</code> stays in this tab; when the sign-in brings you
          back here with a code, the explorer offers the token request that redeems it.
        </p>
        <label className={styles.label} htmlFor={`${id}-authorize-url`}>
          Authorization URL
        </label>
        <textarea id={`${id}-authorize-url`} className={styles.url} readOnly rows={4} value={authorizationUrl} />
        <button type="button" className="button button--primary" onClick={onOpen}>
          Open the authorization request
        </button>
      </div>
    );
  }
  return (
    <div className={styles.actions}>
      {nodeOnly ? (
        <p className={styles.hint}>
          This URL is at the issuer&apos;s origin, outside the path this site&apos;s Service Worker answers: send it to
          the Node sandbox.
        </p>
      ) : (
        <button type="button" className="button button--primary" onClick={onSend} disabled={sending}>
          {sending ? 'Sending…' : 'Send request'}
        </button>
      )}
    </div>
  );
}
