/**
 * Docusaurus prefetches the code of every page whose link scrolls into view. Each link has its own
 * IntersectionObserver, so right after hydration the sidebar's and the page's links all report in
 * one task, and that task appends a `<link rel="prefetch">` for every chunk of every linked route,
 * the chunks that all routes share included: 258 tags for 17 files on the longest page. On a phone's
 * CPU it was one of the longest tasks of the page load. Here each prefetch waits for an idle moment,
 * and a file already in the page (as a script or as an earlier prefetch) is not asked for again.
 * Hovering a link still loads its page at once (`preload` is untouched).
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

/** Absolute URLs of the files this page already has or has asked for. */
const requested = new Set<string>();

/**
 * Runs one Docusaurus prefetch, letting through only the link tags for files not requested yet.
 * Docusaurus creates and appends its tags synchronously, to `document.head`, inside the call.
 */
function prefetchNewFilesOnly(prefetch: () => void): void {
  const head = document.head;
  const append = head.appendChild.bind(head);
  head.appendChild = <T extends Node>(node: T): T => {
    if (node instanceof HTMLLinkElement && node.rel === 'prefetch') {
      if (requested.has(node.href)) return node;
      requested.add(node.href);
    }
    return append(node);
  };
  try {
    prefetch();
  } finally {
    delete (head as {appendChild?: unknown}).appendChild;
  }
}

function deferPrefetch(original: DocusaurusGlobal): DocusaurusGlobal {
  const queue: string[] = [];
  let scheduled = false;

  const drain = (deadline: IdleDeadline): void => {
    scheduled = false;
    for (const script of Array.from(document.scripts)) if (script.src) requested.add(script.src);
    const started = performance.now();
    do {
      const routePath = queue.shift()!;
      prefetchNewFilesOnly(() => void original.prefetch(routePath));
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
if (
  ExecutionEnvironment.canUseDOM &&
  'requestIdleCallback' in window &&
  !Object.getOwnPropertyDescriptor(window, 'docusaurus')
) {
  let current: DocusaurusGlobal | undefined;
  Object.defineProperty(window, 'docusaurus', {
    configurable: true,
    enumerable: true,
    get: () => current,
    set: (value: DocusaurusGlobal | undefined) => {
      current = value && typeof value.prefetch === 'function' ? deferPrefetch(value) : value;
    },
  });
}
