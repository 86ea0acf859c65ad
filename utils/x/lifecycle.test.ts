// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { createScriptContext, RECHECK_MS } from './lifecycle';

describe('createScriptContext', () => {
  it('should end only when the runtime goes away, not on any page event', () => {
    let alive = true;
    const ctx = createScriptContext(() => alive);
    const seen: string[] = [];
    let ended = 0;
    ctx.onInvalidated(() => ended++);
    ctx.addEventListener(document, 'click', (e) => seen.push(e.type));
    // What a page can do: its own events, including the ones WXT's context listens to.
    document.dispatchEvent(
      new CustomEvent('any-id:x:wxt:content-script-started', {
        detail: { contentScriptName: 'x', messageId: 'forged' },
      }),
    );
    window.postMessage({ type: 'any-id:x:wxt:content-script-started', contentScriptName: 'x' }, '*');
    document.dispatchEvent(new Event('click'));
    expect(ctx.isInvalid).toBe(false);
    expect(seen).toEqual(['click']);
    alive = false;
    document.dispatchEvent(new Event('click')); // the listener notices, ends the context, does not run
    expect(seen).toEqual(['click']);
    expect(ctx.isInvalid).toBe(true);
    expect(ended).toBe(1);
    alive = true;
    expect(ctx.isInvalid).toBe(true); // ended for good
  });

  it('should run invalidation callbacks once and remove listeners', () => {
    const ctx = createScriptContext(() => true);
    const calls: number[] = [];
    ctx.onInvalidated(() => calls.push(1));
    const off = ctx.onInvalidated(() => calls.push(2));
    off();
    let clicks = 0;
    ctx.addEventListener(document, 'click', () => clicks++);
    ctx.invalidate();
    ctx.invalidate();
    document.dispatchEvent(new Event('click'));
    expect(calls).toEqual([1]);
    expect(clicks).toBe(0);
  });

  /** A context over a runtime the test switches off, with a clock it moves; `reads` counts the runtime reads. */
  function watchedContext(start: number) {
    const state = { alive: true, reads: 0, clock: start };
    const ctx = createScriptContext(
      () => {
        state.reads++;
        return state.alive;
      },
      () => state.clock,
    );
    return { ctx, state };
  }

  it('should read the runtime at most once per RECHECK_MS on the hot path, and notice its end after that', () => {
    const { ctx, state } = watchedContext(1_000);
    expect(ctx.isInvalidRecently).toBe(false);
    expect(state.reads).toBe(1);
    for (let i = 0; i < 50; i++) expect(ctx.isInvalidRecently).toBe(false);
    expect(state.reads).toBe(1);
    state.alive = false;
    state.clock += RECHECK_MS - 1;
    expect(ctx.isInvalidRecently).toBe(false); // not read again yet
    expect(state.reads).toBe(1);
    state.clock += 1;
    expect(ctx.isInvalidRecently).toBe(true);
    expect(state.reads).toBe(2);
    state.alive = true;
    state.clock += RECHECK_MS;
    expect(ctx.isInvalidRecently).toBe(true); // ended for good
    expect(ctx.isInvalid).toBe(true);
  });

  it("should always read the runtime for isInvalid (events), which also restarts the hot path's wait", () => {
    const { ctx, state } = watchedContext(5_000);
    expect(ctx.isInvalid).toBe(false);
    expect(ctx.isInvalid).toBe(false);
    expect(state.reads).toBe(2);
    expect(ctx.isInvalidRecently).toBe(false);
    expect(state.reads).toBe(2);
    state.alive = false;
    expect(ctx.isInvalid).toBe(true);
    expect(ctx.isInvalidRecently).toBe(true);
  });
});
