import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { signedInPage, useBrowserApp } from '../support/browser';
import { shot } from '../support/screenshots';
import { useTestDatabase } from '../support/db';
import { caller } from '../support/http';
import { formatFen } from '../../api/src/domain/money';

interface Rendered {
  series: { name: string; data: unknown[] }[];
  xAxis: { data?: string[]; name?: string }[];
  yAxis: { data?: string[]; name?: string }[];
}

/** Reads a rendered chart's option back once ECharts has finished drawing it. */
async function chartOption(page: Page, name: string): Promise<Rendered> {
  await page.locator(`[data-chart=${name}][data-finished=true]`).waitFor({ timeout: 20_000 });
  return page.evaluate((n) => {
    const charts = (globalThis as unknown as { __msprCharts: Record<string, { getOption(): unknown }> }).__msprCharts;
    const o = charts[n].getOption() as Rendered;
    return {
      series: o.series.map((s) => ({ name: s.name, data: s.data })),
      xAxis: o.xAxis.map((x) => ({ data: x.data, name: x.name })),
      yAxis: o.yAxis.map((x) => ({ data: x.data, name: x.name })),
    };
  }, name);
}

interface Compared {
  code: string;
  name: string;
  indicators: { indicator: string; value: number | null }[];
  total: { totalFen: number } | null;
  scenario: { id: number; name: string } | null;
  impact: { netFen: number; byCategory: { key: string; labelZh: string; netFen: number }[] } | null;
}
const PER_UNIT: Record<string, number> = { 元: 100, 万元: 1_000_000, 亿元: 10_000_000_000 };
const unitOf = (axisName: string | undefined) => /（(元|万元|亿元)）$/.exec(axisName ?? '')![1]!;
const inUnit = (fen: number, unit: string) => Math.round((fen / PER_UNIT[unit]!) * 100) / 100;

