import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startTestApp } from './app';
import { launchBrowser } from './chromium';

export { CHROMIUM, launchBrowser } from './chromium';

/** For a browser test file: the app on the file's test database and one Chromium, started once and closed after. */
export function useBrowserApp(databaseUrl: () => string): () => { base: string; browser: Browser } {
  let app: { close(): Promise<void> } | undefined;
  let base = '';
  let browser: Browser | undefined;
  beforeAll(async () => {
    const started = await startTestApp(databaseUrl());
    app = started.app;
    base = started.base;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });
  return () => {
    if (!browser) throw new Error('browser not started');
    return { base, browser };
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
