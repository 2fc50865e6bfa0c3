import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { formatFenAuto } from '../../api/src/domain/money';
import { waterfallBars } from '../../web/src/charts/total-waterfall/buildOption';
import { useBrowserApp } from '../support/browser';
import { shot } from '../support/screenshots';
import { useTestDatabase } from '../support/db';
import { caller } from '../support/http';

const confirmBox = async (page: Page) => {
  const ok = page.locator('.el-message-box__btns .el-button--primary');
  await ok.waitFor();
  await ok.click();
};

describe('调价轮次 in Chromium: a round from evaluation to an implemented scenario', () => {
  const db = useTestDatabase({ demo: true });
  const env = useBrowserApp(() => db().url);
  const call = caller(() => env().base);

  it('creates a round, moves it through its lifecycle with confirmations, approves and implements a scenario edited in the browser', async () => {
    const page = await env().browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${env().base}/rounds?region=320500`);
    await expect.poll(() => page.locator('[data-testid=rounds-table] tbody tr').count()).toBeGreaterThan(0);
    await shot(page, 'rounds-list-1600');
    await page.getByTestId('new-round').click();
    await page.getByTestId('create-region').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '苏州市（320500）' }).first().click();
    await expect.poll(() => page.getByTestId('create-name').inputValue()).toBe('苏州市2025年医疗服务价格调整');
    await page.getByTestId('create-name').fill('苏州市2025年医疗服务价格调整（界面）');
    await page.getByTestId('create-submit').click();
    await expect.poll(() => page.url()).toMatch(/\/rounds\/\d+$/);
    const id = Number(page.url().match(/rounds\/(\d+)/)![1]);
    const created = (await call('GET', `/api/rounds/${id}`)).body;
    expect(created).toMatchObject({ name: '苏州市2025年医疗服务价格调整（界面）', status: 'draft', params: { itemShareFloor: 0, changeCap: 0.3 } });

    // draft → evaluated (the 湖南 preset's evaluation is attached) → triggered → scenarios, each confirmed
    for (const to of ['evaluated', 'triggered', 'scenarios']) {
      await page.locator(`[data-move=${to}]`).click();
      await confirmBox(page);
      await expect.poll(async () => (await call('GET', `/api/rounds/${id}`)).body.status).toBe(to);
      await expect.poll(() => page.locator('[data-testid=round-status] [data-status], [data-testid=round-status][data-status]').first().getAttribute('data-status')).toBe(to);
    }
    expect((await call('GET', `/api/rounds/${id}`)).body.evaluation.status).toBe('triggered');

    // a scenario made in the browser: one price raised by 2.00 元 in the editor, saved
    await page.getByRole('tab', { name: /调价方案/ }).click();
    await page.getByTestId('new-scenario').click();
    await page.locator('.el-message-box__input input').fill('界面方案');
    await confirmBox(page);
    await expect.poll(() => page.url()).toMatch(/scenarios\/\d+/);
    const scenarioId = Number(page.url().match(/scenarios\/(\d+)/)![1]);
    const item = ((await call('GET', `/api/scenarios/${scenarioId}/impact/items?scope=all`)).body as { itemCode: string; level: number; oldPriceFen: number; quantity: number }[])
      .find((x) => x.quantity > 0 && x.oldPriceFen >= 1000)!; // +2.00 元 stays within the round's 30% cap
    await page.getByTestId('search').fill(item.itemCode);
    const cell = page.getByTestId(`price-${item.itemCode}-${item.level}`);
    await cell.fill(((item.oldPriceFen + 200) / 100).toFixed(2));
    await cell.press('Enter');
    await page.getByTestId('save').click();
    await expect.poll(async () => (await call('GET', `/api/scenarios/${scenarioId}`)).body.changes.length).toBe(1);

    // approve it and implement it from 2025-07-01
    await page.goto(`${env().base}/rounds/${id}`);
    await page.locator('[data-move=approved]').click();
    await page.getByTestId('approve-confirm').click();
    await expect.poll(async () => (await call('GET', `/api/rounds/${id}`)).body).toMatchObject({ status: 'approved', approvedScenarioId: scenarioId });
    await page.locator('[data-move=implemented]').click();
    await page.locator('[data-testid=implement-date] input').fill('2025-07-01');
    await page.locator('[data-testid=implement-date] input').press('Enter');
    await page.getByTestId('implement-confirm').click();
    await expect.poll(async () => (await call('GET', `/api/rounds/${id}`)).body).toMatchObject({ status: 'implemented', effectiveDate: '2025-07-01' });
    await page.getByRole('tab', { name: '已实施价格' }).click();
    await expect.poll(() => page.locator('[data-testid=implemented-table] [data-new]').first().getAttribute('data-new')).toBe(String(item.oldPriceFen + 200));
    expect(await page.getByTestId('implemented-note').innerText()).toContain('2025-07-01');
    await shot(page, 'round-implemented-1600');
    // the price is in force from that day in the price table
    const price = await db().pool.query(
      `select price_fen::int as p from price where region_code = '320500' and item_code = $1 and hospital_level = $2 and valid_from = '2025-07-01'`,
      [item.itemCode, item.level],
    );
    expect(price.rows).toEqual([{ p: item.oldPriceFen + 200 }]);
    await shot(page, 'round-1600');
    expect(errors).toEqual([]);
  });

  it('shows the API\'s reason when a move is refused', async () => {
    const r = (await call('POST', '/api/rounds', { regionCode: '511100', year: 2025, name: '乐山受约束轮次' })).body;
    await call('POST', `/api/rounds/${r.id}/status`, { to: 'evaluated', version: r.version });
    const page = await env().browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${env().base}/rounds/${r.id}`);
    await page.locator('[data-move=blocked]').click();
    await confirmBox(page);
    await expect.poll(async () => (await call('GET', `/api/rounds/${r.id}`)).body.status).toBe('blocked');
    await page.locator('[data-move=scenarios]').click();
    await confirmBox(page);
    await expect.poll(() => page.getByTestId('api-error').innerText()).toContain('专项调整');
    expect(await page.getByTestId('api-error').innerText()).toContain('ROUND.ILLEGAL_TRANSITION');
    expect((await call('GET', `/api/rounds/${r.id}`)).body.status).toBe('blocked');
    await shot(page, 'round-refused-1280');
  });

  it('draws the 调价总量 waterfall with the API\'s steps and allocates it to hospitals to the fen', async () => {
    const r = (await call('POST', '/api/rounds', {
      regionCode: '320500', year: 2025, name: '总量测算轮次',
      params: { growth: { from: 'gdp' }, costControl: {}, procurement: { alpha: 0.2 }, fundCap: { minReserveMonths: 3 } },
    })).body;
    const api = (await call('GET', `/api/rounds/${r.id}/total`)).body;
    const page = await env().browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(`${env().base}/rounds/${r.id}?tab=total`);
    await page.locator('[data-chart=total-waterfall][data-finished=true]').waitFor({ timeout: 20_000 });
    const data = await page.evaluate(() => {
      const charts = (globalThis as unknown as { __msprCharts: Record<string, { getOption(): { series: { data: number[][] }[] } }> }).__msprCharts;
      return charts['total-waterfall'].getOption().series[0].data;
    });
    expect(data).toEqual(waterfallBars(api.steps).map((b, i) => [i, b.low, b.high, b.value]));
    expect(data.at(-1)![3]).toBe(Math.round(api.totalFen / 10_000) / 100);
    expect(await page.getByTestId('total-amount').innerText()).toBe(formatFenAuto(api.totalFen));

    await page.getByTestId('allocate').click();
    const amounts = page.locator('[data-testid=allocation-table] [data-amount]');
    await expect.poll(() => amounts.count()).toBeGreaterThan(0);
    const shown = (await amounts.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-amount')))));
    const stored = await db().pool.query(`select sum(allocated_fen)::text as s, count(*)::int as n from round_allocation where round_id = $1`, [r.id]);
    expect(shown.length).toBe(stored.rows[0].n);
    expect(shown.reduce((a, b) => a + b, 0)).toBe(Number(stored.rows[0].s));
    expect(Number(stored.rows[0].s)).toBe(api.effectiveTotalFen);
    await shot(page, 'total-1600');
    await page.setViewportSize({ width: 1280, height: 800 });
    await shot(page, 'total-1280');
  });
});
