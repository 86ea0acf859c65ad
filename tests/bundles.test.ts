/**
 * What each built bundle carries: the background service worker takes only its own words (notifications and the
 * toolbar tooltip), never the pages' dictionaries, which would cost every wake-up ~24 KB of parsing.
 * Reads `.output/`, so it runs after the build steps of `npm test`; run `npm run build` first when running it
 * alone (a stale build is tested as it is).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as en from '../locales/en';
import * as fr from '../locales/fr';

const BUILDS = ['chrome-mv3', 'firefox-mv2'] as const;
const built = BUILDS.filter((b) => existsSync(join('.output', b, 'background.js')));
if (built.length < BUILDS.length) console.warn('tests/bundles.test.ts: run npm run build first.');

describe.each(built)('the %s background', (build) => {
  const code = () => readFileSync(join('.output', build, 'background.js'), 'utf8');

  it('should carry its notifications and tooltip in both languages', () => {
    const js = code();
    for (const text of [
      en.paused,
      fr.paused,
      ...Object.values(en.notices).flat(),
      ...Object.values(fr.notices).flat(),
    ])
      expect(js.includes(text), text).toBe(true);
  });

  it("should not carry the pages' words", () => {
    const js = code();
    for (const text of [
      en.messages['popup.signInTitle'],
      fr.messages['popup.signInTitle'],
      en.messages['xlink.title'],
    ])
      expect(js.includes(text), text).toBe(false);
  });
});
