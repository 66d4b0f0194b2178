import React, {type ReactNode} from 'react';
import OwnProviderForm from '../OwnProviderForm';
import styles from './styles.module.css';

/** The heading the explorer sits under: where the provider form brings the reader back to. */
const EXPLORER_ANCHOR = 'explore-the-endpoints';

interface Props {
  /** Why the provider settings in the page's query cannot be used. */
  refused?: string;
  /** Connected to the reader's provider: its settings fold away from the forms. */
  connected: boolean;
}

/** The reader's own provider: what to register there, and the form that writes its settings into the page's address. */
export default function ProviderPanel({refused, connected}: Props): ReactNode {
  return (
    <div className={styles.providerForm}>
      {refused && (
        <div role="alert" className={styles.refusal}>
          <p>These provider settings cannot be used: {refused}</p>
        </div>
      )}
      <p className={styles.hint}>
        The explorer reads your provider&apos;s discovery document and offers the standard endpoints it announces.
        Register this page as a redirect URI of a public client (PKCE, no secret) and allow this site&apos;s origin for
        cross-origin requests; the form writes the settings into this page&apos;s address.
      </p>
      {connected ? (
        // Connected: the settings stay at hand, folded away from the forms.
        <details className={styles.more}>
          <summary>Change the provider</summary>
          <OwnProviderForm walkthroughAnchor={EXPLORER_ANCHOR} submitLabel="Explore your provider" />
        </details>
      ) : (
        <OwnProviderForm walkthroughAnchor={EXPLORER_ANCHOR} submitLabel="Explore your provider" />
      )}
    </div>
  );
}
