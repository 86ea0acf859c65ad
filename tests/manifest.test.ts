/**
 * The built manifests, as the browsers will read them: least privilege, X-only content scripts, nobody outside
 * may message us, Firefox's add-on id and data collection declaration, both locales, and the icons.
 * Reads `.output/`, so it runs after the build steps of `npm test`; run `npm run build` first when running it
 * alone (a stale build is tested as it is).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const X_ORIGINS = [
  'https://x.com/*',
  'https://twitter.com/*',
  'https://mobile.x.com/*',
  'https://mobile.twitter.com/*',
];
/** Every API permission must be used by a feature: storage (settings, session tokens), alarms (payment status
 * polling), notifications (payment results). Adding one here needs a reason in the README's permission list. */
const PERMISSIONS = ['alarms', 'notifications', 'storage'];
/** A wallet server on this machine, any port (Firefox match patterns cannot carry a port). */
const WALLET_ORIGINS = ['http://127.0.0.1/*', 'http://localhost/*'];
/** Asked for at run time only, when the user sets another wallet server (https only) in the options. */
const OPTIONAL_ORIGINS = ['https://*/*'];

const BUILDS = ['chrome-mv3', 'firefox-mv2'] as const;
type Build = (typeof BUILDS)[number];
const dir = (build: Build) => join('.output', build);
const missing = BUILDS.filter((b) => !existsSync(join(dir(b), 'manifest.json')));
if (missing.length > 0) {
  console.warn(
    `tests/manifest.test.ts skipped: no build in ${missing.map(dir).join(', ')} (run npm run build).`,
  );
}

interface Manifest {
  manifest_version: number;
  name: string;
  description: string;
  default_locale?: string;
  icons?: Record<string, string>;
  permissions?: string[];
  host_permissions?: string[];
  optional_permissions?: string[];
  optional_host_permissions?: string[];
  content_scripts?: { matches: string[]; all_frames?: boolean; js?: string[] }[];
  externally_connectable?: { ids?: string[]; matches?: string[]; accepts_tls_channel_id?: boolean };
  web_accessible_resources?: unknown[];
  action?: { default_icon?: Record<string, string>; default_popup?: string };
  browser_action?: { default_icon?: Record<string, string>; default_popup?: string };
  browser_specific_settings?: {
    gecko?: { id?: string; data_collection_permissions?: { required?: string[]; optional?: string[] } };
  };
}

const cache = new Map<Build, Manifest>();
/** Read lazily: a skipped suite still runs its describe bodies. */
function read(build: Build): Manifest {
  const manifest =
    cache.get(build) ?? (JSON.parse(readFileSync(join(dir(build), 'manifest.json'), 'utf8')) as Manifest);
  cache.set(build, manifest);
  return manifest;
}
const sorted = (list: string[] | undefined) => [...(list ?? [])].sort();

/** Width and height from the IHDR chunk, after checking every chunk's CRC and that the pixels inflate. */
function pngSize(file: string): { width: number; height: number } {
  const png = readFileSync(file);
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const idat: Buffer[] = [];
  let width = 0;
  let height = 0;
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    expect(png.readUInt32BE(at + 8 + length), `${file} ${type} CRC`).toBe(
      crc32(png.subarray(at + 4, at + 8 + length)),
    );
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[9]], `${file}: 8-bit RGBA`).toEqual([8, 6]);
    }
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  expect(inflateSync(Buffer.concat(idat)).length).toBe(height * (width * 4 + 1));
  return { width, height };
}

describe.skipIf(missing.length > 0)('built manifests', () => {
  describe.each(BUILDS)('%s', (build) => {
    const mv3 = build === 'chrome-mv3';

    it('should ask only for the permissions features use', () => {
      const manifest = read(build);
      expect(manifest.manifest_version).toBe(mv3 ? 3 : 2);
      if (mv3) {
        expect(sorted(manifest.permissions)).toEqual(PERMISSIONS);
        expect(sorted(manifest.host_permissions)).toEqual(WALLET_ORIGINS);
        expect(sorted(manifest.optional_host_permissions)).toEqual(OPTIONAL_ORIGINS);
        expect(manifest.optional_permissions ?? []).toEqual([]);
      } else {
        expect(sorted(manifest.permissions)).toEqual(sorted([...PERMISSIONS, ...WALLET_ORIGINS]));
        expect(sorted(manifest.optional_permissions)).toEqual(OPTIONAL_ORIGINS);
      }
    });

    it('should run content scripts on the four X origins only, in the top frame', () => {
      const manifest = read(build);
      const scripts = manifest.content_scripts ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const script of scripts) {
        expect(sorted(script.matches)).toEqual(sorted(X_ORIGINS));
        expect(script.all_frames ?? false).toBe(false);
      }
    });

    it('should expose no extension page to websites', () => {
      const manifest = read(build);
      // The confirm window must never be framable by x.com (docs/ARCHITECTURE.md "Trust boundaries").
      expect(manifest.web_accessible_resources ?? []).toEqual([]);
    });

    it('should have a name and a description in English and French', () => {
      const manifest = read(build);
      expect(manifest.default_locale).toBe('en');
      for (const locale of ['en', 'fr']) {
        const file = join(dir(build), '_locales', locale, 'messages.json');
        const messages = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { message: string }>;
        for (const field of [manifest.name, manifest.description]) {
          const key = /^__MSG_(\w+)__$/.exec(field)?.[1];
          expect(key, `${field} should be a locale message`).toBeDefined();
          expect(messages[key ?? '']?.message.trim(), `${locale} ${key}`).toBeTruthy();
        }
      }
    });

    it('should ship the 16, 32, 48 and 128 px icons, and a toolbar icon', () => {
      const manifest = read(build);
      const icons = manifest.icons ?? {};
      expect(Object.keys(icons).sort()).toEqual(['128', '16', '32', '48']);
      for (const [size, path] of Object.entries(icons)) {
        expect(pngSize(join(dir(build), path))).toEqual({ width: Number(size), height: Number(size) });
      }
      const action = mv3 ? manifest.action : manifest.browser_action;
      expect(action?.default_popup).toBe('popup.html');
      for (const [size, path] of Object.entries(action?.default_icon ?? {})) {
        expect(pngSize(join(dir(build), path)).width).toBe(Number(size));
      }
      expect(Object.keys(action?.default_icon ?? {})).toContain('16');
    });
  });

  it('should let no website and no other extension message the Chrome build', () => {
    const connectable = read('chrome-mv3').externally_connectable;
    // Without `matches` no web page may connect; an empty `ids` shuts out every other extension.
    expect(connectable).toEqual({ ids: [] });
  });

  it('should give Firefox a stable add-on id and declare the data it collects', () => {
    const gecko = read('firefox-mv2').browser_specific_settings?.gecko;
    expect(gecko?.id).toMatch(/^[a-z0-9][a-z0-9._-]*@[a-z0-9][a-z0-9.-]*$/);
    const required = gecko?.data_collection_permissions?.required ?? [];
    expect(required.length).toBeGreaterThan(0);
    // Either "none" alone, or real categories without "none".
    if (required.includes('none')) expect(required).toEqual(['none']);
  });
});
