import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { formatFenAuto } from '../../api/src/domain/money';
import { useBrowserApp } from '../support/browser';
import { shot } from '../support/screenshots';
import { useTestDatabase } from '../support/db';
import { caller } from '../support/http';

interface Rendered {
  series: { name: string; type: string; data: unknown[] }[];
  xAxis: { data?: string[]; type: string }[];
  yAxis: { data?: string[]; type: string }[];
}

/** Reads a rendered chart's option back once ECharts has finished drawing it. */
async function chartOption(page: Page, name: string): Promise<Rendered> {
  await page.locator(`[data-chart=${name}][data-finished=true]`).waitFor({ timeout: 20_000 });
  return page.evaluate((n) => {
    const charts = (globalThis as unknown as { __msprCharts: Record<string, { getOption(): unknown }> }).__msprCharts;
    const o = charts[n].getOption() as Rendered;
    return {
      series: o.series.map((s) => ({ name: s.name, type: s.type, data: s.data })),
      xAxis: o.xAxis.map((x) => ({ data: x.data, type: x.type })),
      yAxis: o.yAxis.map((x) => ({ data: x.data, type: x.type })),
    };
  }, name);
}

interface CostRow {
  itemCode: string;
  name: string;
  categoryCode: string;
  level: number;
  oldPriceFen: number;
  newPriceFen: number;
  unitCostFen: number | null;
  quantity: number;
  recoveryBefore: number | null;
}

