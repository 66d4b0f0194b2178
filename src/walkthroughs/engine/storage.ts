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
}

function key(slug: string): string {
  return `walkthrough:${slug}`;
}

export function emptyWalkthrough(shape: string): SavedWalkthrough {
  return {version: 2, shape, completed: []};
}

/**
 * The walkthrough's saved progress for this tab. sessionStorage, not
 * localStorage: the PKCE verifier and tokens must not outlive the tab
 * (RFC 9700 §4.2.4 on keeping secrets out of long-lived places).
 */
export function loadSaved(slug: string, shape: string): SavedWalkthrough {
  try {
    const text = window.sessionStorage.getItem(key(slug));
    if (!text) return emptyWalkthrough(shape);
    const parsed = JSON.parse(text) as Partial<SavedWalkthrough>;
    if (parsed.version !== 2 || parsed.shape !== shape || !Array.isArray(parsed.completed)) return emptyWalkthrough(shape);
    return parsed as SavedWalkthrough;
  } catch {
    return emptyWalkthrough(shape);
  }
}

export function saveState(slug: string, state: SavedWalkthrough): void {
  window.sessionStorage.setItem(key(slug), JSON.stringify(state));
}

export function clearSaved(slug: string): void {
  window.sessionStorage.removeItem(key(slug));
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

/** True when the walkthrough left the page for the authorization server and waits for the browser to come back. */
export function isAwaitingReturn(slug: string): boolean {
  try {
    const text = window.sessionStorage.getItem(key(slug));
    return text !== null && (JSON.parse(text) as Partial<SavedWalkthrough>).awaitingReturn !== undefined;
  } catch {
    return false;
  }
}
