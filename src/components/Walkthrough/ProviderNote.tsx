import React, {type ReactNode} from 'react';
import type {ProviderSettings} from '@site/src/walkthroughs/engine/provider';
import styles from './styles.module.css';

/** Which server the walkthrough runs against, with the way back to the sandbox. */
export function ProviderNote({provider, redirectUri}: {provider: ProviderSettings; redirectUri: string}): ReactNode {
  return (
    <div className={styles.provider} role="note" aria-label="Authorization server">
      <p>
        Running against your own provider, <code className={styles.providerValue}>{provider.issuer}</code>, as the
        client <code className={styles.providerValue}>{provider.clientId}</code>
        {provider.audience && (
          <>
            , for the API <code className={styles.providerValue}>{provider.audience}</code>
          </>
        )}
        . Its redirect URI must be registered there as <code className={styles.providerValue}>{redirectUri}</code>.
      </p>
      <p>
        <a href={window.location.pathname}>Back to the built-in sandbox</a>
      </p>
    </div>
  );
}
