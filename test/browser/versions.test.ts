import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { formatFenAuto } from '../../api/src/domain/money';
import { priceAfterPercent } from '../../api/src/domain/pricing';
import { useBrowserApp } from '../support/browser';
import { useTestDatabase } from '../support/db';
import { caller } from '../support/http';
import { shot } from '../support/screenshots';

/**
 * 版本 (the scenario's versions) in the editor, in Chromium on the demo dataset: two saves, the list, two versions
 * compared (items and impact difference against the API's impacts after each save), a restore with its confirmation,
 * and the editor showing the restored prices.
 */
describe('方案版本 (scenario versions) in the editor', () => {
  const db = useTestDatabase({ demo: true });
  const env = useBrowserApp(() => db().url);
  const call = caller(() => env().base);

  async function setPrice(page: Page, item: { itemCode: string; level: number }, yuan: string): Promise<void> {
    await page.getByTestId('search').fill(item.itemCode);
    const cell = page.getByTestId(`price-${item.itemCode}-${item.level}`);
    await cell.fill(yuan);
    await cell.press('Enter');
  }
  async function save(page: Page): Promise<void> {
    await page.getByTestId('save').click();
    await expect.poll(() => page.getByTestId('dirty').count()).toBe(0);
  }

  it('edits twice, compares the two saves, restores the first and shows its prices', async () => {
    const r = await call('POST', '/api/rounds', { regionCode: '320500', year: 2025, name: '版本测试轮次', effectiveDate: '2025-01-01' });
    const sc = (await call('POST', `/api/rounds/${r.body.id}/scenarios`, { name: '版本测试方案' })).body;
    const items = ((await call('GET', `/api/scenarios/${sc.id}/impact/items?scope=all`)).body as { itemCode: string; level: number; oldPriceFen: number; quantity: number; family: string }[])
      .filter((x) => x.quantity > 0 && x.oldPriceFen >= 1000);
    const [a, b] = [items.find((x) => x.family === 'labour')!, items.find((x) => x.family === 'equipment')!];

    const page = await env().browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${env().base}/rounds/${r.body.id}/scenarios/${sc.id}`);
    await expect.poll(() => page.getByTestId('panel-net').textContent(), { timeout: 20_000 }).toBe(formatFenAuto(0));

    // v2: a up by 1.00 元; v3: a up by 3.00 元 and b cut by 10%
    await setPrice(page, a, ((a.oldPriceFen + 100) / 100).toFixed(2));
    await save(page);
    const impact2 = (await call('GET', `/api/scenarios/${sc.id}/impact`)).body.summary;
    await setPrice(page, a, ((a.oldPriceFen + 300) / 100).toFixed(2));
    const bNew = priceAfterPercent(b.oldPriceFen, -10);
    await setPrice(page, b, (bNew / 100).toFixed(2));
    await save(page);
    const impact3 = (await call('GET', `/api/scenarios/${sc.id}/impact`)).body.summary;
    expect((await call('GET', `/api/scenarios/${sc.id}`)).body.version).toBe(3);

    // the list: three versions, newest first, with who and what
    await page.getByTestId('open-versions').click();
    const drawer = page.getByTestId('versions-drawer');
    await expect.poll(() => drawer.locator('[data-version]').allTextContents()).toEqual(['第 3 版', '第 2 版', '第 1 版']);
    expect(await drawer.locator('[data-action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')))).toEqual(['patch', 'patch', 'create']);
    expect(await drawer.getByText('测试管理员').count()).toBe(3);

    // one version's changes
    await page.getByTestId('view-2').click();
    await expect.poll(() => page.getByTestId('version-changes').locator('tbody tr').count()).toBe(1);
    expect(await page.getByTestId('version-changes').innerText()).toContain(formatFenAuto(a.oldPriceFen + 100));
    await shot(page, 'versions-view-1600');

    // compare v2 and v3: a re-priced, b added; the impact difference is impact(v3) − impact(v2) from the API
    await page.getByTestId('pick-2').click();
    await page.getByTestId('pick-3').click();
    await page.getByTestId('compare-versions').click();
    await expect.poll(() => page.getByTestId('version-diff-items').locator('[data-kind]').count()).toBe(2);
    const kinds = await page.getByTestId('version-diff-items').locator('[data-kind]').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds.sort()).toEqual(['added', 'changed']);
    expect(await page.locator(`[data-new-price="${a.itemCode}-${a.level}"]`).textContent()).toBe(formatFenAuto(a.oldPriceFen + 300));
    expect(await page.locator(`[data-new-price="${b.itemCode}-${b.level}"]`).textContent()).toBe(formatFenAuto(bNew));
    const netDiff = impact3.netFen - impact2.netFen;
    expect(await page.getByTestId('version-diff-figures').locator('[data-figure=netFen]').textContent()).toBe((netDiff > 0 ? '+' : '') + formatFenAuto(netDiff));
    const fundDiff = impact3.fundFen - impact2.fundFen;
    expect(await page.getByTestId('version-diff-figures').locator('[data-figure=fundFen]').textContent()).toBe((fundDiff > 0 ? '+' : '') + formatFenAuto(fundDiff));
    await shot(page, 'versions-compare-1600');
    await page.setViewportSize({ width: 1280, height: 800 });
    await shot(page, 'versions-compare-1280');
    await page.setViewportSize({ width: 1600, height: 1000 });

    // restore v2 after the confirmation: version 4 holds v2's list, and the editor shows v2's prices
    await page.getByTestId('restore-2').click();
    const box = page.locator('.el-message-box');
    await expect.poll(() => box.isVisible()).toBe(true);
    expect(await box.innerText()).toContain('第 4 版');
    await box.locator('.el-button--primary').click();
    await expect.poll(() => drawer.locator('[data-version]').first().textContent()).toBe('第 4 版');
    expect(await drawer.locator('[data-action]').first().textContent()).toBe('恢复自第 2 版');
    const now = (await call('GET', `/api/scenarios/${sc.id}`)).body;
    expect(now.version).toBe(4);
    expect(now.changes.map((c: { itemCode: string; level: number; newPriceFen: number }) => [c.itemCode, c.level, c.newPriceFen])).toEqual([[a.itemCode, a.level, a.oldPriceFen + 100]]);
    await shot(page, 'versions-restored-1600');
    await page.locator('.el-drawer__close-btn').click();
    await expect.poll(() => drawer.isVisible()).toBe(false);
    await page.getByTestId('search').fill(a.itemCode);
    await expect.poll(() => page.getByTestId(`price-${a.itemCode}-${a.level}`).inputValue()).toBe(((a.oldPriceFen + 100) / 100).toFixed(2));
    await page.getByTestId('search').fill(b.itemCode);
    await expect.poll(() => page.getByTestId(`price-${b.itemCode}-${b.level}`).inputValue()).toBe((b.oldPriceFen / 100).toFixed(2));
    await expect.poll(() => page.getByTestId('panel-net').textContent()).toBe(formatFenAuto(impact2.netFen));
    expect(await page.getByTestId('dirty').count()).toBe(0);
    await page.getByTestId('search').fill('');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByTestId('open-versions').click();
    await expect.poll(() => drawer.isVisible()).toBe(true);
    await shot(page, 'versions-list-1280');
    expect(errors).toEqual([]);
  });
});
