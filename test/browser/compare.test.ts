import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { formatFenAuto } from '../../api/src/domain/money';
import { useBrowserApp } from '../support/browser';
import { shot } from '../support/screenshots';
import { useTestDatabase } from '../support/db';
import { caller } from '../support/http';

/** Reads a rendered chart's option back once ECharts has finished drawing it. */
async function chartOption(page: Page, name: string): Promise<{ series: { name: string; data: number[] }[]; xAxis: { data: string[] }[] }> {
  await page.locator(`[data-chart=${name}][data-finished=true]`).waitFor({ timeout: 20_000 });
  return page.evaluate((n) => {
    const charts = (globalThis as unknown as { __msprCharts: Record<string, { getOption(): unknown }> }).__msprCharts;
    const o = charts[n].getOption() as { series: { name: string; data: number[] }[]; xAxis: { data: string[] }[] };
    return { series: o.series.map((s) => ({ name: s.name, data: s.data })), xAxis: o.xAxis.map((x) => ({ data: x.data })) };
  }, name);
}

describe('对比 (compare scenarios) in Chromium on the demo dataset', () => {
  const db = useTestDatabase({ demo: true });
  const env = useBrowserApp(() => db().url);
  const call = caller(() => env().base);

  it('shows two scenarios side by side with the API\'s figures, bars and differing items, and reopens from its link', async () => {
    const r = await call('POST', '/api/rounds', { regionCode: '320500', year: 2025, name: '比较测试轮次', effectiveDate: '2025-01-01' });
    expect(r.status).toBe(201);
    const a = (await call('POST', `/api/rounds/${r.body.id}/scenarios`, { name: '方案甲' })).body;
    const b = (await call('POST', `/api/rounds/${r.body.id}/scenarios`, { name: '方案乙' })).body;
    const rows = ((await call('GET', `/api/scenarios/${a.id}/impact/items?scope=all`)).body as { itemCode: string; level: number; oldPriceFen: number; family: string }[])
      .filter((x) => x.oldPriceFen > 1000);
    const labour = rows.filter((x) => x.family === 'labour').slice(0, 3);
    const equipment = rows.filter((x) => x.family === 'equipment').slice(0, 2);
    const up = (x: { itemCode: string; level: number }) => ({ itemCode: x.itemCode, level: x.level, pctChange: 10 });
    const down = (x: { itemCode: string; level: number }) => ({ itemCode: x.itemCode, level: x.level, pctChange: -10 });
    expect((await call('PUT', `/api/scenarios/${a.id}/changes`, { version: 1, changes: [...labour.map(up), ...equipment.map(down)] })).status).toBe(200);
    expect((await call('PUT', `/api/scenarios/${b.id}/changes`, { version: 1, changes: labour.slice(0, 2).map(up) })).status).toBe(200);
    const api = (await call('GET', `/api/rounds/${r.body.id}/compare?scenarios=${a.id},${b.id}`)).body;

    const page = await env().browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${env().base}/rounds/${r.body.id}/compare?scenarios=${a.id},${b.id}`);
    const net = page.locator('[data-testid=compare-figures] [data-figure=netFen]');
    await expect.poll(() => net.allInnerTexts()).toEqual(api.scenarios.map((s: { summary: { netFen: number } }) => formatFenAuto(s.summary.netFen)));
    expect(await page.locator('[data-testid=compare-figures] [data-figure=fundFen]').allInnerTexts()).toEqual(
      api.scenarios.map((s: { summary: { fundFen: number } }) => formatFenAuto(s.summary.fundFen)),
    );

    const totals = await chartOption(page, 'compare-totals');
    expect(totals.series.map((s) => s.name)).toEqual(['方案甲', '方案乙']);
    // the net bar (third figure) of each scenario is its net in 万元, rounded to 0.01
    expect(totals.series.map((s) => s.data[2])).toEqual(api.scenarios.map((s: { summary: { netFen: number } }) => Math.round(s.summary.netFen / 10_000) / 100));
    const cats = await chartOption(page, 'compare-categories');
    expect(cats.xAxis[0].data.length).toBeGreaterThan(0);

    // the items whose new prices differ: the third labour item and the two equipment items
    expect(api.items).toHaveLength(3);
    await expect.poll(() => page.locator('[data-testid=compare-items] tbody tr').count()).toBe(3);
    await shot(page, 'compare-1600');

    await page.reload();
    await expect.poll(() => net.allInnerTexts()).toEqual(api.scenarios.map((s: { summary: { netFen: number } }) => formatFenAuto(s.summary.netFen)));
    await page.setViewportSize({ width: 1280, height: 800 });
    await shot(page, 'compare-1280');

    // one scenario is not a comparison; a scenario of another round is refused with the API's reason
    await page.goto(`${env().base}/rounds/${r.body.id}/compare?scenarios=${a.id}`);
    await expect.poll(() => page.getByTestId('compare-pick').count()).toBe(1);
    await page.goto(`${env().base}/rounds/${r.body.id}/compare?scenarios=${a.id},999999`);
    await expect.poll(() => page.getByTestId('api-error').innerText()).toContain('不属于调价轮次');
    expect(errors).toEqual([]);
  });
});
