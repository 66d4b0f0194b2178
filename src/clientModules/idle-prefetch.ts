/**
 * Docusaurus prefetches the code of every page whose link scrolls into view. Each link has its own
 * IntersectionObserver, so right after hydration the sidebar's and the page's links all report in
 * one task, and that task appends a `<link rel="prefetch">` for every chunk of every linked route,
 * the chunks they share included (258 tags for 17 files on the longest page): on a phone's CPU this
 * was the longest task of the page load. Here each prefetch waits for an idle moment and runs
 * alongside others only while the moment lasts, so it never blocks the reader. Hovering a link
 * still loads its page at once (`preload` is untouched).
 */
import ExecutionEnvironment from '@docusaurus/ExecutionEnvironment';

/** `window.docusaurus`, as Docusaurus declares it. */
type DocusaurusGlobal = Window['docusaurus'];

/**
 * Work per idle callback. A browser grants up to 50 ms of idle time, but a phone's CPU may be several
 * times slower than the one that measured it; a few milliseconds keep every task short anywhere.
 */
const SLICE_MS = 6;
/** A page that is never idle still gets its links prefetched, only later. */
const IDLE_TIMEOUT_MS = 5_000;

function deferPrefetch(original: DocusaurusGlobal): DocusaurusGlobal {
  const queue: string[] = [];
  let scheduled = false;

  const drain = (deadline: IdleDeadline): void => {
    scheduled = false;
    const started = performance.now();
    do {
      original.prefetch(queue.shift()!);
    } while (queue.length > 0 && performance.now() - started < SLICE_MS && deadline.timeRemaining() > 0);
    if (queue.length > 0) schedule();
  };
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    window.requestIdleCallback(drain, {timeout: IDLE_TIMEOUT_MS});
  };

  return Object.freeze({
    ...original,
    prefetch: (routePath: string) => {
      queue.push(routePath);
      schedule();
      return false as const;
    },
  });
}

// The client entry assigns `window.docusaurus` after the client modules have run; catch that
// assignment and hand out the deferring version. Browsers without requestIdleCallback keep the original.
if (ExecutionEnvironment.canUseDOM && 'requestIdleCallback' in window && !Object.getOwnPropertyDescriptor(window, 'docusaurus')) {
  let current: DocusaurusGlobal | undefined;
  Object.defineProperty(window, 'docusaurus', {
    configurable: true,
    enumerable: true,
    get: () => current,
    set: (value: DocusaurusGlobal) => {
      current = value && typeof value.prefetch === 'function' ? deferPrefetch(value) : value;
    },
  });
}
