import React, {lazy, Suspense, type ReactNode} from 'react';
import BrowserOnly from '@docusaurus/BrowserOnly';
import {useNearViewport} from '@site/src/lib/useNearViewport';
import {hasProgress} from '@site/src/walkthroughs/engine/storage';
import {isWalkthroughSlug, walkthroughs, type WalkthroughSlug} from '@site/src/walkthroughs/registry';
import styles from './styles.module.css';

/** How far below the viewport the walkthrough starts loading, so it is ready when the reader arrives. */
const LOAD_AHEAD = '800px 0px';

/**
 * The engine and one definition, loaded together in the browser only: the flow module,
 * oauth4webapi, jose and the views stay out of a page's first load.
 */
const loaded = new Map<WalkthroughSlug, React.LazyExoticComponent<() => ReactNode>>();
function lazyWalkthrough(slug: WalkthroughSlug) {
  let component = loaded.get(slug);
  if (!component) {
    component = lazy(async () => {
      const [{default: Walkthrough}, {default: definition, ownProvider}] = await Promise.all([import('../Walkthrough'), walkthroughs[slug].load()]);
      return {default: () => <Walkthrough definition={definition} ownProvider={ownProvider} />};
    });
    loaded.set(slug, component);
  }
  return component;
}

function Placeholder(): ReactNode {
  return (
    <div className={styles.placeholder}>
      <p>The live walkthrough runs in your browser and loads as you reach it. It needs JavaScript and Service Workers.</p>
    </div>
  );
}

/**
 * Loads the walkthrough when it comes near the viewport, or at once when this tab already has
 * progress in it (for example, coming back from the authorization server's sign-in page). A
 * walkthrough that is already near the viewport as the page opens (a short page, such as a security
 * lab's) waits for the reader's first move or key, or a few seconds after load, so the page's own
 * load and hydration never share the network and the CPU with it.
 */
function DeferredWalkthrough({slug}: {slug: WalkthroughSlug}): ReactNode {
  const [anchor, load] = useNearViewport<HTMLDivElement>(LOAD_AHEAD, () => hasProgress(slug), {deferWhileOpening: true});
  if (!load) {
    return (
      <div ref={anchor}>
        <Placeholder />
      </div>
    );
  }
  const Flow = lazyWalkthrough(slug);
  return (
    <Suspense fallback={<Placeholder />}>
      <Flow />
    </Suspense>
  );
}

/** A live walkthrough, by slug: a placeholder on the server, the walkthrough itself in the browser. */
export default function LiveWalkthrough({slug}: {slug: string}): ReactNode {
  if (!isWalkthroughSlug(slug)) throw new Error(`No walkthrough is registered as "${slug}".`);
  return <BrowserOnly fallback={<Placeholder />}>{() => <DeferredWalkthrough slug={slug} />}</BrowserOnly>;
}
