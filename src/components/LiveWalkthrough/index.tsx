import React, {type ReactNode} from 'react';
import BrowserOnly from '@docusaurus/BrowserOnly';
import ExecutionEnvironment from '@docusaurus/ExecutionEnvironment';
import {loadModule, useLazyModule} from '@site/src/lib/use-lazy-module';
import {useNearViewport} from '@site/src/lib/use-near-viewport';
import {awaitedAt, hasProgress} from '@site/src/walkthroughs/engine/storage';
import {isWalkthroughSlug, walkthroughs, type WalkthroughSlug} from '@site/src/walkthroughs/registry';
import LoadFailure from '../LoadFailure';
import NoSandbox, {serviceWorkersAvailable} from './NoSandbox';
import styles from './styles.module.css';

/** How far below the viewport the walkthrough starts loading, so it is ready when the reader arrives. */
const LOAD_AHEAD = '800px 0px';

type Loaded = () => ReactNode;

/**
 * One walkthrough's lazy chunk, under the key it is loaded once per page load: the engine and the
 * definition, loaded together in the browser only, so the flow module, oauth4webapi, jose and the
 * views stay out of a page's first load.
 */
function walkthroughModule(slug: WalkthroughSlug): {key: string; load: () => Promise<Loaded>} {
  return {
    key: `walkthrough:${slug}`,
    load: async () => {
      const [{default: Walkthrough}, {default: definition, ownProvider}] = await Promise.all([
        import('../Walkthrough'),
        walkthroughs[slug].load(),
      ]);
      return () => <Walkthrough definition={definition} ownProvider={ownProvider} />;
    },
  };
}

// Coming back from the authorization server: the walkthrough that waits here starts loading as this
// module evaluates, alongside the page's own code, instead of after the page has hydrated.
if (ExecutionEnvironment.canUseDOM) {
  const here = window.location.pathname.replace(/\/+$/, '');
  for (const slug of awaitedAt(here)) {
    if (isWalkthroughSlug(slug) && here.endsWith(`/${walkthroughs[slug].page}`)) {
      const {key, load} = walkthroughModule(slug);
      loadModule(key, load).catch(() => undefined);
    }
  }
}

function Placeholder(): ReactNode {
  return (
    <div className={styles.placeholder}>
      <p>
        The live walkthrough runs in your browser and loads as you reach it. It needs JavaScript and Service Workers.
      </p>
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
  const [anchor, near] = useNearViewport<HTMLDivElement>(LOAD_AHEAD, () => hasProgress(slug), {
    deferWhileOpening: true,
  });
  const {key, load} = walkthroughModule(slug);
  const flow = useLazyModule(key, load, near);
  if (flow.state === 'loaded') {
    const Flow = flow.value;
    return <Flow />;
  }
  return (
    <div ref={anchor}>
      {flow.state === 'failed' ? (
        <LoadFailure what="live walkthrough" error={flow.error} className={styles.placeholder} />
      ) : (
        <Placeholder />
      )}
    </div>
  );
}

/** Whether the page names the reader's own provider (`?issuer=…`): that run needs no sandbox worker. */
function runsAgainstOwnProvider(): boolean {
  return new URLSearchParams(window.location.search).has('issuer');
}

/**
 * A live walkthrough, by slug: a placeholder on the server, the walkthrough itself in the browser, or,
 * in a browser that cannot run the sandbox, what the reader can do instead, from the first render.
 */
export default function LiveWalkthrough({slug}: {slug: string}): ReactNode {
  if (!isWalkthroughSlug(slug)) throw new Error(`No walkthrough is registered as "${slug}".`);
  return (
    <BrowserOnly fallback={<Placeholder />}>
      {() =>
        serviceWorkersAvailable() || runsAgainstOwnProvider() ? (
          <DeferredWalkthrough slug={slug} />
        ) : (
          <NoSandbox title={walkthroughs[slug].title} />
        )
      }
    </BrowserOnly>
  );
}
