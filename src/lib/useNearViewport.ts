import {useEffect, useRef, useState, type RefObject} from 'react';

/**
 * True once the element comes within `margin` of the viewport (and from then on), so heavy
 * work can wait until the reader gets close. `initially` (a value, or a function read on first render)
 * starts it true, e.g. when resuming.
 * Browsers without IntersectionObserver get true at once.
 */
export function useNearViewport<T extends Element>(margin: string, initially: boolean | (() => boolean) = false): [RefObject<T | null>, boolean] {
  const ref = useRef<T>(null);
  const [near, setNear] = useState(initially);

  useEffect(() => {
    const element = ref.current;
    if (near || !element) return undefined;
    if (!('IntersectionObserver' in window)) {
      setNear(true);
      return undefined;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          setNear(true);
          observer.disconnect();
        }
      },
      {rootMargin: margin},
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [near, margin]);

  return [ref, near];
}
