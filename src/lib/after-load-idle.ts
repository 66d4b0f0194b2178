/** The longest wait for an idle moment after load, so a page that is never idle still gets the work done. */
const IDLE_TIMEOUT_MS = 3_000;

/**
 * Runs `callback` once the page has loaded and the browser is idle (or after `timeoutMs` of waiting
 * for idleness), so work that no reader needs at first sight stays off the page's loading and
 * hydration. Returns a function that cancels the call if it has not happened yet.
 */
export function afterLoadIdle(callback: () => void, timeoutMs: number = IDLE_TIMEOUT_MS): () => void {
  let cancelIdle = (): void => undefined;
  const whenIdle = (): void => {
    if ('requestIdleCallback' in window) {
      const handle = window.requestIdleCallback(callback, {timeout: timeoutMs});
      cancelIdle = () => window.cancelIdleCallback(handle);
    } else {
      const handle = globalThis.setTimeout(callback, 0);
      cancelIdle = () => globalThis.clearTimeout(handle);
    }
  };
  if (document.readyState === 'complete') whenIdle();
  else window.addEventListener('load', whenIdle, {once: true});
  return () => {
    window.removeEventListener('load', whenIdle);
    cancelIdle();
  };
}
