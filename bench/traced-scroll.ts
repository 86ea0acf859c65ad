/**
 * Content scripts compared on the real scroll, by the main thread's CPU time spent in them, without a profiler
 * (`npm run bench:content-ab`, `npm run bench:content-floor`; docs/x-drift.md "The real scroll, without a profiler").
 *
 * In one Chromium, for each round and each script in turn (the order alternates from round to round), a fresh page
 * of the offline X home timeline (tests/fixtures/x) gets the script in an isolated world of its own, as the browser
 * runs a content script, with a stand-in for the extension APIs a build calls (bench/stand-in.ts); then the page
 * scrolls through `posts` posts as in `npm run bench:content`. A trace of the page (`devtools.timeline`, no CPU
 * profiler) records every call the browser makes into the script — the observer's batches, the listeners, the
 * timers — with the thread CPU time each took (`tdur`: the time the thread waited for a core does not count): their
 * sum per post is the figure. A run of 600 posts takes about 10 s; the same script varies by about a tenth from run
 * to run, so compare medians of several rounds.
 */
import type { CDPSession } from '@playwright/test';
import { launchChromium } from '../tests/e2e/browser-path';
import { routeX, X } from '../tests/e2e/x-pages';
import { scrollTimeline } from './scroll';
import { STAND_IN } from './stand-in';

export interface TracedScript {
  name: string;
  /** The script's source, run as is in the isolated world. */
  code: string;
  /** The run fails unless the script placed at least one Pay host (`[data-tweetez-payez]`) by its end. */
  placesHosts: boolean;
}

export interface TracedResult {
  name: string;
  /** Content-script CPU time per post of each round, µs. */
  runs: number[];
  median: number;
}

interface TraceEvent {
  name: string;
  ph: string;
  tdur?: number;
  args?: { data?: { url?: string } };
}

/** How long the browser gets to hand over a finished trace (it takes about a second). */
const TRACE_END_LIMIT_MS = 60_000;
/** The source URL the scripts are run under, so that the trace can tell their calls from the page's. */
const SOURCE_URL = 'bench://content-scripts/x.js';

/** Everything the trace says between `Tracing.start` and `Tracing.end`. */
async function traced(cdp: CDPSession, work: () => Promise<void>): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['devtools.timeline'], recordMode: 'recordAsMuchAsPossible' },
    transferMode: 'ReportEvents',
  });
  await work();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const complete = new Promise<void>((resolve, reject) => {
    cdp.once('Tracing.tracingComplete', () => resolve());
    timer = setTimeout(
      () => reject(new Error(`the browser did not end the trace within ${TRACE_END_LIMIT_MS / 1000} s`)),
      TRACE_END_LIMIT_MS,
    );
  });
  try {
    await Promise.all([cdp.send('Tracing.end'), complete]);
  } finally {
    clearTimeout(timer);
  }
  return events;
}

/** `--name=value` from the command line, as a number; `fallback` when absent. */
export function numberFlag(name: string, fallback: number): number {
  const arg = process.argv.slice(2).find((a) => a.startsWith(`--${name}=`));
  return Number(arg?.split('=')[1] ?? fallback);
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Runs every script `rounds` times on the scrolling timeline, alternating; progress goes to stderr. */
export async function compareScripts(
  scripts: TracedScript[],
  { rounds, posts }: { rounds: number; posts: number },
): Promise<TracedResult[]> {
  const { context, close } = await launchChromium({
    withExtension: false,
    options: { viewport: { width: 1280, height: 900 } },
  });
  /** One scroll of a fresh page running `script`: CPU time in the script per post, in µs. */
  const run = async (script: TracedScript): Promise<number> => {
    const page = await context.newPage();
    try {
      await page.goto(`${X}/home`);
      await page.waitForFunction(() => !!window.__x && window.__x.postIds().length > 0);
      const cdp = await context.newCDPSession(page);
      const { frameTree } = await cdp.send('Page.getFrameTree');
      const { executionContextId } = await cdp.send('Page.createIsolatedWorld', {
        frameId: frameTree.frame.id,
        worldName: 'traced-scroll',
      });
      for (const expression of [STAND_IN, `${script.code}\n//# sourceURL=${SOURCE_URL}`]) {
        const r = await cdp.send('Runtime.evaluate', { expression, contextId: executionContextId });
        if (r.exceptionDetails)
          throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
      }
      if (script.placesHosts) await page.waitForSelector('[data-tweetez-payez]');
      await page.waitForTimeout(200);
      // A page in the background gets no animation frames: the scroll below waits for them.
      await page.bringToFront();
      let seen = 0;
      const events = await traced(cdp, async () => {
        seen = await scrollTimeline(page, posts);
      });
      const us = events
        .filter((e) => e.name === 'FunctionCall' && e.ph === 'X' && e.args?.data?.url === SOURCE_URL)
        .reduce((sum, e) => sum + (e.tdur ?? 0), 0);
      if (script.placesHosts && !(await page.locator('[data-tweetez-payez]').count()))
        throw new Error(`${script.name}: no Pay button was placed`);
      return us / Math.max(seen, 1);
    } finally {
      await page.close();
    }
  };
  try {
    await routeX(context, { count: posts + 200, pageSize: 50, loadDelay: 0 });
    const results = scripts.map(() => [] as number[]);
    for (let round = 0; round < rounds; round++) {
      const order = scripts.map((_, i) => i);
      if (round % 2) order.reverse();
      for (const i of order) results[i]?.push(await run(scripts[i] as TracedScript));
      console.error(
        `round ${round + 1}/${rounds}: ${results.map((r) => r.at(-1)?.toFixed(1)).join(' | ')} µs`,
      );
    }
    return scripts.map(({ name }, i) => {
      const runs = results[i] ?? [];
      return { name, runs, median: median(runs) };
    });
  } finally {
    await close();
  }
}

/** One line per script: median, and the range of the rounds. */
export function formatResult({ name, runs, median: m }: TracedResult, width = 36): string {
  return (
    `${name.padEnd(width)} ${m.toFixed(1)} µs per post (median of ${runs.length}; ` +
    `${Math.min(...runs).toFixed(1)}–${Math.max(...runs).toFixed(1)})`
  );
}
