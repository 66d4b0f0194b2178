import type {SavedWalkthrough} from './types';

const EMPTY: SavedWalkthrough = {version: 1, completed: {}};

function key(flowId: string): string {
  return `walkthrough:${flowId}`;
}

/**
 * The walkthrough's saved progress for this tab. sessionStorage, not
 * localStorage: the PKCE verifier and tokens must not outlive the tab
 * (RFC 9700 §4.2.4 on keeping secrets out of long-lived places).
 */
export function loadSaved(flowId: string): SavedWalkthrough {
  try {
    const text = window.sessionStorage.getItem(key(flowId));
    if (!text) return EMPTY;
    const parsed = JSON.parse(text) as SavedWalkthrough;
    return parsed.version === 1 && typeof parsed.completed === 'object' ? parsed : EMPTY;
  } catch {
    return EMPTY;
  }
}

export function saveState(flowId: string, state: SavedWalkthrough): void {
  window.sessionStorage.setItem(key(flowId), JSON.stringify(state));
}

export function clearSaved(flowId: string): void {
  window.sessionStorage.removeItem(key(flowId));
}

/** True when this tab has started the walkthrough (or is coming back to it from the authorization server). */
export function hasProgress(flowId: string): boolean {
  const saved = loadSaved(flowId);
  return saved.awaitingReturn !== undefined || Object.keys(saved.completed).length > 0;
}
