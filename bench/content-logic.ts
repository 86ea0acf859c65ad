/**
 * `npm run bench:content-logic [-- --rounds=40] [-- --batch=3] [-- --window=12] [-- <build dir> …]`: what the content script's own
 * work costs per post, without a profiler, and builds compared in the same page.
 *
 * `npm run bench:content` reads the content script's time from a CPU profile, and a profiler slows every call from
 * a script into the DOM (the content script is made of little else): the same work reads about 1.5 times more with
 * it. And from one run to the next this shared machine's speed changes by more than the gains being measured. So
 * here, in one Chromium, on the offline X timeline (tests/fixtures/x, 200 posts):
 * - each build's content script (`content-scripts/x.js` of a build dir, default `.output/chrome-mv3`) runs in an
 *   isolated world of its own page, as the browser runs it, started once, with a stand-in for the extension APIs
 *   it calls (the runtime id, storage, messages); one more page runs none;
 * - each round appends fresh copies of the timeline's cells, `--batch` at a time (X adds a few per frame while
 *   scrolling) and unmounts the oldest beyond `--window` (12) as X's list does, each batch followed by the
 *   microtasks in which the observer places the buttons, in each page in turn (the order alternates from round to
 *   round; the first WARM_UP rounds are not counted);
 * - per post: the time from the append to the end of those microtasks, less the same with no build, paired
 *   round by round (median and quartiles).
 * The cells are hidden (`display: none`): this is script time only; what styling the buttons costs the page is
 * `npm run bench:content`'s `styleAddedPerPostMs`.
 *
 * To compare a change: `npx wxt build && cp -r .output/chrome-mv3 /tmp/after`, the same for the build before, then
 * `npm run bench:content-logic -- /tmp/before /tmp/after`.
 *
 * It compares builds; it does not give the figure. In this quiet page every call into the DOM costs about half of
 * what it costs on the scrolling timeline, between X's own frames, so the same build reads about half of what
 * `npm run bench:content-ab` (the scroll, traced, no profiler either) and `bench:content` read there
 * (docs/x-drift.md "The real scroll, without a profiler").
 */
import fs from 'node:fs';
import path from 'node:path';
import { EXTENSION_DIR, launchChromium } from '../tests/e2e/browser-path';
import { routeX, X } from '../tests/e2e/x-pages';
import { STAND_IN } from './stand-in';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) =>
  Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const ROUNDS = flag('rounds', 40);
const BATCH = flag('batch', 3);
const WINDOW = flag('window', 12);
/** Rounds run first and not counted: the scripts' code gets optimized, as in a tab that has been open a while. */
const WARM_UP = 3;
const dirs = args.filter((a) => !a.startsWith('--'));
if (!dirs.length) dirs.push(EXTENSION_DIR);

interface Sample {
  us: number;
  hosts: number;
  posts: number;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))] as number;
};

async function main(): Promise<void> {
  const scripts = dirs.map((dir) => {
    const file = path.join(dir, 'content-scripts', 'x.js');
    if (!fs.existsSync(file))
      throw new Error(`No content script at ${file}: build it first (npx wxt build).`);
    return fs.readFileSync(file, 'utf8');
  });
  const { context, close } = await launchChromium({
    withExtension: false,
    options: { viewport: { width: 1280, height: 900 } },
  });
  try {
    await routeX(context, { count: 200, pageSize: 200, loadDelay: 0, overscan: 100_000 });
    const names = ['none', ...dirs];
    // One page per build (and one with none), each with its content script started once and kept running, as in a
    // tab: the rounds alternate between the pages.
    const pages = [];
    for (let i = 0; i < names.length; i++) {
      const page = await context.newPage();
      await page.goto(`${X}/home`);
      await page.waitForFunction(() => !!window.__x && window.__x.postIds().length >= 200);
      // The cells as X rendered them, taken out of the page: the script starts on an empty timeline.
      await page.evaluate(() => {
        const cells = [...document.querySelectorAll('[data-testid="cellInnerDiv"]')];
        (window as unknown as { __cells: Node[] }).__cells = cells.map((c) => c.cloneNode(true));
        for (const cell of cells) cell.remove();
      });
      if (i > 0) {
        const cdp = await context.newCDPSession(page);
        const { frameTree } = await cdp.send('Page.getFrameTree');
        const { executionContextId } = await cdp.send('Page.createIsolatedWorld', {
          frameId: frameTree.frame.id,
          worldName: `build-${i}`,
        });
        for (const expression of [STAND_IN, scripts[i - 1] as string]) {
          const r = await cdp.send('Runtime.evaluate', { expression, contextId: executionContextId });
          if (r.exceptionDetails)
            throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
        }
        await page.waitForTimeout(50); // the stand-in storage answers: buttons on
      }
      pages.push(page);
    }
    const samples = new Map<string, Sample[]>(names.map((n) => [n, []]));
    for (let round = -WARM_UP; round < ROUNDS; round++) {
      const order = names.map((_, i) => i);
      if (round % 2) order.reverse();
      for (const i of order) {
        const page = pages[i] as (typeof pages)[number];
        await page.bringToFront();
        const sample = (await page.evaluate(`(async (batch) => {
          const root = document.createElement('div');
          root.style.display = 'none';
          document.querySelector('[data-testid="primaryColumn"]').append(root);
          const cells = window.__cells.map((c) => c.cloneNode(true));
          const channel = new MessageChannel();
          const nextTask = () => new Promise((r) => { channel.port1.onmessage = r; channel.port2.postMessage(0); });
          let spent = 0;
          for (let i = 0; i < cells.length; i += batch) {
            const t = performance.now();
            root.append(...cells.slice(i, i + batch));
            // X's list keeps the cells around the view mounted and unmounts the others as they scroll out.
            while (root.childElementCount > ${WINDOW}) root.firstElementChild.remove();
            await null; await null;
            spent += performance.now() - t;
            await nextTask();
          }
          const hosts = [...root.children].filter((c) => c.querySelector('[data-tweetez-payez]')).length;
          root.remove();
          return { us: (spent * 1000) / cells.length, hosts, posts: root.childElementCount };
        })(${BATCH})`)) as Sample;
        if (round >= 0) samples.get(names[i] as string)!.push(sample);
      }
    }
    const none = samples.get('none')!;
    for (const name of names) {
      const runs = samples.get(name)!;
      const added = runs.map((s, r) => s.us - (none[r] as Sample).us);
      console.log(
        `${name.padEnd(36)} ${runs[0]?.hosts ?? 0}/${runs[0]?.posts ?? 0} mounted posts with a button;` +
          ` per post ${quantile(
            runs.map((s) => s.us),
            0.5,
          ).toFixed(1)} µs` +
          (name === 'none'
            ? ''
            : `, added (paired with none) median ${quantile(added, 0.5).toFixed(1)} µs, quartiles ${quantile(added, 0.25).toFixed(1)}–${quantile(added, 0.75).toFixed(1)}`),
      );
    }
  } finally {
    await close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
