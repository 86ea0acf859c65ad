/**
 * `npm run bench:content-ab [-- --rounds=5] [-- --posts=600] [-- <build dir> …]`: builds of the content script
 * compared on the real scroll, by the main thread's CPU time spent in the content script, without a profiler.
 *
 * In one Chromium, for each round and each build in turn (the order alternates from round to round), a fresh page of
 * the offline X home timeline (tests/fixtures/x) gets the build's `content-scripts/x.js` (default
 * `.output/chrome-mv3`) in an isolated world of its own, as the browser runs it, with a stand-in for the extension
 * APIs it calls (bench/stand-in.ts); then the page scrolls through `posts` posts as in
 * `npm run bench:content`. A trace of the page (`devtools.timeline`, no CPU profiler) records every call the
 * browser makes into the content script — the observer's batches, the listeners, the timers — with the thread CPU
 * time each took (`tdur`: the time the thread waited for a core does not count): their sum per post is the figure.
 *
 * Why this and not the other two (docs/x-drift.md "The real scroll, without a profiler"): a CPU profile reads the
 * same as this on the scroll, but samples; `bench:content-logic` adds cells in a quiet page, where each call into the
 * DOM costs about half of what it costs between X's own frames, so it reads about half. Here a run of 600 posts
 * takes about 25 s; the same build varies by about a tenth from run to run, so compare medians of several rounds.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CDPSession } from '@playwright/test';
import { EXTENSION_DIR, launchChromium } from '../tests/e2e/browser-path';
import { routeX, X } from '../tests/e2e/x-pages';
import { scrollTimeline } from './scroll';
import { STAND_IN } from './stand-in';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) =>
  Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const ROUNDS = flag('rounds', 5);
const POSTS = flag('posts', 600);
const dirs = args.filter((a) => !a.startsWith('--'));
if (!dirs.length) dirs.push(EXTENSION_DIR);

interface TraceEvent {
  name: string;
  ph: string;
  tdur?: number;
  args?: { data?: { url?: string } };
}

/** Everything the trace says between `Tracing.start` and `Tracing.end`. */
async function traced(cdp: CDPSession, work: () => Promise<void>): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['devtools.timeline'], recordMode: 'recordAsMuchAsPossible' },
    transferMode: 'ReportEvents',
  });
  await work();
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  await complete;
  return events;
}

async function main(): Promise<void> {
  const scripts = dirs.map((dir) => {
    const file = path.join(dir, 'content-scripts', 'x.js');
    if (!fs.existsSync(file))
      throw new Error(`No content script at ${file}: build it first (npx wxt build).`);
    // Named like the extension's file, so that the trace can tell its calls from the page's.
    return `${fs.readFileSync(file, 'utf8')}\n//# sourceURL=bench://content-scripts/x.js`;
  });
  const { context, close } = await launchChromium({
    withExtension: false,
    options: { viewport: { width: 1280, height: 900 } },
  });
  /** One scroll of a fresh page running `script`: CPU time in the content script per post, in µs. */
  const run = async (script: string): Promise<{ us: number; hosts: number }> => {
    const page = await context.newPage();
    try {
      await page.goto(`${X}/home`);
      await page.waitForFunction(() => !!window.__x && window.__x.postIds().length > 0);
      const cdp = await context.newCDPSession(page);
      const { frameTree } = await cdp.send('Page.getFrameTree');
      const { executionContextId } = await cdp.send('Page.createIsolatedWorld', {
        frameId: frameTree.frame.id,
        worldName: 'content-ab',
      });
      for (const expression of [STAND_IN, script]) {
        const r = await cdp.send('Runtime.evaluate', { expression, contextId: executionContextId });
        if (r.exceptionDetails)
          throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
      }
      await page.waitForSelector('[data-tweetez-payez]');
      await page.waitForTimeout(200);
      // A page in the background gets no animation frames: the scroll below waits for them.
      await page.bringToFront();
      let posts = 0;
      const events = await traced(cdp, async () => {
        posts = await scrollTimeline(page, POSTS);
      });
      const us = events
        .filter((e) => e.name === 'FunctionCall' && e.ph === 'X' && e.args?.data?.url?.startsWith('bench://'))
        .reduce((sum, e) => sum + (e.tdur ?? 0), 0);
      const hosts = await page.locator('[data-tweetez-payez]').count();
      return { us: us / Math.max(posts, 1), hosts };
    } finally {
      await page.close();
    }
  };
  try {
    await routeX(context, { count: POSTS + 200, pageSize: 50, loadDelay: 0 });
    const results = dirs.map(() => [] as number[]);
    for (let round = 0; round < ROUNDS; round++) {
      const order = dirs.map((_, i) => i);
      if (round % 2) order.reverse();
      for (const i of order) {
        const { us, hosts } = await run(scripts[i] as string);
        if (!hosts) throw new Error(`${dirs[i]}: no Pay button was placed`);
        results[i]?.push(us);
      }
      console.error(
        `round ${round + 1}/${ROUNDS}: ${results.map((r) => r.at(-1)?.toFixed(1)).join(' | ')} µs`,
      );
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    dirs.forEach((dir, i) => {
      const runs = results[i] ?? [];
      console.log(
        `${dir.padEnd(36)} ${median(runs).toFixed(1)} µs per post (median of ${runs.length}; ` +
          `${Math.min(...runs).toFixed(1)}–${Math.max(...runs).toFixed(1)})`,
      );
    });
  } finally {
    await close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
