/**
 * The extension APIs the content script calls at start, for the benchmarks that run a build's content script in an
 * isolated world of a page of their own (content-logic, content-ab); `__benchStop` ends its runtime.
 */
export const STAND_IN = `(() => {
  const runtime = { id: 'bench', sendMessage: async () => undefined, getURL: (p) => p,
    onMessage: { addListener() {}, removeListener() {}, hasListener: () => false } };
  const events = { addListener() {}, removeListener() {}, hasListener: () => false };
  globalThis.chrome = globalThis.browser = {
    runtime,
    storage: { local: { get: async () => ({}), set: async () => undefined }, session: { get: async () => ({}) },
      onChanged: events },
    i18n: { getUILanguage: () => 'en', getMessage: () => '' },
  };
  globalThis.__benchStop = () => { runtime.id = undefined; };
})();`;
