import React, {type ReactNode} from 'react';
import BrowserOnly from '@docusaurus/BrowserOnly';
import {useLazyModule} from '@site/src/lib/use-lazy-module';
import {useNearViewport} from '@site/src/lib/use-near-viewport';
import {PENDING_AUTHORIZATION_KEY} from './storage-keys';
import LoadFailure from '../LoadFailure';
import styles from './styles.module.css';

/** How far below the viewport the explorer starts loading. */
const LOAD_AHEAD = '800px 0px';

/** The explorer, its OpenAPI form model, oauth4webapi and jose: a chunk of its own, never in the page's first load. */
const importExplorer = async () => (await import('./Explorer')).default;

function Placeholder(): ReactNode {
  return (
    <div className={styles.placeholder}>
      <p>
        The endpoint explorer runs in your browser and loads as you reach it. It needs JavaScript and Service Workers.
      </p>
    </div>
  );
}

/**
 * Loads at once when the address carries a shared request (`#explore?…`) or the browser comes back
 * from the sign-in page with an authorization response; otherwise when the reader comes near.
 */
function startsAtOnce(): boolean {
  if (window.location.hash.startsWith('#explore?')) return true;
  const query = new URLSearchParams(window.location.search);
  // The form for the reader's own provider wrote its settings into the query: the explorer is wanted.
  if (query.has('issuer')) return true;
  return (query.has('code') || query.has('error')) && window.sessionStorage.getItem(PENDING_AUTHORIZATION_KEY) !== null;
}

function DeferredExplorer(): ReactNode {
  const [anchor, near] = useNearViewport<HTMLDivElement>(LOAD_AHEAD, startsAtOnce);
  const explorer = useLazyModule('endpoint-explorer', importExplorer, near);
  if (explorer.state === 'loaded') {
    const Explorer = explorer.value;
    return <Explorer />;
  }
  return (
    <div ref={anchor}>
      {explorer.state === 'failed' ? (
        <LoadFailure what="endpoint explorer" error={explorer.error} className={styles.placeholder} />
      ) : (
        <Placeholder />
      )}
    </div>
  );
}

/** The endpoint explorer, embedded in MDX: a placeholder on the server, the explorer in the browser. */
export default function EndpointExplorer(): ReactNode {
  return <BrowserOnly fallback={<Placeholder />}>{() => <DeferredExplorer />}</BrowserOnly>;
}
