import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserApp } from '../support/browser';
import { useTestDatabase } from '../support/db';
import { caller } from '../support/http';
import { SCREENSHOTS, shot } from '../support/screenshots';

/**
 * The briefing and export buttons of the scenario and compare pages in Chromium on the demo dataset: each downloads
 * the API's file under its Chinese name; a refused download shows the API's message.
 */
describe('简报与导出 (briefing and export buttons) in Chromium', () => {
  const db = useTestDatabase({ demo: true });
  const env = useBrowserApp(() => db().url);
  const call = caller(() => env().base);

  /** Clicks a dropdown entry and returns the saved download. */
  async function downloadVia(page: Page, menu: string, item: string): Promise<{ name: string; bytes: Buffer }> {
    await page.getByTestId(menu).locator('button').click();
    const entry = page.getByTestId(item);
    await entry.waitFor({ state: 'visible' });
    const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), entry.click()]);
    const file = path.join(SCREENSHOTS, '..', 'downloads', dl.suggestedFilename());
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await dl.saveAs(file);
    await entry.waitFor({ state: 'hidden' }); // the menu closed again before the next one opens
    return { name: dl.suggestedFilename(), bytes: fs.readFileSync(file) };
  }

  it('downloads the briefing and both Excel files from the scenario page, and a briefing of either scenario from the compare page', async () => {
    const r = (await call('POST', '/api/rounds', { regionCode: '320500', year: 2025, name: '苏州市2025年医疗服务价格调整', effectiveDate: '2025-01-01' })).body;
    const a = (await call('POST', `/api/rounds/${r.id}/scenarios`, { name: '方案甲' })).body;
    const b = (await call('POST', `/api/rounds/${r.id}/scenarios`, { name: '方案乙' })).body;
    const rows = (await call('GET', `/api/scenarios/${a.id}/impact/items?scope=all`)).body as { itemCode: string; level: number; family: string }[];
    const labour = rows.filter((x) => x.family === 'labour').slice(0, 12);
    const equipment = rows.filter((x) => x.family === 'equipment').slice(0, 6);
    const changes = [...labour.map((x) => ({ itemCode: x.itemCode, level: x.level, pctChange: 10 })), ...equipment.map((x) => ({ itemCode: x.itemCode, level: x.level, pctChange: -10 }))];
    expect((await call('PUT', `/api/scenarios/${a.id}/changes`, { version: 1, changes })).status).toBe(200);
    expect((await call('PUT', `/api/scenarios/${b.id}/changes`, { version: 1, changes: changes.slice(0, 5) })).status).toBe(200);

    const page = await env().browser.newPage({ viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${env().base}/rounds/${r.id}/scenarios/${a.id}`);
    await page.locator('[data-chart=editor-categories][data-finished=true]').waitFor({ timeout: 60_000 });

    const pdf = await downloadVia(page, 'exports', 'export-briefing');
    expect(pdf.name).toBe('苏州市2025年医疗服务价格调整-方案甲-测算简报.pdf');
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pdfFile = path.join(SCREENSHOTS, '..', 'downloads', pdf.name);
    expect(execFileSync('pdftotext', ['-enc', 'UTF-8', pdfFile, '-'], { encoding: 'utf8' })).toContain('调价方案“方案甲”测算简报');

    const items = await downloadVia(page, 'exports', 'export-items');
    expect(items.name).toBe('苏州市2025年医疗服务价格调整-方案甲-调价项目表.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(items.bytes as unknown as ArrayBuffer);
    expect(wb.worksheets[0].rowCount - 1).toBe(new Set(changes.map((c) => c.itemCode)).size);

    const impact = await downloadVia(page, 'exports', 'export-impact');
    expect(impact.name).toBe('苏州市2025年医疗服务价格调整-方案甲-影响测算表.xlsx');

    await page.getByTestId('exports').locator('button').click();
    await page.getByTestId('export-briefing').waitFor({ state: 'visible' });
    await shot(page, 'scenario-exports-menu');
    // a second click on the trigger closes the menu (Escape only closes it while the focus is inside)
    await page.getByTestId('exports').locator('button').click();
    await page.getByTestId('export-briefing').waitFor({ state: 'hidden' });

    await page.goto(`${env().base}/rounds/${r.id}/compare?scenarios=${a.id},${b.id}`);
    await page.locator('[data-testid=compare-figures]').waitFor();
    const second = await downloadVia(page, 'compare-briefing', `briefing-${b.id}`);
    expect(second.name).toBe('苏州市2025年医疗服务价格调整-方案乙-测算简报.pdf');
    await page.getByTestId('compare-briefing').locator('button').click();
    await page.getByTestId(`briefing-${a.id}`).waitFor({ state: 'visible' });
    await shot(page, 'compare-briefing-menu');
    await page.getByTestId('compare-briefing').locator('button').click();
    await page.getByTestId(`briefing-${a.id}`).waitFor({ state: 'hidden' });

    // a refused download: the API's message, no file
    await page.route(`**/api/rounds/${r.id}/briefing.pdf?scenario=${b.id}`, (route) =>
      route.fulfill({ status: 404, contentType: 'application/json', body: JSON.stringify({ statusCode: 404, code: 'SCENARIO.NOT_FOUND', message: `调价方案 ${b.id} 不存在 (unknown scenario)` }) }),
    );
    await page.getByTestId('compare-briefing').locator('button').click();
    await page.getByTestId(`briefing-${b.id}`).waitFor({ state: 'visible' });
    await page.getByTestId(`briefing-${b.id}`).click();
    await expect.poll(() => page.locator('.el-message--error').innerText()).toContain(`调价方案 ${b.id} 不存在`);
    expect(errors).toEqual([]);
  });
});
