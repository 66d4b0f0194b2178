import {useEffect, useMemo, useState, useSyncExternalStore} from 'react';
import {resetSandbox} from '@site/src/lib/sandbox';
import type {OwnProviderContext} from '@site/src/walkthroughs/engine/errors';
import {prepareEnvironment} from '@site/src/walkthroughs/engine/environment';
import {providerQuery, type ProviderSettings} from '@site/src/walkthroughs/engine/provider';
import {createRun, type RunSnapshot, type WalkthroughRun} from '@site/src/walkthroughs/engine/runner';
import type {SavedWalkthrough} from '@site/src/walkthroughs/engine/storage';
import type {WalkthroughDefinition} from '@site/src/walkthroughs/engine/types';

/** The URL the browser came back with, read once per page load before the address bar is cleaned. */
const returnedUrls = new Map<string, string>();

/**
 * When a step left the page, the browser has come back with its answer in the URL. Keep that URL
 * for the step, and take the answer out of the address bar and history at once: codes must not
 * linger there (RFC 9700 §4.2.4).
 */
function takeReturnedUrl(slug: string, saved: SavedWalkthrough): string | undefined {
  if (saved.awaitingReturn === undefined) return undefined;
  if (!returnedUrls.has(slug)) {
    const url = new URL(window.location.href);
    returnedUrls.set(slug, url.href);
    // Against the reader's own provider, the address keeps what selects it, so a reload stays there.
    const query = saved.provider ? providerQuery(saved.provider) : '';
    if (url.search)
      window.history.replaceState(window.history.state, '', `${url.origin}${url.pathname}${query}${url.hash}`);
  }
  return returnedUrls.get(slug);
}

/**
 * The walkthrough's run in this page: progress from this tab's sessionStorage, the sandbox (or the
 * reader's provider) prepared on mount, and the answer the browser came back with read once it is ready.
 */
export function useRun(
  definition: WalkthroughDefinition,
  provider: ProviderSettings | undefined,
): {run: WalkthroughRun; snapshot: RunSnapshot; ownProvider?: OwnProviderContext} {
  /** What the reader's provider must allow, for advice when a request to it gets no answer. */
  const ownProvider = useMemo<OwnProviderContext | undefined>(
    () =>
      provider && {
        issuer: provider.issuer,
        siteOrigin: window.location.origin,
        redirectUri: `${window.location.origin}${window.location.pathname}`,
      },
    [provider],
  );
  const [run] = useState(() => {
    const created = createRun({
      definition,
      provider,
      prepare: () => prepareEnvironment(definition, provider),
      storage: window.sessionStorage,
      navigate: (url) => window.location.assign(url),
      returnTo: window.location.pathname,
      resetSandbox,
      ownProvider,
    });
    void created.resume(takeReturnedUrl(definition.slug, created.getSnapshot().saved));
    return created;
  });
  useEffect(() => {
    void run.start();
    return () => run.stop();
  }, [run]);
  const snapshot = useSyncExternalStore(run.subscribe, run.getSnapshot, run.getSnapshot);
  return {run, snapshot, ownProvider};
}
