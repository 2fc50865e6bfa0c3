import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

/** Where browser tests keep their screenshots (an artefact of the run, not of the repository). */
export const SCREENSHOTS = path.resolve(__dirname, '../../test-results/screenshots');

/** Saves a full-page screenshot as test-results/screenshots/<name>.png. */
export async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
