import type { Browser } from 'playwright-core';
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
