import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { formatFenAuto } from '../../api/src/domain/money';
import { useBrowserApp } from '../support/browser';
import { shot } from '../support/screenshots';
import { useTestDatabase } from '../support/db';
import { caller } from '../support/http';

type Band = { p10Fen: number; p50Fen: number; p90Fen: number; minFen: number; maxFen: number };
type Year = { year: number; static: { netFen: number; fundFen: number }; net: Band; fund: Band };

/** The fan chart's series once ECharts has finished drawing them. */
async function fanSeries(page: Page): Promise<{ name: string; data: number[] }[]> {
  await page.locator('[data-chart=forecast-fan][data-finished=true]').waitFor({ timeout: 20_000 });
  return page.evaluate(() => {
    const charts = (globalThis as unknown as { __msprCharts: Record<string, { getOption(): { series: { name: string; data: number[] }[] } }> }).__msprCharts;
    return charts['forecast-fan'].getOption().series.map((s) => ({ name: s.name, data: s.data }));
  });
}

const wan = (fen: number) => Math.round(fen / 10_000) / 100;
const width = (hi: number, lo: number) => Math.round((wan(hi) - wan(lo)) * 100) / 100;

/** The series the fan must draw for the API's years, in the builder's order (range, band, median, static). */
function expected(years: Year[], m: 'net' | 'fund') {
  return [
    years.map((y) => wan(y[m].minFen)),
    years.map((y) => width(y[m].maxFen, y[m].minFen)),
    years.map((y) => wan(y[m].p10Fen)),
    years.map((y) => width(y[m].p90Fen, y[m].p10Fen)),
    years.map((y) => wan(y[m].p50Fen)),
    years.map((y) => wan(y.static[m === 'net' ? 'netFen' : 'fundFen'])),
  ];
}

describe('预测与负担 (forecast and burden) in Chromium on the demo dataset', () => {
  const db = useTestDatabase({ demo: true });
  const env = useBrowserApp(() => db().url);
  const call = caller(() => env().base);

  it('opens from the scenario, draws the API\'s band by year, recomputes with new assumptions, and splits the burden per layer', async () => {
    const round = (await call('GET', '/api/rounds?region=320500&kind=historic&year=2024')).body[0];
    const sid = round.approvedScenarioId;
    const api = (await call('GET', `/api/scenarios/${sid}/forecast`)).body;

    const page = await env().browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // reachable from the scenario page
    await page.goto(`${env().base}/rounds/${round.id}/scenarios/${sid}`);
    await page.getByTestId('open-forecast').click();
    await page.waitForURL(`**/rounds/${round.id}/scenarios/${sid}/forecast`);

    // the fan: exactly the API's years and bands, in 万元
    const series = await fanSeries(page);
    expect(series.map((s) => s.name)).toEqual(['假设区间内范围-lower', '假设区间内范围', 'P10–P90-lower', 'P10–P90', '中位数', '静态测算']);
    expect(series.map((s) => s.data)).toEqual(expected(api.byYear, 'net'));
    // the figures beside it
    expect(await page.getByTestId('forecast-net-static').innerText()).toBe(formatFenAuto(api.total.static.netFen));
    expect(await page.getByTestId('forecast-net-band').innerText()).toBe(`${formatFenAuto(api.total.net.p10Fen)} ～ ${formatFenAuto(api.total.net.p90Fen)}`);
    expect(await page.getByTestId('forecast-checks').innerText()).toContain('基金增支不超过基金承受能力上限');
    expect(await page.getByTestId('forecast-sentences').innerText()).toContain(api.sentencesZh[1]);
    await page.getByTestId('fan-measure').getByText('基金增支').click();
    await expect.poll(async () => (await fanSeries(page)).map((s) => s.data)).toEqual(expected(api.byYear, 'fund'));
    await shot(page, 'forecast-1600');
    await page.setViewportSize({ width: 1280, height: 800 });
    await shot(page, 'forecast-1280');
    await page.setViewportSize({ width: 1600, height: 1000 });

    // new assumptions through the form: a wider elasticity range, kept in the URL, the chart following the API
    const lo = page.getByTestId('elasticity-lo').locator('input');
    await lo.fill('-0.5');
    await lo.press('Enter');
    await page.getByTestId('forecast-apply').click();
    await page.waitForURL(/elasticity=-0\.5(%2C|,)-0\.1/);
    const wider = (await call('GET', `/api/scenarios/${sid}/forecast?elasticity=-0.5,-0.1`)).body;
    await expect.poll(async () => (await fanSeries(page)).map((s) => s.data)).toEqual(expected(wider.byYear, 'fund'));
    expect(wider.total.net.p10Fen).toBeLessThan(api.total.net.p10Fen);

    // the burden tab: the API's split per level, layer and kind of patient
    const burden = (await call('GET', `/api/scenarios/${sid}/burden`)).body;
    await page.getByRole('tab', { name: '患者负担' }).click();
    await page.getByTestId('burden-stays').waitFor({ timeout: 20_000 });
    for (const l of burden.levels) {
      for (const kind of ['ordinary', 'assisted']) {
        const c = l.stay[kind].change;
        const cell = (part: string) => page.getByTestId(`stay-${l.level}-${kind}-${part}`).innerText();
        expect(await cell('cost')).toBe(formatFenAuto(c.costFen));
        expect(await cell('basic')).toBe(formatFenAuto(c.basicFen));
        expect(await cell('critical')).toBe(formatFenAuto(c.criticalFen));
        expect(await cell('huiminbao')).toBe(formatFenAuto(c.huiminbaoFen));
        expect(await cell('assistance')).toBe(formatFenAuto(c.assistanceFen));
        expect(await cell('self')).toBe(formatFenAuto(c.selfPaidFen));
      }
    }
    expect(page.url()).toContain('tab=burden');
    expect(await page.getByTestId('burden-policy').innerText()).toContain('大病保险：起付线 1.50万元');
    await shot(page, 'burden-1600');
    await page.setViewportSize({ width: 1280, height: 800 });
    await shot(page, 'burden-1280');

    // a scheme without a policy says so in Chinese, no blank page
    await page.getByTestId('burden-scheme').getByText('职工医保').click();
    await expect.poll(() => page.getByTestId('api-error').innerText()).toContain('没有在 2024-01-01 生效的职工医保待遇政策表');
    expect(errors).toEqual([]);
  });
});
