import fs from 'node:fs';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import type { Session } from './http';

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

/** A page whose browser context carries `session`'s cookie: it opens signed in. */
export async function signedInPage(browser: Browser, base: string, session: Session, opts: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext(opts);
  const [name, ...value] = session.cookie.split('=');
  await context.addCookies([{ name, value: value.join('='), url: base, httpOnly: true, sameSite: 'Strict' }]);
  return context.newPage();
}
