import { describe, expect, it } from 'vitest';
import { useBrowserApp } from '../support/browser';
import { useTestDatabase } from '../support/db';

describe('调价评估 tab on the demo dataset', () => {
  const db = useTestDatabase({ demo: true });
  const env = useBrowserApp(() => db().url);

  it('evaluates the 湖南 preset for the eight pilot regions: 乐山 blocked, 苏州 triggered', async () => {
    const page = await env().browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(env().base + '/evaluation?year=2025');
    const rows = page.locator('[data-testid=trigger-table] tbody tr');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(8);
    await expect.poll(async () => (await rows.filter({ hasText: '乐山市' }).innerText()).includes('约束限制')).toBe(true);
    const leshan = await rows.filter({ hasText: '乐山市' }).innerText();
    expect(leshan).toContain('医药总费用增长率');
    expect(await rows.filter({ hasText: '苏州市' }).innerText()).toContain('触发调价');
    expect(errors).toEqual([]);
  });
});
