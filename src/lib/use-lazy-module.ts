import {useEffect, useState} from 'react';

type Loading<T> =
  {state: 'loading'; promise: Promise<T>} | {state: 'loaded'; value: T} | {state: 'failed'; error: unknown};

const modules = new Map<string, Loading<unknown>>();

/**
 * Starts loading a lazy chunk once per page load, under `key`; later calls (a second embed, the render
 * after an early start) share it. A failed load is forgotten, so the next call tries again.
 */
export function loadModule<T>(key: string, load: () => Promise<T>): Promise<T> {
  const known = modules.get(key) as Loading<T> | undefined;
  if (known?.state === 'loading') return known.promise;
  if (known?.state === 'loaded') return Promise.resolve(known.value);
  const promise = load().then(
    (value) => {
      modules.set(key, {state: 'loaded', value});
      return value;
    },
    (error: unknown) => {
      modules.set(key, {state: 'failed', error});
      throw error;
    },
  );
  modules.set(key, {state: 'loading', promise});
  return promise;
}

export type LazyModule<T> =
  {state: 'idle' | 'loading'} | {state: 'loaded'; value: T} | {state: 'failed'; error: unknown};

/**
 * A lazy chunk for a component that renders as soon as it arrives. Not `React.lazy` with `Suspense`:
 * React 19 holds back a Suspense boundary's content until 300 ms after its fallback appeared (its
 * fallback throttle), which added that much to every walkthrough's start, and to every return from the
 * authorization server's sign-in page.
 */
export function useLazyModule<T>(key: string, load: () => Promise<T>, wanted: boolean): LazyModule<T> {
  const [current, setCurrent] = useState<LazyModule<T>>(() => {
    const known = modules.get(key) as Loading<T> | undefined;
    return known?.state === 'loaded' ? known : {state: 'idle'};
  });
  const settled = current.state === 'loaded' || current.state === 'failed';
  useEffect(() => {
    if (!wanted || settled) return undefined;
    let active = true;
    setCurrent({state: 'loading'});
    loadModule(key, load).then(
      (value) => active && setCurrent({state: 'loaded', value}),
      (error: unknown) => active && setCurrent({state: 'failed', error}),
    );
    return () => {
      active = false;
    };
    // `load` is the same module's loader for one key: only the key and the wish matter.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- see above
  }, [key, wanted, settled]);
  return current;
}
