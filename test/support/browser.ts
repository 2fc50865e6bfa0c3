import fs from 'node:fs';
import { chromium, Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startTestApp } from './app';

/** Debian's Chromium (apt-get install -y chromium), driven by playwright-core. Browser tests are required. */
export const CHROMIUM = '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`浏览器测试需要 Chromium：请运行 apt-get install -y chromium (browser tests need ${CHROMIUM})`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

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
