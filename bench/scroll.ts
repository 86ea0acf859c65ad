import type { Page } from '@playwright/test';

/** The longest one scroll may take (a 1,000-post scroll takes under 10 s on a 2-core machine). */
const SCROLL_LIMIT_MS = 120_000;
/** The longest one wait for an animation frame may take (a frame takes about 16 ms). */
const FRAME_LIMIT_MS = 500;

/**
 * Scrolls the offline X timeline (tests/fixtures/x, its `window.__x` hooks) through `posts` posts, three cells per two
 * animation frames, and returns how many it saw; it stops after SCROLL_LIMIT_MS whatever happens (then fewer posts
 * are counted, and the callers report the number). The page must be in front: a page in the background gets no
 * animation frames. Each wait for a frame also ends after FRAME_LIMIT_MS, so that a page that stops getting frames
 * still reaches SCROLL_LIMIT_MS instead of hanging the benchmark.
 */
export async function scrollTimeline(page: Page, posts: number): Promise<number> {
  // A string, not a function: tsx would wrap named inner functions in a `__name` helper the page lacks.
  return (await page.evaluate(`(async (target) => {
    const x = window.__x;
    const seen = new Set();
    const until = performance.now() + ${SCROLL_LIMIT_MS};
    const frame = () => new Promise((r) => {
      const late = setTimeout(r, ${FRAME_LIMIT_MS});
      requestAnimationFrame(() => { clearTimeout(late); r(); });
    });
    for (let i = 0; seen.size < target && i < target * 2 && performance.now() < until; i += 3) {
      x.scrollToIndex(i);
      await frame();
      await frame();
      for (const id of x.postIds()) seen.add(id);
    }
    return seen.size;
  })(${posts})`)) as number;
}
