/**
 * Offline X for Playwright: routes https://x.com/**, https://twitter.com/** and their mobile.* hosts to the
 * fixture app in tests/fixtures/x/ (a small SPA rendering X's DOM from data; see app.ts there).
 *
 * API (for every spec and bench that needs X pages):
 *
 *   import { routeX, X } from './x-pages';
 *   await routeX(context);                                  // or routeX(page); once, before navigating
 *   await routeX(context, { lang: 'fr', theme: 'dark' });   // config: Partial<XConfig>, see below
 *   await page.goto(`${X}/home`);                           // also /compose/post, /alice, /tp_me (own profile),
 *                                                           // /alice/status/<id>, /intent/post?text=…, /explore
 *   await page.evaluate(() => window.__x!.audit());         // test hooks, typed as XHooks (app.ts)
 *
 * XConfig: `me` (signed-in handle, default 'tp_me'; null = logged out), `lang` ('en' | 'fr'), `theme`
 * ('light' | 'dark'), `count` (home posts, default 300), `pageSize` (posts per load, 20), `loadDelay` (ms, 30),
 * `recycle` (reuse unmounted cell nodes for other posts), `overscan` (px rendered around the viewport).
 *
 *   await routeX(context, {}, { apiUrl: fx.url, accessToken }); // Post buttons post to a stand-in for X (below)
 *
 * Hooks on `window.__x`: `audit()` (each post on screen: id, kind, expected payee, Pay hosts and their button
 * names), `navigate(path)` (pushState, like X's links), `scrollToIndex(i)`, `loadedCount()`, `renderedKeys()`,
 * `reuseCell(postId, homeIndex)`, `rerender(postId, 'bar' | 'children' | 'article')`, `staleProfileHeader(h)`,
 * `setTheme(t)`, `setLang(l)`, `postIds()`, and the records `posted` (texts submitted with a Post button —
 * the extension must never submit), `sent` (with a backend: X's answer to each post) and `opened` (posts opened
 * by X's own article click/Enter handler).
 *
 * With a backend (tests/fake-x), a Post button does what X's web app does: it sends the composer's text to a
 * same-origin API (`POST https://x.com/i/api/2/tweets`, `{ text, reply? }`), which is forwarded here to the
 * stand-in's `POST /2/tweets` with the signed-in user's token, as X's own front end would act for the session:
 * the stand-in records it as a post by that user and publishes it (stream, search, webhooks).
 * Data helpers (`makePost`, `postId`, `payeeOf`, `ME`, `USERS` …) are in tests/fixtures/x/data.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page, Route } from '@playwright/test';
import ts from 'typescript';
import type { XConfig } from '../fixtures/x/app';

export type { AuditRow, XConfig, XHooks } from '../fixtures/x/app';

/** The origin the specs navigate to. */
export const X = 'https://x.com';

const FIXTURE_DIR = path.resolve(import.meta.dirname, '../fixtures/x');
const X_URL_RE = /^https:\/\/(?:mobile\.)?(?:x|twitter)\.com\//;
/** The same-origin address the offline pages' Post buttons send posts to when there is a backend. */
const POST_API = '/i/api/2/tweets';

/** A stand-in for X the offline pages post to, and the signed-in user's access token there. */
export interface XBackend {
  apiUrl: string;
  accessToken: string;
}
const compiled = new Map<string, string>();

/** The fixture module `name` (app, data, render, composer), transpiled from TypeScript once per process. */
function fixtureModule(name: string): string | null {
  if (!/^[a-z-]+$/.test(name)) return null;
  const cached = compiled.get(name);
  if (cached) return cached;
  const file = path.join(FIXTURE_DIR, `${name}.ts`);
  if (!fs.existsSync(file)) return null;
  const out = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    fileName: file,
  }).outputText;
  compiled.set(name, out);
  return out;
}

function page(config: Partial<XConfig>): string {
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html>
<html dir="ltr" lang="${config.lang ?? 'en'}"><head><meta charset="utf-8"><title>X</title>
<script>window.__X_CONFIG__ = ${json};</script>
<script type="module">import { boot } from '/__fixture/app'; boot(window);</script>
</head><body style="background-color: #FFFFFF;"></body></html>`;
}

async function serve(route: Route, config: Partial<XConfig>, backend?: XBackend): Promise<void> {
  const url = new URL(route.request().url());
  if (backend && url.pathname === POST_API && route.request().method() === 'POST') {
    const res = await fetch(`${backend.apiUrl}/2/tweets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${backend.accessToken}`, 'content-type': 'application/json' },
      body: route.request().postData() ?? '',
    });
    return route.fulfill({ status: res.status, contentType: 'application/json', body: await res.text() });
  }
  if (url.pathname.startsWith('/__fixture/')) {
    const body = fixtureModule(url.pathname.slice('/__fixture/'.length));
    if (body === null) return route.fulfill({ status: 404, body: 'no such fixture module' });
    return route.fulfill({ status: 200, contentType: 'text/javascript; charset=utf-8', body });
  }
  if (/\.(png|jpe?g|gif|svg|ico|webp|woff2?|css|js)$/.test(url.pathname))
    return route.fulfill({ status: 404, body: '' });
  return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: page(config) });
}

/**
 * Serve the offline X app for every X URL opened in `target` (a browser context or a single page); with a
 * `backend`, its Post buttons post to that stand-in for X.
 */
export async function routeX(
  target: BrowserContext | Page,
  config: Partial<XConfig> = {},
  backend?: XBackend,
): Promise<void> {
  const pageConfig = backend ? { ...config, postApi: POST_API } : config;
  await target.route(X_URL_RE, (route) => serve(route, pageConfig, backend));
}
