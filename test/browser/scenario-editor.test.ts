import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { formatFenAuto } from '../../api/src/domain/money';
import { priceAfterPercent } from '../../api/src/domain/pricing';
import { useBrowserApp } from '../support/browser';
import { shot } from '../support/screenshots';
import { useTestDatabase } from '../support/db';
import { caller } from '../support/http';

async function chartSeries(page: Page, name: string): Promise<{ name: string; data: number[] }[]> {
  await page.locator(`[data-chart=${name}][data-finished=true]`).waitFor({ timeout: 20_000 });
  return page.evaluate((n) => {
    const charts = (globalThis as unknown as { __msprCharts: Record<string, { getOption(): { series: { name: string; data: number[] }[] } }> }).__msprCharts;
    return charts[n].getOption().series.map((s) => ({ name: s.name, data: s.data }));
  }, name);
}

describe('方案 (scenario editor) in Chromium on the demo dataset', () => {
  const db = useTestDatabase({ demo: true });
  const env = useBrowserApp(() => db().url);
  const call = caller(() => env().base);

  it('edits prices with the impact recomputed in the browser, equal to the server after saving; a stale save keeps the edits', async () => {
    const r = await call('POST', '/api/rounds', { regionCode: '320500', year: 2025, name: '编辑器测试轮次', effectiveDate: '2025-01-01' });
    const sc = (await call('POST', `/api/rounds/${r.body.id}/scenarios`, { name: '编辑器方案' })).body;
    const items = ((await call('GET', `/api/scenarios/${sc.id}/impact/items?scope=all`)).body as { itemCode: string; level: number; oldPriceFen: number; quantity: number; family: string }[])
      .filter((x) => x.quantity > 0 && x.oldPriceFen >= 1000);
    const [a, b] = [items.find((x) => x.family === 'labour')!, items.find((x) => x.family === 'equipment')!];

    const page = await env().browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const url = `${env().base}/rounds/${r.body.id}/scenarios/${sc.id}`;
    await page.goto(url);
    await expect.poll(() => page.getByTestId('panel-net').textContent(), { timeout: 20_000 }).toBe(formatFenAuto(0));

    // raise a by 1.00 元 at its level: the panel's net moves by 100 fen × its base volume, before any save
    await page.getByTestId('search').fill(a.itemCode);
    const priceA = page.getByTestId(`price-${a.itemCode}-${a.level}`);
    await priceA.fill(((a.oldPriceFen + 100) / 100).toFixed(2));
    await priceA.press('Enter');
    await expect.poll(() => page.getByTestId('panel-net').textContent()).toBe(formatFenAuto(100 * a.quantity));
    expect(await page.getByTestId('dirty').count()).toBe(1);
    // cut b by 10% through the % cell
    await page.getByTestId('search').fill(b.itemCode);
    const pctB = page.getByTestId(`pct-${b.itemCode}-${b.level}`);
    await pctB.fill('-10');
    await pctB.press('Enter');
    const bNew = priceAfterPercent(b.oldPriceFen, -10); // the API's rule for a change in %
    const expectedNet = 100 * a.quantity + (bNew - b.oldPriceFen) * b.quantity;
    await expect.poll(() => page.getByTestId('panel-net').textContent()).toBe(formatFenAuto(expectedNet));
    const panelFund = await page.getByTestId('panel-fund').textContent();

    // the save writes the two edited rows only (PATCH), not the whole list
    const writes: { method: string; body: { set?: unknown[]; remove?: unknown[] } }[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith(`/api/scenarios/${sc.id}/changes`)) writes.push({ method: r.method(), body: JSON.parse(r.postData() ?? '{}') });
    });
    await page.getByTestId('save').click();
    await expect.poll(() => page.getByTestId('dirty').count()).toBe(0);
    expect(writes.map((w) => [w.method, w.body.set?.length, w.body.remove?.length])).toEqual([['PATCH', 2, 0]]);
    const api = (await call('GET', `/api/scenarios/${sc.id}/impact`)).body;
    expect(api.summary.netFen).toBe(expectedNet);
    expect(await page.getByTestId('panel-net').textContent()).toBe(formatFenAuto(api.summary.netFen));
    expect(panelFund).toBe(formatFenAuto(api.summary.fundFen));
    // the charts follow the panel's figures within 250 ms
    await expect.poll(async () => (await chartSeries(page, 'editor-levels'))[2].data).toEqual(api.summary.byLevel.map((g: { netFen: number }) => Math.round(g.netFen / 10_000) / 100));
    await page.getByTestId('search').fill('');
    await shot(page, 'editor-1600');
    await page.setViewportSize({ width: 1280, height: 800 });
    await shot(page, 'editor-1280');

    // a deep link with filters reopens the same view: only the changed rows
    await page.goto(`${url}?changed=1`);
    await expect.poll(() => page.getByTestId('row-count').textContent(), { timeout: 20_000 }).toMatch(/^2 \//);

    // someone else saves meanwhile (a second client); our save is refused with 409 and the dialog keeps our edit
    await page.getByTestId(`price-${a.itemCode}-${a.level}`).fill(((a.oldPriceFen + 200) / 100).toFixed(2));
    await page.getByTestId(`price-${a.itemCode}-${a.level}`).press('Enter');
    const current = (await call('GET', `/api/scenarios/${sc.id}`)).body;
    const other = await call('PUT', `/api/scenarios/${sc.id}/changes`, { version: current.version, changes: [{ itemCode: a.itemCode, level: a.level, newPriceFen: a.oldPriceFen + 1 }] });
    expect(other.status).toBe(200);
    await page.getByTestId('save').click();
    const dialog = page.locator('.el-dialog').filter({ hasText: '方案已被他人修改' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.innerText()).toContain('已被他人修改');
    await page.getByTestId('conflict-keep').click();
    await expect.poll(() => page.url()).not.toBe(`${url}?changed=1`);
    const newId = Number(page.url().match(/scenarios\/(\d+)/)![1]);
    expect(newId).not.toBe(sc.id);
    const kept = (await call('GET', `/api/scenarios/${newId}`)).body;
    expect(kept.changes.find((c: { itemCode: string; level: number }) => c.itemCode === a.itemCode && c.level === a.level).newPriceFen).toBe(a.oldPriceFen + 200);
    // the other client's save stands on the original scenario
    expect((await call('GET', `/api/scenarios/${sc.id}`)).body.changes).toEqual([expect.objectContaining({ itemCode: a.itemCode, newPriceFen: a.oldPriceFen + 1 })]);
    expect(errors).toEqual([]);
  });
});
