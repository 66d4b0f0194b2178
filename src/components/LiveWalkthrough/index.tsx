import React, {lazy, Suspense, type ComponentType, type LazyExoticComponent, type ReactNode} from 'react';
import BrowserOnly from '@docusaurus/BrowserOnly';
import {useNearViewport} from '@site/src/lib/useNearViewport';
import {hasProgress} from '../Walkthrough/storage';
import styles from './styles.module.css';

/**
 * Each live walkthrough in its own chunk, loaded only in the browser: the
 * flow module, oauth4webapi, jose and the views stay out of a page's first load.
 */
const walkthroughs = {
  'authorization-code-pkce': lazy(() => import('../AuthorizationCodePkceWalkthrough')),
} satisfies Record<string, LazyExoticComponent<ComponentType>>;

export type WalkthroughFlow = keyof typeof walkthroughs;

/** How far below the viewport the walkthrough starts loading, so it is ready when the reader arrives. */
const LOAD_AHEAD = '800px 0px';

function Placeholder(): ReactNode {
  return (
    <div className={styles.placeholder}>
      <p>The live walkthrough runs in your browser and loads as you reach it. It needs JavaScript and Service Workers.</p>
    </div>
  );
}

/**
 * Loads the walkthrough when it comes near the viewport, or at once when this tab already has
 * progress in it (for example, coming back from the authorization server's sign-in page).
 */
function DeferredWalkthrough({flow}: {flow: WalkthroughFlow}): ReactNode {
  const [anchor, load] = useNearViewport<HTMLDivElement>(LOAD_AHEAD, () => hasProgress(flow));

  if (!load) {
    return (
      <div ref={anchor}>
        <Placeholder />
      </div>
    );
  }
  const Flow = walkthroughs[flow];
  return (
    <Suspense fallback={<Placeholder />}>
      <Flow />
    </Suspense>
  );
}

/** A live walkthrough of one flow: a placeholder on the server, the walkthrough itself in the browser. */
export default function LiveWalkthrough({flow}: {flow: WalkthroughFlow}): ReactNode {
  return <BrowserOnly fallback={<Placeholder />}>{() => <DeferredWalkthrough flow={flow} />}</BrowserOnly>;
}
