import {useEffect, useRef, useState, type RefObject} from 'react';

export interface NearViewportOptions {
  /**
   * When the element is already near the viewport as the page opens, wait for the reader's first
   * sign of activity (pointer, touch, wheel, scroll or key) or `idleFallbackMs`, whichever comes
   * first, instead of loading during the page's own load.
   */
  deferWhileOpening?: boolean;
  /** The longest wait for activity, in milliseconds, after the page's load event. */
  idleFallbackMs?: number;
}

/** What counts as the reader's first activity on the page. */
const ACTIVITY_EVENTS = ['pointermove', 'pointerdown', 'touchstart', 'wheel', 'scroll', 'keydown'] as const;

/** Calls `then` once the reader shows activity, or `fallbackMs` after the page's load event. Returns a cancel function. */
function afterFirstActivity(then: () => void, fallbackMs: number): () => void {
  let timer: number | undefined;
  let done = false;
  const finish = (): void => {
    if (done) return;
    done = true;
    cancel();
    then();
  };
  const startTimer = (): void => {
    timer = window.setTimeout(finish, fallbackMs);
  };
  const cancel = (): void => {
    for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, finish, true);
    window.removeEventListener('load', startTimer);
    if (timer !== undefined) window.clearTimeout(timer);
  };
  for (const type of ACTIVITY_EVENTS) window.addEventListener(type, finish, {capture: true, passive: true, once: true});
  if (document.readyState === 'complete') startTimer();
  else window.addEventListener('load', startTimer, {once: true});
  return cancel;
}

/**
 * True once the element comes within `margin` of the viewport (and from then on), so heavy
 * work can wait until the reader gets close. `initially` (a value, or a function read on first render)
 * starts it true, e.g. when resuming.
 * Browsers without IntersectionObserver get true at once.
 */
export function useNearViewport<T extends Element>(
  margin: string,
  initially: boolean | (() => boolean) = false,
  {deferWhileOpening = false, idleFallbackMs = 3_000}: NearViewportOptions = {},
): [RefObject<T | null>, boolean] {
  const ref = useRef<T>(null);
  const [near, setNear] = useState(initially);

  useEffect(() => {
    const element = ref.current;
    if (near || !element) return undefined;
    if (!('IntersectionObserver' in window)) {
      setNear(true);
      return undefined;
    }
    let firstReport = true;
    let cancelWait: (() => void) | undefined;
    const observer = new IntersectionObserver(
      (entries) => {
        const intersecting = entries.some((entry) => entry.isIntersecting);
        const opening = firstReport;
        firstReport = false;
        if (!intersecting) return;
        observer.disconnect();
        if (opening && deferWhileOpening) cancelWait = afterFirstActivity(() => setNear(true), idleFallbackMs);
        else setNear(true);
      },
      {rootMargin: margin},
    );
    observer.observe(element);
    return () => {
      observer.disconnect();
      cancelWait?.();
    };
  }, [near, margin, deferWhileOpening, idleFallbackMs]);

  return [ref, near];
}