describe('分析 (analysis views) in Chromium on the demo dataset', () => {
  const db = useTestDatabase({ demo: true });
  const env = useBrowserApp(() => db().url);
  const call = caller(() => env().base);
  let round: number;
  let scenario: number;
  let raised: { itemCode: string; level: number };

  it('成本比价: the scatter, the rankings and the points by category equal the API; a bar opens the item in the editor', async () => {
    const r = await call('POST', '/api/rounds', { regionCode: '320500', year: 2025, name: '成本比价测试轮次', effectiveDate: '2025-01-01' });
    expect(r.status).toBe(201);
    round = r.body.id;
    scenario = (await call('POST', `/api/rounds/${round}/scenarios`, { name: '技术劳务提价方案' })).body.id;
    const all = (await call('GET', `/api/scenarios/${scenario}/impact/items?scope=all`)).body as { itemCode: string; level: number; oldPriceFen: number; family: string; otherRegionCount: number }[];
    const labour = all.filter((x) => x.family === 'labour' && x.level === 3 && x.oldPriceFen > 1000 && x.otherRegionCount >= 3).slice(0, 4);
    raised = labour[0];
    const put = await call('PUT', `/api/scenarios/${scenario}/changes`, { version: 1, changes: labour.map((x) => ({ itemCode: x.itemCode, level: 3, pctChange: 20 })) });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const api = (await call('GET', `/api/scenarios/${scenario}/cost-value`)).body as { rows: CostRow[]; categories: { code: string; nameZh: string }[]; byCategory: { categoryCode: string; level: number; before: { pricePerPointFen: number | null; pointedCount: number } }[] };

    const page = await env().browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${env().base}/analysis/cost?round=${round}&scenario=${scenario}`);

    // the scatter: level 3, current prices, one series per category with cost data, points [cost 元, price 元, Q, code, name, recovery]
    const level3 = api.rows.filter((x) => x.level === 3 && x.unitCostFen !== null);
    const scatter = await chartOption(page, 'cost-scatter');
    const cats = api.categories.filter((c) => level3.some((x) => x.categoryCode === c.code));
    expect(scatter.series.map((s) => s.name)).toEqual([...cats.map((c) => c.nameZh), '价格 = 成本']);
    for (const [i, c] of cats.entries()) {
      expect(scatter.series[i].data).toEqual(
        level3.filter((x) => x.categoryCode === c.code).map((x) => [x.unitCostFen! / 100, x.oldPriceFen / 100, x.quantity, x.itemCode, x.name, x.unitCostFen! > 0 ? x.oldPriceFen / x.unitCostFen! : null]),
      );
    }
    // the lowest recovery: the API's rows sorted by recovery (ties by code), the first at the top
    const lowest = level3.filter((x) => x.recoveryBefore !== null).sort((a, b) => a.recoveryBefore! - b.recoveryBefore! || (a.itemCode < b.itemCode ? -1 : 1)).slice(0, 15);
    const ranking = await chartOption(page, 'recovery-lowest');
    expect(ranking.yAxis[0].data).toEqual(lowest.map((x) => `${x.itemCode} ${x.name}`).reverse());
    expect((ranking.series[0].data as { value: number }[]).map((d) => d.value)).toEqual(lowest.map((x) => Math.round(x.recoveryBefore! * 1000) / 10).reverse());
    // price per point by category, level 3, categories with points
    const points = await chartOption(page, 'point-price');
    const groups = api.byCategory.filter((g) => g.level === 3 && g.before.pointedCount > 0 && g.before.pricePerPointFen !== null);
    expect(points.series[0].data).toEqual(groups.map((g) => Math.round(g.before.pricePerPointFen!) / 100));
    await shot(page, 'analysis-cost-1600');
    await page.setViewportSize({ width: 1280, height: 800 });
    await shot(page, 'analysis-cost-1280');
    await page.setViewportSize({ width: 1600, height: 1000 });

    // filters in the address: level 2 and after the scenario; the rankings follow
    await page.goto(`${env().base}/analysis/cost?round=${round}&scenario=${scenario}&level=2&when=after`);
    const level2 = api.rows.filter((x) => x.level === 2 && x.unitCostFen !== null);
    await expect.poll(async () => (await chartOption(page, 'cost-scatter')).series.reduce((n, s) => n + (s.type === 'scatter' ? s.data.length : 0), 0)).toBe(level2.length);

    // a click on the first (top) bar of the lowest ranking opens that item in the scenario editor at its level
    await page.goto(`${env().base}/analysis/cost?round=${round}&scenario=${scenario}`);
    await chartOption(page, 'recovery-lowest');
    const at = await page.evaluate((v) => {
      const c = (globalThis as unknown as { __msprCharts: Record<string, { convertToPixel(f: unknown, v: unknown): number[] }> }).__msprCharts['recovery-lowest'];
      const [x, y] = c.convertToPixel({ seriesIndex: 0 }, [v.value / 2, v.index]);
      return { x, y };
    }, { value: Math.round(lowest[0].recoveryBefore! * 1000) / 10, index: lowest.length - 1 });
    // the position is relative to the chart's box, as convertToPixel gives it
    await page.locator('[data-chart=recovery-lowest]').click({ position: at });
    await page.waitForURL((u) => u.pathname === `/rounds/${round}/scenarios/${scenario}`, { timeout: 10_000 });
    const url = new URL(page.url());
    expect(url.searchParams.get('q')).toBe(lowest[0].itemCode);
    expect(url.searchParams.get('level')).toBe('3');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('区域比价: the box per level and the percentile bands equal the API; the analysis area opens from the navigation', async () => {
    const spread = (await call('GET', `/api/scenarios/${scenario}/price-spread?item=${raised.itemCode}`)).body as {
      levels: { level: number; oldPriceFen: number; newPriceFen: number; changed: boolean; box: { minFen: number; q1Fen: number; medianFen: number; q3Fen: number; maxFen: number } | null }[];
    };
    const impact = (await call('GET', `/api/scenarios/${scenario}/impact?include=positions`)).body as { positionSummary: { bands: { before: number; after: number }[] } };
    const page = await env().browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${env().base}/analysis/position?round=${round}&scenario=${scenario}&item=${raised.itemCode}`);
    const box = await chartOption(page, 'price-box');
    const yuan = (f: number) => Math.round(f) / 100;
    expect(box.series[0].data).toEqual(spread.levels.map((l) => (l.box ? [l.box.minFen, l.box.q1Fen, l.box.medianFen, l.box.q3Fen, l.box.maxFen].map(yuan) : [])));
    expect(box.series[1].data).toEqual(spread.levels.map((l) => [box.xAxis[0].data![spread.levels.indexOf(l)], yuan(l.oldPriceFen)]));
    expect(box.series[2].data).toEqual(spread.levels.filter((l) => l.changed).map((l) => [box.xAxis[0].data![spread.levels.indexOf(l)], yuan(l.newPriceFen)]));
    const bands = await chartOption(page, 'position-bands');
    expect(bands.series.map((s) => s.data)).toEqual([impact.positionSummary.bands.map((b) => b.before), impact.positionSummary.bands.map((b) => b.after)]);
    await expect.poll(() => page.locator('[data-testid=position-top] tbody tr').count()).toBe(4);
    await shot(page, 'analysis-position-1600');
    await page.setViewportSize({ width: 1280, height: 800 });
    await shot(page, 'analysis-position-1280');

    // an unknown item code is answered with the API's reason, the rest of the page stays
    await page.goto(`${env().base}/analysis/position?round=${round}&scenario=${scenario}&item=NOPE-1`);
    await expect.poll(() => page.getByTestId('api-error').first().innerText()).toContain('没有价格');

    // from the navigation: 分析 opens 成本比价 with a round and a scenario chosen, and the tabs carry them
    await page.goto(`${env().base}/`);
    await page.locator('[data-nav=analysis]').click();
    await page.waitForURL((u) => u.pathname === '/analysis/cost' && u.searchParams.has('round') && u.searchParams.has('scenario'), { timeout: 10_000 });
    await page.locator('[data-view=position]').click();
    await page.waitForURL((u) => u.pathname === '/analysis/position' && u.searchParams.has('scenario'), { timeout: 10_000 });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('目录: the guideline items with their carried-over prices and the report equal the API; the search by an old code narrows them', async () => {
    type Item = { seq: number; name: string; sources: { code: string }[]; levels: Record<'3' | '2' | '1', { priceFen: number | null }> };
    const api = (await call('GET', '/api/regions/320500/catalogue?date=2024-12-31')).body as { items: Item[]; totalCount: number; report: { withoutMapping: string[]; withUnresolved: unknown[] } };
    const page = await env().browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${env().base}/analysis/catalogue?region=320500&date=2024-12-31`);
    const rows = page.locator('[data-testid=catalogue-items] tr.catalogue-row');
    await expect.poll(() => rows.count()).toBe(api.items.length);
    const level3 = () => page.locator('[data-testid=catalogue-items] [data-carried$="-3"]').allInnerTexts();
    expect(await level3()).toEqual(api.items.map((x) => (x.levels['3'].priceFen === null ? '—' : formatFenAuto(x.levels['3'].priceFen))));
    expect(await page.locator('[data-report=total] ').innerText()).toBe(String(api.totalCount));
    expect(await page.locator('[data-report=withoutMapping] b').innerText()).toBe(String(api.report.withoutMapping.length));
    // the mapping rows of the first item in its expanded row
    await rows.first().locator('.el-table__expand-icon').click();
    await expect.poll(() => page.locator('[data-mappings] tbody tr').count()).toBeGreaterThan(0);
    await shot(page, 'analysis-catalogue-1600');
    await page.setViewportSize({ width: 1280, height: 800 });
    await shot(page, 'analysis-catalogue-1280');

    const code = api.items.find((x) => x.sources.length > 0)!.sources[0].code;
    const filtered = (await call('GET', `/api/regions/320500/catalogue?date=2024-12-31&q=${code}`)).body as { items: Item[] };
    await page.getByTestId('catalogue-search').fill(code);
    await page.waitForURL((u) => u.searchParams.get('q') === code, { timeout: 10_000 });
    await expect.poll(() => rows.count()).toBe(filtered.items.length);
    expect(filtered.items.length).toBeLessThan(api.items.length);
    await page.reload();
    await expect.poll(() => rows.count()).toBe(filtered.items.length);
    expect(await page.getByTestId('catalogue-search').inputValue()).toBe(code);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('监测: each month\'s actual and forecast equal the API, months beyond the threshold the user sets are flagged', async () => {
    const r2 = (await call('GET', '/api/rounds?region=320500&kind=historic&year=2024')).body[0] as { id: number };
    const api = (await call('GET', `/api/rounds/${r2.id}/monitoring/months?year=2024`)).body as { total: { month: number; forecastFen: number; actualFen: number | null; gapRate: number | null }[] };
    const wan = (fen: number) => {
      const x = Math.round(Math.abs(fen / 1_000_000) * 100) / 100;
      return fen < 0 && x !== 0 ? -x : x;
    };
    const page = await env().browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${env().base}/analysis/monitoring?round=${r2.id}&year=2024&threshold=5`);
    const o = await chartOption(page, 'monitoring-months');
    expect((o.series[0].data as { value: number | null }[]).map((d) => d.value)).toEqual(api.total.map((p) => (p.actualFen === null ? null : wan(p.actualFen))));
    expect(o.series[1].data).toEqual(api.total.map((p) => wan(p.forecastFen)));
    const beyond = api.total.filter((p) => p.gapRate !== null && Math.abs(p.gapRate) > 0.05).map((p) => String(p.month));
    await expect.poll(() => page.locator('[data-testid=monitoring-table] [data-flag]').evaluateAll((els) => els.map((e) => e.getAttribute('data-flag')))).toEqual(beyond);
    expect(await page.locator('[data-tile=flagged]').innerText()).toBe(String(beyond.length));
    await shot(page, 'analysis-monitoring-1600');
    await page.setViewportSize({ width: 1280, height: 800 });
    await shot(page, 'analysis-monitoring-1280');
    // a wider threshold flags fewer months (none beyond 1000%)
    await page.goto(`${env().base}/analysis/monitoring?round=${r2.id}&year=2024&threshold=1000`);
    await chartOption(page, 'monitoring-months');
    await expect.poll(() => page.locator('[data-tile=flagged]').innerText()).toBe('0');
    expect(errors).toEqual([]);
    await page.close();
  });
});
