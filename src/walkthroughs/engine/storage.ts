import {sameProvider, type ProviderSettings} from './provider';
import type {CompletedStep} from './types';

/** A walkthrough's progress in this tab. */
export interface SavedWalkthrough {
  version: 2;
  /** The steps' titles when saved: progress saved for another version of the walkthrough is dropped. */
  shape: string;
  /** What the first completed steps gave, in order. */
  completed: CompletedStep[];
  /** The index of the step that left the page and waits for the browser to come back. */
  awaitingReturn?: number;
  /** The reader's own provider the progress belongs to; absent for the sandbox. */
  provider?: ProviderSettings;
  /** The path of the page it left, where the browser comes back with the response. */
  returnTo?: string;
}

/** Where progress is kept: the tab's sessionStorage in a browser, any store with its methods elsewhere (tests). */
export type ProgressStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The tab's sessionStorage, read only when no other storage is given. */
const tabStorage = (): ProgressStorage => window.sessionStorage;

function key(slug: string): string {
  return `walkthrough:${slug}`;
}

export function emptyWalkthrough(shape: string, provider?: ProviderSettings): SavedWalkthrough {
  return provider ? {version: 2, shape, completed: [], provider} : {version: 2, shape, completed: []};
}

/**
 * The walkthrough's saved progress for this tab. sessionStorage, not
 * localStorage: the PKCE verifier and tokens must not outlive the tab, nor reach the site's other
 * tabs (docs/flows/authorization-code-pkce.mdx, "Where a single-page app keeps its tokens").
 */
export function loadSaved(
  slug: string,
  shape: string,
  provider?: ProviderSettings,
  storage?: ProgressStorage,
): SavedWalkthrough {
  try {
    const text = (storage ?? tabStorage()).getItem(key(slug));
    if (!text) return emptyWalkthrough(shape, provider);
    const parsed = JSON.parse(text) as Partial<SavedWalkthrough>;
    if (parsed.version !== 2 || parsed.shape !== shape || !Array.isArray(parsed.completed))
      return emptyWalkthrough(shape, provider);
    // Progress made against another authorization server is no use against this one.
    if (!sameProvider(parsed.provider, provider)) return emptyWalkthrough(shape, provider);
    return parsed as SavedWalkthrough;
  } catch {
    return emptyWalkthrough(shape, provider);
  }
}

/** The provider a saved walkthrough ran against and whether it awaits the browser's return, whatever its shape. */
export function savedProvider(slug: string): Pick<SavedWalkthrough, 'provider' | 'awaitingReturn'> {
  try {
    const parsed = JSON.parse(window.sessionStorage.getItem(key(slug)) ?? '{}') as Partial<SavedWalkthrough>;
    return {provider: parsed.provider, awaitingReturn: parsed.awaitingReturn};
  } catch {
    return {};
  }
}

export function saveState(slug: string, state: SavedWalkthrough, storage: ProgressStorage = tabStorage()): void {
  storage.setItem(key(slug), JSON.stringify(state));
}

export function clearSaved(slug: string, storage: ProgressStorage = tabStorage()): void {
  storage.removeItem(key(slug));
}

/** True when this tab has started the walkthrough (or is coming back to it from the authorization server). */
export function hasProgress(slug: string): boolean {
  try {
    const text = window.sessionStorage.getItem(key(slug));
    if (!text) return false;
    const parsed = JSON.parse(text) as Partial<SavedWalkthrough>;
    return parsed.awaitingReturn !== undefined || (Array.isArray(parsed.completed) && parsed.completed.length > 0);
  } catch {
    return false;
  }
}

/**
 * The slugs of this tab's walkthroughs that left the page at `pathname` for the authorization server and
 * wait for the browser to come back there (progress saved before `returnTo` existed counts for every page).
 */
export function awaitedAt(pathname: string): string[] {
  const path = (value: string) => value.replace(/\/+$/, '');
  const slugs: string[] = [];
  try {
    for (let index = 0; index < window.sessionStorage.length; index++) {
      const name = window.sessionStorage.key(index);
      if (!name?.startsWith(key(''))) continue;
      const saved = JSON.parse(window.sessionStorage.getItem(name) ?? '{}') as Partial<SavedWalkthrough>;
      if (
        saved.awaitingReturn !== undefined &&
        (saved.returnTo === undefined || path(saved.returnTo) === path(pathname))
      )
        slugs.push(name.slice(key('').length));
    }
  } catch {
    // Storage unavailable or unreadable: nothing can be waiting.
  }
  return slugs;
}

/** True when a walkthrough of this tab waits for the browser to come back to `pathname` (see `awaitedAt`). */
export function isAwaitedAt(pathname: string): boolean {
  return awaitedAt(pathname).length > 0;
}
