import { describe, expect, it } from 'vitest';
import { openPage, useBrowserApp } from '../support/browser';
import { shot } from '../support/screenshots';
import { useTestDatabase } from '../support/db';
import { apiFetch } from '../support/http';

/** The browser globals the page functions below read (the tests' TypeScript has no DOM library; the casts vanish in the page). */
interface PageGlobals {
  __msprCharts: Record<string, { getOption(): unknown; dispatchAction(action: Record<string, unknown>): void }>;
  document: { querySelector(selector: string): { innerText: string } | null };
}

const STATUS_ZH: Record<string, string> = {
  draft: '草稿', evaluated: '已评估', triggered: '已触发', blocked: '受约束', scenarios: '方案编制', approved: '已批准', implemented: '已实施',
};

describe('总览 on the demo dataset', () => {
  const db = useTestDatabase({ demo: true });
  const env = useBrowserApp(() => db().url);
  const api = async <T>(path: string): Promise<T> => {
    const res = await apiFetch(env().base, path);
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };

  const open = (path: string) => openPage(env(), path);

  it('draws the tile map with exactly the provinces of the pilots highlighted, the pilot cities in the tooltip', async () => {
    const pilots = await api<{ code: string; name: string; pilot: string }[]>('/api/regions?pilot=true');
    const expected = [...new Set(pilots.map((p) => `${p.code.slice(0, 2)}0000`))].sort();
    expect(expected).toEqual(['130000', '150000', '320000', '330000', '350000', '360000', '510000']);
    const { page, errors } = await open('/');
    await page.waitForSelector('[data-chart=china-tiles][data-finished=true]', { timeout: 20_000 });
    await expect
      .poll(() => page.evaluate(() => {
        const option = (globalThis as unknown as PageGlobals).__msprCharts['china-tiles']!.getOption() as { series: { id: string; data: { code: string }[] }[] };
        return option.series.find((s) => s.id === 'pilot')!.data.map((d) => d.code).sort();
      }))
      .toEqual(expected);
    const others = await page.evaluate(() => {
      const option = (globalThis as unknown as PageGlobals).__msprCharts['china-tiles']!.getOption() as { series: { id: string; data: { code: string }[] }[] };
      return option.series.find((s) => s.id === 'other')!.data.map((d) => d.code);
    });
    expect(others).toHaveLength(34 - 7);
    expect(others).not.toContain('510000');
    // the tooltip of 四川 names the pilot province and its pilot city 乐山
    const tip = await page.evaluate(() => {
      const chart = (globalThis as unknown as PageGlobals).__msprCharts['china-tiles']!;
      const option = chart.getOption() as { series: { id: string; data: { code: string }[] }[] };
      const dataIndex = option.series[0]!.data.findIndex((d) => d.code === '510000');
      chart.dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex });
      return new Promise<string>((done) => setTimeout(() => done((globalThis as unknown as PageGlobals).document.querySelector('[data-chart=china-tiles]')!.innerText), 300));
    });
    expect(tip).toContain('试点省份（2024年起）：四川省');
    expect(tip).toContain('试点城市（2021年起）：乐山市');
    // the pilot table the dashboard test reads is still there
    await expect.poll(() => page.locator('[data-testid=pilot-table] tbody tr').count()).toBe(8);
    expect(errors).toEqual([]);
  });

  it('counts the rounds by status as GET /api/rounds does, for all regions and for the region chosen in the pilot table', async () => {
    const { page, errors } = await open('/');
    const card = page.locator('[data-testid=rounds-by-status]');
    const readCounts = async () => {
      await expect.poll(() => card.getAttribute('data-loaded')).toBe('true');
      const out: Record<string, number> = {};
      for (const status of Object.keys(STATUS_ZH)) {
        const li = card.locator(`li[data-status=${status}]`);
        expect(await li.innerText()).toContain(STATUS_ZH[status]);
        out[status] = Number(await li.getByTestId('status-count').innerText());
      }
      return out;
    };
    const expectedOf = (rounds: { status: string }[]) =>
      Object.fromEntries(Object.keys(STATUS_ZH).map((s) => [s, rounds.filter((r) => r.status === s).length]));

    const all = await api<{ status: string; regionCode: string }[]>('/api/rounds');
    expect(all.length).toBeGreaterThan(0);
    expect(await readCounts()).toEqual(expectedOf(all));
    expect(await page.getByTestId('rounds-total').innerText()).toBe(`共 ${all.length} 轮`);

    await page.locator('[data-testid=pilot-table] tbody tr', { hasText: '乐山市' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('region')).toBe('511100');
    await expect.poll(() => card.getAttribute('data-region')).toBe('511100');
    const leshan = await api<{ status: string }[]>('/api/rounds?region=511100');
    expect(leshan.length).toBeGreaterThan(0);
    expect(await readCounts()).toEqual(expectedOf(leshan));
    await expect.poll(() => card.innerText()).toContain('调价轮次（按状态） · 乐山市');
    // the chosen province is outlined on the map
    const selected = await page.evaluate(() => {
      const option = (globalThis as unknown as PageGlobals).__msprCharts['china-tiles']!.getOption() as { series: { data: { code: string; selected: boolean }[] }[] };
      return option.series.flatMap((s) => s.data).filter((d) => d.selected).map((d) => d.code);
    });
    expect(selected).toEqual(['510000']);
    // Back returns to all regions
    await page.goBack();
    await expect.poll(() => card.getAttribute('data-region')).toBe('');
    expect(errors).toEqual([]);
  });

  it("shows 乐山's 2024 医药总费用增长率 11.0% with its source and release, and the derived 累计结余可支付月数", async () => {
    const [growth] = await api<{ value: number; source: string; releaseType: string }[]>(
      '/api/regions/511100/indicators?codes=medical_total_cost_growth&from=2024&to=2024',
    );
    expect(growth!.value).toBe(11);
    const { page, errors } = await open('/?region=511100');
    const card = page.getByTestId('key-indicators');
    await expect.poll(() => card.getAttribute('data-loaded')).toBe('true');
    await expect.poll(() => card.innerText()).toContain('关键指标 · 乐山市');
    const row = card.locator('tr[data-indicator=medical_total_cost_growth][data-period="2024"]');
    await expect.poll(() => row.count()).toBe(1);
    const text = await row.innerText();
    // the indicator's name heads its rows (rowspan), the row carries its code
    expect(await card.locator('td.name', { hasText: '医药总费用增长率' }).count()).toBe(1);
    expect(text).toContain('2024年');
    expect(text).toContain('11.0%');
    expect(text).toContain(growth!.source);
    expect(text).toContain({ yearbook: '统计年鉴', final: '公报', express: '快报' }[growth!.releaseType] as string);

    const [months] = await api<{ value: number; releaseType: string; derivedFrom: string[] }[]>(
      '/api/regions/511100/indicators?codes=fund_reserve_months&from=2024&to=2024',
    );
    expect(months!.derivedFrom).toHaveLength(2);
    const monthsRow = await card.locator('tr[data-indicator=fund_reserve_months][data-period="2024"]').innerText();
    expect(monthsRow).toContain(`${months!.value.toFixed(1)}个月`);
    expect(monthsRow).toContain('由累计结余 ÷（基金支出 ÷ 12）计算');
    const cpi = await card.locator('tr[data-indicator=cpi_growth]').count();
    expect(cpi).toBeGreaterThan(0);
    await page.locator('[data-chart=china-tiles][data-finished=true]').waitFor();
    await shot(page, 'overview-1600');
    await page.setViewportSize({ width: 1280, height: 800 });
    await shot(page, 'overview-1280');
    expect(errors).toEqual([]);
  });

  it('shows the region of the link in the select and 全国 indicators without one, and reads English after the toggle', async () => {
    const { page, errors } = await open('/');
    const card = page.getByTestId('key-indicators');
    await expect.poll(() => card.getAttribute('data-region')).toBe('000000');
    expect(await card.innerText()).toContain('关键指标 · 全国');
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => card.innerText()).toContain('Key indicators · National');
    expect(await page.getByTestId('rounds-by-status').innerText()).toContain('Implemented');
    await page.getByTestId('lang-toggle').click();
    expect(errors).toEqual([]);
  });
});
