/**
 * `npm run bench:content-floor [-- --rounds=5] [-- --posts=600] [-- <build dir>]`: what any content script that puts
 * a Pay button on each post costs on the scrolling timeline before it reads a single signal of who is paid, against
 * the build (default `.output/chrome-mv3`). Four scripts, run as bench/traced-scroll.ts runs a script (traced CPU
 * time in the script per post, medians, the scripts alternating), each one doing what the one before does and more:
 *
 * 1. an observer with the content script's options (utils/x/observe.ts) whose callback does nothing;
 * 2. it reads the records and finds the posts in what X added (`closest` + one query per added element, the post
 *    markers of utils/x/selectors.ts), and asks each post for a host it may already have (one `querySelector`);
 * 3. it puts a Pay host at the end of each post's last `role=group`: a closed shadow root with one shared style
 *    sheet and one button, the hosts of cells X unmounted reused, as entrypoints/x.content/pay-button.ts does;
 * 4. the build, which also reads and cross-checks the post's signals (the permalink, the author block and the
 *    handle it shows, its links, the avatar, the action bar's buttons), the page's theme, language and signed-in
 *    user, and keeps each button right as X changes the post.
 *
 * Scripts 1–3 are written for this benchmark, as lean as such a script can be, with none of the checks the product
 * needs; what separates them is what each step costs, and what separates 3 from 4 is what the product's checks cost.
 * docs/x-drift.md "The floor" has the figures.
 */
import fs from 'node:fs';
import path from 'node:path';
import { EXTENSION_DIR } from '../tests/e2e/browser-path';
import { OBSERVED } from '../utils/x/observe';
import { ACTION_BAR, PAY_HOST, PAY_HOST_ATTR, POST as POST_SELECTOR, POST_QUICK } from '../utils/x/selectors';
import { compareScripts, formatResult, numberFlag, type TracedScript } from './traced-scroll';

const dir = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? EXTENSION_DIR;

/** The content script's observer options and selectors, as literals of the scripts' source. */
const OPTIONS = JSON.stringify(OBSERVED);
const POST = JSON.stringify(POST_SELECTOR);

const OBSERVER = `new MutationObserver(() => {}).observe(document, ${OPTIONS});`;

/** Steps 2 and 3: `HOST` true adds the hosts. */
const finder = (HOST: boolean) => `(() => {
  const HOST = ${HOST};
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(':host{display:flex;align-items:center;flex:0 0 auto} button{width:34.75px;height:34.75px;' +
    'margin:-8px -8px -8px 4px;border:0;padding:0;background:none;border-radius:9999px;cursor:pointer}');
  const ours = new WeakSet();
  const recent = [];
  const makeHost = () => {
    for (let tries = 0; tries < 2 && recent.length; tries++) {
      const old = recent.shift();
      recent.push(old);
      if (!old.isConnected) return old;
    }
    const host = document.createElement('div');
    host.setAttribute(${JSON.stringify(PAY_HOST_ATTR)}, 'tweet');
    const root = host.attachShadow({ mode: 'closed' });
    root.adoptedStyleSheets = [sheet];
    const button = document.createElement('button');
    button.setAttribute('aria-label', 'Pay');
    root.append(button);
    ours.add(host);
    recent.push(host);
    if (recent.length > 64) recent.shift();
    return host;
  };
  const sync = (post) => {
    if (post.querySelector(${JSON.stringify(PAY_HOST)}) || !HOST) return;
    const groups = post.querySelectorAll(${JSON.stringify(ACTION_BAR)});
    const bar = groups[groups.length - 1];
    if (bar) bar.append(makeHost());
  };
  const observer = new MutationObserver((records) => {
    const added = new Set();
    for (let i = 0; i < records.length; i++) {
      const nodes = records[i].addedNodes;
      for (let j = 0; j < nodes.length; j++) {
        const node = nodes[j];
        if (node instanceof Element && !ours.has(node)) added.add(node);
      }
    }
    const posts = new Set();
    for (const node of added) {
      if (!node.isConnected) continue;
      const up = node.closest(${POST});
      if (up) posts.add(up);
      let inside = node.querySelectorAll(${JSON.stringify(POST_QUICK)});
      if (!inside.length) inside = node.querySelectorAll(${POST});
      for (let k = 0; k < inside.length; k++) posts.add(inside[k]);
    }
    for (const post of posts) sync(post);
    observer.takeRecords(); // its own hosts
  });
  observer.observe(document, ${OPTIONS});
  document.querySelectorAll(${POST}).forEach(sync);
})();`;

async function main(): Promise<void> {
  const file = path.join(dir, 'content-scripts', 'x.js');
  if (!fs.existsSync(file)) throw new Error(`No content script at ${file}: build it first (npx wxt build).`);
  const scripts: TracedScript[] = [
    { name: '1. observer, callback empty', code: OBSERVER, placesHosts: false },
    { name: '2. + finds the posts', code: finder(false), placesHosts: false },
    { name: '3. + a host per post, no signal', code: finder(true), placesHosts: true },
    {
      name: `4. the build (${path.relative(process.cwd(), dir) || dir})`,
      code: fs.readFileSync(file, 'utf8'),
      placesHosts: true,
    },
  ];
  const results = await compareScripts(scripts, {
    rounds: numberFlag('rounds', 5),
    posts: numberFlag('posts', 600),
  });
  const width = Math.max(...scripts.map((s) => s.name.length)) + 2;
  for (const result of results) console.log(formatResult(result, width));
  const m = results.map((r) => r.median);
  console.log(
    `\nper post: observer ${m[0]?.toFixed(0)} µs, finding the posts +${((m[1] ?? 0) - (m[0] ?? 0)).toFixed(0)}, ` +
      `a host each +${((m[2] ?? 0) - (m[1] ?? 0)).toFixed(0)}, the product's signals and checks +${((m[3] ?? 0) - (m[2] ?? 0)).toFixed(0)}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
