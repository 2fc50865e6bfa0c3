import { beforeAll, describe, expect, it } from 'vitest';
import { openPage, useBrowserApp } from '../support/browser';
import { shot } from '../support/screenshots';
import { useTestDatabase } from '../support/db';
import { apiFetch } from '../support/http';

/** The browser globals the page functions below read (the tests' TypeScript has no DOM library; the casts vanish in the page). */
interface PageGlobals {
  __msprCharts: Record<string, { getOption(): unknown; dispatchAction(action: Record<string, unknown>): void }>;
  document: { querySelector(selector: string): { innerText: string } | null };
}

interface Evidence { ruleId: string; value: number | null; threshold: number; outcome: string; sentenceZh: string; inputs: { source: string; period: string }[] }
interface Result { status: string; summaryZh: string; rules: Evidence[] }
interface RegionsEvaluation { results: { regionCode: string; regionName: string; result: Result }[] }

describe('调价评估 tab on the demo dataset', () => {
  const db = useTestDatabase({ demo: true });
  const env = useBrowserApp(() => db().url);
  let hunanId = 0;

  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await apiFetch(env().base, path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(res.status).toBeLessThan(300);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    const sets = await api<{ id: number; name: string; isPreset: boolean }[]>('GET', '/api/rule-sets');
    hunanId = sets.find((s) => s.isPreset && s.name.includes('湖南'))!.id;
  });

  const open = (path: string) => openPage(env(), path);

  it('evaluates the 湖南 preset for the eight pilot regions: 乐山 blocked, 苏州 triggered', async () => {
    const { page, errors } = await open('/evaluation?year=2025');
    const rows = page.locator('[data-testid=trigger-table] tbody tr');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(8);
    await expect.poll(async () => (await rows.filter({ hasText: '乐山市' }).innerText()).includes('约束限制')).toBe(true);
    const leshan = await rows.filter({ hasText: '乐山市' }).innerText();
    expect(leshan).toContain('医药总费用增长率');
    expect(await rows.filter({ hasText: '苏州市' }).innerText()).toContain('触发调价');
    // the link now names the year and the rule set (the first preset), so a reload shows the same view
    await expect.poll(() => new URL(page.url()).searchParams.get('ruleSet')).toBe(String(hunanId));
    expect(errors).toEqual([]);
  });

  it("opens 乐山's checklist with the constraint's value 11 against the threshold 10 and the sentences of the API", async () => {
    const expected = await api<RegionsEvaluation>('POST', '/api/rule-sets/evaluate-regions', { ruleSetId: hunanId, regionCodes: ['511100'], year: 2025 });
    const leshan = expected.results[0]!.result;
    const constraint = leshan.rules.find((r) => r.ruleId === 'hn-limit-total-cost')!;
    expect(constraint).toMatchObject({ value: 11, threshold: 10, outcome: 'met' });

    const { page, errors } = await open('/evaluation?year=2025');
    const rows = page.locator('[data-testid=trigger-table] tbody tr');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(8);
    await rows.filter({ hasText: '乐山市' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('region')).toBe('511100');
    const checklist = page.getByTestId('checklist');
    await expect.poll(() => checklist.getAttribute('data-region')).toBe('511100');
    expect(await page.getByTestId('checklist-status').innerText()).toBe('约束限制');
    expect(await page.getByTestId('checklist-summary').innerText()).toContain(leshan.summaryZh);

    const rule = checklist.locator('[data-rule-id=hn-limit-total-cost]');
    expect(await rule.getAttribute('data-value')).toBe('11');
    expect(await rule.getAttribute('data-threshold')).toBe('10');
    expect(await rule.getAttribute('data-outcome')).toBe('met');
    expect(await rule.locator('xpath=ancestor::section').getAttribute('data-role')).toBe('constraint');
    const text = await rule.innerText();
    expect(text).toContain('上年医药总费用增长率超过10%');
    expect(text).toContain('满足');
    expect(await rule.getByTestId('rule-comparison').innerText()).toMatch(/11\.0%\s*>\s*10%/);
    expect(await rule.getByTestId('rule-sentence').innerText()).toBe(constraint.sentenceZh);
    const input = await rule.getByTestId('rule-input').innerText();
    expect(input).toContain('2024年');
    expect(input).toContain(constraint.inputs[0]!.source);
    expect(input).toContain('统计年鉴');
    // every rule of the rule set is on the checklist, each with the API's sentence
    const shown = await checklist.getByTestId('rule').evaluateAll((els) => els.map((e) => e.getAttribute('data-rule-id')));
    expect(shown.sort()).toEqual(leshan.rules.map((r) => r.ruleId).sort());
    for (const r of leshan.rules) expect(await checklist.locator(`[data-rule-id="${r.ruleId}"]`).getByTestId('rule-sentence').innerText()).toBe(r.sentenceZh);
    expect(errors).toEqual([]);
  });

  it('reopens the checklist from a deep link after a reload, with the verdicts over the years and the trend of the constraint', async () => {
    const { page, errors } = await open(`/evaluation?year=2025&ruleSet=${hunanId}&region=511100`);
    const checklist = page.getByTestId('checklist');
    await expect.poll(() => checklist.getAttribute('data-region'), { timeout: 20_000 }).toBe('511100');
    await page.reload();
    await expect.poll(() => checklist.getAttribute('data-region'), { timeout: 20_000 }).toBe('511100');
    expect(await checklist.locator('[data-rule-id=hn-limit-total-cost]').getAttribute('data-value')).toBe('11');

    // the history: one verdict per year 2019–2025, each as evaluate-regions answers for that year
    const timeline = page.getByTestId('history-timeline');
    await expect.poll(() => timeline.getAttribute('data-loaded')).toBe('true');
    await expect.poll(() => timeline.locator('[data-year]').count()).toBe(7);
    for (const y of [2019, 2022, 2024, 2025]) {
      const answer = await api<RegionsEvaluation>('POST', '/api/rule-sets/evaluate-regions', { ruleSetId: hunanId, regionCodes: ['511100'], year: y });
      expect(await timeline.locator(`[data-year="${y}"]`).getAttribute('data-status')).toBe(answer.results[0]!.result.status);
    }
    // the trend of the blocking constraint's indicator, with its threshold
    await page.waitForSelector('[data-chart=indicator-trend][data-finished=true]', { timeout: 20_000 });
    const trend = await page.evaluate(() => {
      const o = (globalThis as unknown as PageGlobals).__msprCharts['indicator-trend']!.getOption() as {
        xAxis: { data: string[] }[];
        series: { id: string; data: { value: number | null }[]; markLine?: { data: { yAxis?: number }[] } }[];
      };
      return { years: o.xAxis[0]!.data, id: o.series[0]!.id, values: o.series[0]!.data.map((d) => d.value), marks: o.series[0]!.markLine?.data.map((d) => d.yAxis) };
    });
    const series = await api<{ period: string; value: number }[]>('GET', '/api/regions/511100/indicators?codes=medical_total_cost_growth&from=2018&to=2024');
    expect(trend.id).toBe('medical_total_cost_growth');
    expect(trend.years).toEqual(['2018', '2019', '2020', '2021', '2022', '2023', '2024']);
    expect(trend.values).toEqual(trend.years.map((y) => series.find((s) => s.period === y)?.value ?? null));
    expect(trend.values[6]).toBe(11);
    expect(trend.marks).toContain(10);

    // a year of the history switches the whole view to that year (and Back returns)
    await timeline.locator('[data-year="2024"]').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('year')).toBe('2024');
    await expect.poll(() => checklist.getAttribute('data-year')).toBe('2024');
    await page.goBack();
    await expect.poll(() => checklist.getAttribute('data-year')).toBe('2025');
    await shot(page, 'evaluation-1600');
    await page.setViewportSize({ width: 1280, height: 800 });
    await shot(page, 'evaluation-1280');
    expect(errors).toEqual([]);
  });

  it('recomputes the verdicts of an edited copy live (乐山 triggers at a threshold of 12), shows API errors at the field, and saves version 1 for 乐山 without changing the preset', async () => {
    const presetBefore = await api<{ definition: unknown }>('GET', `/api/rule-sets/${hunanId}`);
    expect(await api<unknown[]>('GET', '/api/rule-sets?region=511100&includePresets=false')).toEqual([]);

    const { page, errors } = await open(`/evaluation?year=2025&ruleSet=${hunanId}&region=511100`);
    await expect.poll(() => page.getByTestId('checklist').getAttribute('data-region'), { timeout: 20_000 }).toBe('511100');
    await page.getByTestId('edit-copy').click();
    const verdicts = page.getByTestId('copy-verdicts');
    const leshan = verdicts.locator('[data-region="511100"]');
    await expect.poll(() => leshan.getAttribute('data-status'), { timeout: 20_000 }).toBe('blocked');
    expect(await leshan.innerText()).toContain('约束限制');

    const threshold = page.locator('[data-testid=copy-rule][data-rule-id=hn-limit-total-cost] [data-testid=copy-threshold] input');
    expect(await threshold.inputValue()).toBe('10');

    // a cleared threshold: the API's reason appears next to the field
    await threshold.fill('');
    const fieldError = page.locator('[data-testid=copy-rule][data-rule-id=hn-limit-total-cost] [data-testid=copy-threshold-error]');
    await expect.poll(() => fieldError.count(), { timeout: 10_000 }).toBe(1);
    expect(await fieldError.innerText()).toContain('须为有限数值');

    await threshold.fill('12');
    await expect.poll(() => leshan.getAttribute('data-status'), { timeout: 10_000 }).toBe('triggered');
    expect(await leshan.innerText()).toContain('触发调价');
    expect(await fieldError.count()).toBe(0);
    expect(await verdicts.locator('[data-region="320500"]').getAttribute('data-status')).toBe('triggered');
    // live, nothing stored yet
    expect(await api<unknown[]>('GET', '/api/rule-sets?region=511100&includePresets=false')).toEqual([]);

    await page.getByTestId('copy-save').click();
    await expect.poll(() => page.getByTestId('saved-rule-set').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByTestId('saved-rule-set').innerText()).toContain('第1版');

    const stored = await api<{ id: number; regionCode: string; version: number; name: string; isPreset: boolean }[]>('GET', '/api/rule-sets?region=511100&includePresets=false');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ regionCode: '511100', version: 1, isPreset: false });
    expect(stored[0]!.name).toContain('乐山市');
    const copy = await api<{ definition: { rules: { id: string; threshold: number }[] } }>('GET', `/api/rule-sets/${stored[0]!.id}`);
    expect(copy.definition.rules.find((r) => r.id === 'hn-limit-total-cost')!.threshold).toBe(12);
    // the preset is unchanged, and so is the table evaluated with it
    expect((await api<{ definition: unknown }>('GET', `/api/rule-sets/${hunanId}`)).definition).toEqual(presetBefore.definition);
    const rows = page.locator('[data-testid=trigger-table] tbody tr');
    expect(await rows.filter({ hasText: '乐山市' }).innerText()).toContain('约束限制');

    // the saved rule set can be taken at once: 乐山 is triggered under it
    await page.getByTestId('use-saved').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('ruleSet')).toBe(String(stored[0]!.id));
    await expect.poll(() => page.getByTestId('checklist-status').innerText(), { timeout: 10_000 }).toBe('触发调价');
    expect(errors).toEqual([]);
  });
});
