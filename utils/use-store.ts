import { useEffect, useReducer } from 'preact/hooks';
import type { StoreApi } from 'zustand/vanilla';

/** Read a zustand vanilla store from a Preact component, re-rendering on every change. */
export function useStore<S>(store: StoreApi<S>): S {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useEffect(() => store.subscribe(() => rerender(0)), [store]);
  return store.getState();
}
