import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startTestApp, type TestApp } from './app';
import { launchBrowser, signedInPage } from './chromium';

export { CHROMIUM, launchBrowser, signedInPage } from './chromium';

/**
 * For a browser test file: the app on the file's test database and one Chromium, started once and closed after.
 * `browser.newPage()` opens a page signed in as the app's administrator; `app.userSession()` makes other users.
 */
export function useBrowserApp(databaseUrl: () => string): () => { base: string; browser: Browser; raw: Browser; app: TestApp } {
  let app: TestApp | undefined;
  let browser: Browser | undefined;
  let signedIn: Browser | undefined;
  beforeAll(async () => {
    app = await startTestApp(databaseUrl());
    browser = await launchBrowser();
    const b = browser;
    const a = app;
    signedIn = { newPage: (opts?: BrowserContextOptions) => signedInPage(b, a.base, a.session, opts) } as unknown as Browser;
  });
  afterAll(async () => {
    await browser?.close();
    await app?.app.close();
  });
  return () => {
    if (!browser || !app || !signedIn) throw new Error('browser not started');
    return { base: app.base, browser: signedIn, raw: browser, app };
  };
}

/** A new page at `path` (1600×1000) and the page errors it raises, for tests to assert none. */
export async function openPage(env: { base: string; browser: Browser }, path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await env.browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(env.base + path);
  return { page, errors };
}
