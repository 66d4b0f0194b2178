import React, {lazy, Suspense, type ComponentType, type LazyExoticComponent, type ReactNode} from 'react';
import BrowserOnly from '@docusaurus/BrowserOnly';
import styles from './styles.module.css';

/**
 * Each live walkthrough in its own chunk, loaded only in the browser: the
 * flow module, oauth4webapi, jose and the views stay out of a page's first load.
 */
const walkthroughs = {
  'authorization-code-pkce': lazy(() => import('../AuthorizationCodePkceWalkthrough')),
} satisfies Record<string, LazyExoticComponent<ComponentType>>;

export type WalkthroughFlow = keyof typeof walkthroughs;

function Placeholder(): ReactNode {
  return (
    <div className={styles.placeholder}>
      <p>The live walkthrough runs in your browser and starts once the page has loaded. It needs JavaScript and Service Workers.</p>
    </div>
  );
}

/** A live walkthrough of one flow: a placeholder on the server, the walkthrough itself in the browser. */
export default function LiveWalkthrough({flow}: {flow: WalkthroughFlow}): ReactNode {
  return (
    <BrowserOnly fallback={<Placeholder />}>
      {() => {
        const Flow = walkthroughs[flow];
        return (
          <Suspense fallback={<Placeholder />}>
            <Flow />
          </Suspense>
        );
      }}
    </BrowserOnly>
  );
}
