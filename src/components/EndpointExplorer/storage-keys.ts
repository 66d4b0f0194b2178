/** sessionStorage keys of the explorer, in a module of their own so the lazy embed can read them without loading the explorer. */
export const PENDING_AUTHORIZATION_KEY = 'explorer:authorization';
export const TOKENS_KEY = 'explorer:tokens';

/**
 * True when the explorer of this tab sent the browser to an authorization endpoint with the page at
 * `pathname` as its redirect URI, and waits for the response there (read by the module that otherwise
 * takes authorization responses out of the address bar before any page code runs).
 */
export function explorerAwaitsAt(pathname: string): boolean {
  const path = (value: string) => value.replace(/\/+$/, '');
  try {
    const pending = JSON.parse(window.sessionStorage.getItem(PENDING_AUTHORIZATION_KEY) ?? 'null') as {
      redirectUri?: unknown;
    } | null;
    return typeof pending?.redirectUri === 'string' && path(new URL(pending.redirectUri).pathname) === path(pathname);
  } catch {
    // Storage unavailable, unreadable, or no URL saved: nothing can be waiting.
    return false;
  }
}
