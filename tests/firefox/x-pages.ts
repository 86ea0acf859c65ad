/**
 * The offline X pages (tests/fixtures/x) in Firefox, through puppeteer's BiDi request interception.
 *
 * The fixture server is tests/e2e/x-pages.ts's `routeX`, unchanged: it is written for Playwright's
 * `route()`/`Route.fulfill()`, so {@link routeXInFirefox} hands it a minimal stand-in with those two methods,
 * backed by `HTTPRequest.respond()`. Any other request (the wallet server on 127.0.0.1) goes to the network.
 */
import type { BrowserContext, Route } from '@playwright/test';
import type { HTTPRequest, Page } from 'puppeteer-core';
import { routeX, type XConfig } from '../e2e/x-pages';

type RouteHandler = (route: Route) => Promise<void> | void;

interface Fulfil {
  status?: number;
  contentType?: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
}

/** Serves every x.com / twitter.com request of `page` from the fixture app, with `config`. */
export async function routeXInFirefox(page: Page, config: Partial<XConfig> = {}): Promise<void> {
  const routes: { pattern: RegExp; handler: RouteHandler }[] = [];
  const target = {
    route: async (pattern: RegExp, handler: RouteHandler) => {
      routes.push({ pattern, handler });
    },
  };
  await routeX(target as unknown as BrowserContext, config);
  await page.setRequestInterception(true);
  page.on('request', (request: HTTPRequest) => {
    const url = request.url();
    const match = routes.find((r) => r.pattern.test(url));
    if (!match) {
      void request.continue().catch(() => undefined);
      return;
    }
    const route = {
      request: () => ({ url: () => url, method: () => request.method() }),
      fulfill: (f: Fulfil) =>
        request.respond({
          status: f.status ?? 200,
          contentType: f.contentType ?? 'text/plain',
          headers: f.headers,
          body: f.body ?? '',
        }),
      continue: () => request.continue(),
      abort: () => request.abort(),
    };
    void Promise.resolve(match.handler(route as unknown as Route)).catch((error: unknown) => {
      console.error(`serving ${url} failed:`, error);
    });
  });
}
