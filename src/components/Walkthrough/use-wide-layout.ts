import {useEffect, useState} from 'react';

/** Wide enough for the diagram beside the steps (matches the breakpoint in styles.module.css). */
const WIDE = '(min-width: 1200px)';

/** True on screens wide enough to show the sequence diagram beside the steps, kept open and in view. */
export function useWideLayout(): boolean {
  const [wide, setWide] = useState(() => typeof window !== 'undefined' && window.matchMedia(WIDE).matches);
  useEffect(() => {
    const query = window.matchMedia(WIDE);
    const update = () => setWide(query.matches);
    update();
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, []);
  return wide;
}
