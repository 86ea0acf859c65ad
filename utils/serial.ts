/**
 * A tiny in-process mutex: tasks given to the same lock run one after the other. Used around read-modify-write
 * of stored records (intents, pending requests), which concurrent messages would otherwise race on.
 */
export type Lock = <T>(task: () => Promise<T>) => Promise<T>;

/** Creates a lock; a failing task does not block the ones after it. */
export function createLock(): Lock {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}

/**
 * Shares one in-flight promise between concurrent callers (single-flight): while `task` runs, further calls get
 * the same promise; once it settles, the next call starts a new one.
 */
export function singleFlight<T>(task: () => Promise<T>): () => Promise<T> {
  let current: Promise<T> | null = null;
  return () => {
    current ??= task().finally(() => {
      current = null;
    });
    return current;
  };
}