describe('分析 · 区域对比 in Chromium on the demo dataset', () => {
  const db = useTestDatabase({ demo: true });
  const env = useBrowserApp(() => db().url);
  const call = caller(() => env().base);

  /** Every chart of the page equals the API's figures for these regions and year. */
  async function expectCharts(page: Page, codes: string, year: number | null): Promise<Compared[]> {
    const api = await call('GET', `/api/regions/compare?codes=${codes}${year === null ? '' : `&year=${year}`}`);
    expect(api.status).toBe(200);
    const regions = api.body.regions as Compared[];
    await page.locator(`[data-testid=compare-view][data-loaded=true][data-codes="${codes}"]`).waitFor({ timeout: 20_000 });

    const ind = await chartOption(page, 'region-indicators');
    expect(ind.xAxis[0]!.data).toEqual((api.body.indicators as { nameZh: string; unit: string }[]).map((i) => `${i.nameZh}\n（${i.unit}）`));
    expect(ind.series.map((s) => s.name)).toEqual(regions.map((r) => r.name));
    expect(ind.series.map((s) => s.data)).toEqual(regions.map((r) => r.indicators.map((i) => i.value)));
    // the demo loads these indicators for the pilot cities: no empty chart
    expect(ind.series.flatMap((s) => s.data).filter((v) => v !== null).length).toBeGreaterThan(regions.length * 3);

    const totals = await chartOption(page, 'region-totals');
    const tu = unitOf(totals.yAxis[0]!.name);
    expect((totals.series[0]!.data as { fen: number | null }[]).map((d) => d.fen)).toEqual(regions.map((r) => r.total?.totalFen ?? null));
    expect((totals.series[0]!.data as { value: number | null }[]).map((d) => d.value)).toEqual(regions.map((r) => (r.total ? inUnit(r.total.totalFen, tu) : null)));

    const net = await chartOption(page, 'region-net');
    const nu = unitOf(net.xAxis[0]!.name);
    const cats: { key: string; labelZh: string }[] = [];
    for (const r of regions) for (const g of r.impact?.byCategory ?? []) if (!cats.some((c) => c.key === g.key)) cats.push(g);
    expect(net.yAxis[0]!.data).toEqual(cats.map((c) => c.labelZh));
    expect(net.series.map((s) => s.data)).toEqual(
      regions.map((r) => cats.map((c) => (r.impact ? inUnit(r.impact.byCategory.find((g) => g.key === c.key)?.netFen ?? 0, nu) : null))),
    );
    // the table names the scenario each region's impact comes from; its amounts all in 万元 (the demo's are above
    // 1万元), the unit in the headers, not 亿元 in one row and 万元 in the next
    const table = await page.getByTestId('compare-table').innerText();
    expect(table).toContain('调价总量（万元）');
    expect(table).not.toMatch(/亿元|\d万元/);
    for (const r of regions) {
      expect(table).toContain(r.name);
      if (r.scenario) expect(table).toContain(r.scenario.name);
      if (r.total) expect(table).toContain(formatFen(r.total.totalFen, '万元').slice(0, -2));
      if (r.impact) expect(table).toContain(formatFen(r.impact.netFen, '万元').slice(0, -2));
    }
    return regions;
  }

  it('shows the regions and year of the address, equal to the API; a change of the selection changes the address and the charts', async () => {
    const page = await env().browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${env().base}/analysis/regions?codes=130200,320500,350200&year=2024`);
    const regions = await expectCharts(page, '130200,320500,350200', 2024);
    expect(regions.every((r) => r.impact !== null && r.total !== null)).toBe(true);
    await shot(page, 'region-compare-1600');
    await page.setViewportSize({ width: 1280, height: 800 });
    await chartOption(page, 'region-net');
    await shot(page, 'region-compare-1280');
    await page.setViewportSize({ width: 1600, height: 1000 });

    // add 浙江省 (a pilot province without a round): the address and the charts follow, its reason in Chinese
    await page.getByTestId('compare-regions').click();
    await page.locator('.el-select-dropdown__item', { hasText: '浙江省' }).click();
    await page.waitForURL((u) => u.searchParams.get('codes') === '130200,320500,350200,330000' && u.searchParams.get('year') === '2024', { timeout: 10_000 });
    await page.keyboard.press('Escape');
    const four = await expectCharts(page, '130200,320500,350200,330000', 2024);
    expect(four[3]).toMatchObject({ code: '330000', total: null, impact: null });
    expect((await chartOption(page, 'region-totals')).xAxis[0]!.data!.at(-1)).toBe('浙江省\n（无轮次）');
    expect((await chartOption(page, 'region-net')).series.at(-1)!.name).toBe('浙江省（无轮次）');
    expect(await page.getByTestId('compare-table').innerText()).toContain('无该年度调价轮次');
    await shot(page, 'region-compare-null-1600');

    // remove 厦门市, then the year 2023
    await page.locator('[data-testid=compare-regions] .el-tag', { hasText: '厦门市' }).locator('.el-tag__close').click();
    await page.waitForURL((u) => u.searchParams.get('codes') === '130200,320500,330000', { timeout: 10_000 });
    await expectCharts(page, '130200,320500,330000', 2024);
    await page.getByTestId('compare-year').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: /^2023$/ }).click();
    await page.waitForURL((u) => u.searchParams.get('year') === '2023', { timeout: 10_000 });
    const y2023 = await expectCharts(page, '130200,320500,330000', 2023);
    expect(y2023[1]!.total!.totalFen).not.toBe(regions[1]!.total!.totalFen);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('lets a pilot city’s analyst choose the other pilots and opens with their own region first', async () => {
    const suzhou = await env().app.userSession({ username: 'suzhou-analyst', role: 'analyst', regionCode: '320500' });
    const page = await signedInPage(env().raw, env().base, suzhou, { viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${env().base}/analysis/regions`);
    await page.waitForURL((u) => u.searchParams.get('codes') === '320500,130200,350200', { timeout: 10_000 });
    // without a year: each region's latest round, as the year field says
    await expectCharts(page, '320500,130200,350200', null);
    expect((await page.getByTestId('compare-year').innerText()).trim()).toBe('各地区最新轮次');
    await page.getByTestId('compare-regions').click();
    // the dropdown opens with a transition: its options are read once they are shown
    const options = async () => (await page.locator('.el-select-dropdown__item:visible').allInnerTexts()).map((o) => o.split('\n')[0]!.replace(/试点.*$/, '').trim());
    await expect.poll(options).toEqual(['唐山市', '内蒙古自治区', '苏州市', '浙江省', '厦门市', '赣州市', '四川省', '乐山市']);
    expect(errors).toEqual([]);
    await page.close();
  });
});
