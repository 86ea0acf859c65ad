/**
 * `npm run bench:content-ab [-- --rounds=5] [-- --posts=600] [-- <build dir> …]`: builds of the content script
 * compared on the real scroll, by the main thread's CPU time spent in the content script, without a profiler: each
 * build's `content-scripts/x.js` (default `.output/chrome-mv3`) in turn, as bench/traced-scroll.ts runs a script.
 *
 * Why this and not the other two (docs/x-drift.md "The real scroll, without a profiler"): a CPU profile reads the
 * same as this on the scroll, but samples; `bench:content-logic` adds cells in a quiet page, where each call into the
 * DOM costs about half of what it costs between X's own frames, so it reads about half. A run of 600 posts takes
 * about 10 s; the same build varies by about a tenth from run to run, so compare medians of several rounds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { EXTENSION_DIR } from '../tests/e2e/browser-path';
import { compareScripts, formatResult, numberFlag } from './traced-scroll';

const dirs = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (!dirs.length) dirs.push(EXTENSION_DIR);

async function main(): Promise<void> {
  const scripts = dirs.map((dir) => {
    const file = path.join(dir, 'content-scripts', 'x.js');
    if (!fs.existsSync(file))
      throw new Error(`No content script at ${file}: build it first (npx wxt build).`);
    return { name: dir, code: fs.readFileSync(file, 'utf8'), placesHosts: true };
  });
  const results = await compareScripts(scripts, {
    rounds: numberFlag('rounds', 5),
    posts: numberFlag('posts', 600),
  });
  for (const result of results) console.log(formatResult(result));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
