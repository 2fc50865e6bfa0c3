import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { signedInPage, useBrowserApp } from '../support/browser';
import { shot } from '../support/screenshots';
import { useTestDatabase } from '../support/db';
import { caller } from '../support/http';

const SUZHOU = '320500';
const XIAMEN = '350200';
const VISIT = '110200001';

const rows = (page: Page) => page.locator('[data-testid=audit-table] .el-table__body-wrapper tr.el-table__row');

describe('审计日志 in Chromium: the page lists a change just made, filters by user and opens its before and after', () => {
  const db = useTestDatabase({ demo: true });
  const env = useBrowserApp(() => db().url);

  it('shows a round change and a scenario save of 苏州\'s analyst, filters by that user, and opens the drawer with the changed fields', async () => {
    const analyst = await env().app.userSession({ username: 'sz-analyst', role: 'analyst', regionCode: SUZHOU });
    const sz = caller(() => env().base, () => analyst);
    const round = await sz('POST', '/api/rounds', { regionCode: SUZHOU, year: 2025, name: '苏州市2025年医疗服务价格调整', effectiveDate: '2025-01-01', params: { itemShareFloor: 0, changeCap: 0.3 } });
    expect(round.status).toBe(201);
    const sc = await sz('POST', `/api/rounds/${round.body.id}/scenarios`, { name: '方案一', method: 'manual' });
    expect((await sz('PUT', `/api/scenarios/${sc.body.id}/changes`, { version: 1, changes: [{ itemCode: VISIT, level: 3, pctChange: 20 }, { itemCode: VISIT, level: 2, pctChange: 15 }] })).status).toBe(200);
    const patched = await sz('PATCH', `/api/rounds/${round.body.id}`, { version: 1, name: '苏州市2025年医疗服务价格调整（修订）', params: { changeCap: 0.25 } });
    expect(patched.status).toBe(200);
    // a change by the administrator too, for the filter to leave out
    expect((await caller(() => env().base)('POST', '/api/rounds', { regionCode: XIAMEN, year: 2025, name: '厦门市2025年轮次', params: {} })).status).toBe(201);

    for (const [w, h] of [[1600, 1000], [1280, 800]] as const) {
      const page = await env().browser.newPage({ viewport: { width: w, height: h } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${env().base}/`);
      await page.locator('[data-nav=audit]').click();
      await expect.poll(() => new URL(page.url()).pathname).toBe('/audit');
      // the newest first: the administrator's round, then the analyst's update of theirs
      await expect.poll(() => rows(page).count()).toBeGreaterThan(3);
      expect(await rows(page).nth(0).innerText()).toContain('新建调价轮次');
      const second = await rows(page).nth(1).innerText();
      expect(second).toContain('修改调价轮次');
      expect(second).toContain('sz-analyst');
      expect(second).toContain('苏州市');
      expect(second).toContain(patched.headers.get('x-request-id')!);

      await shot(page, `audit-list-${w}`);
      // filter by user: Enter applies it, the address keeps it
      await page.getByTestId('audit-filter-user').fill('sz-analyst');
      await page.getByTestId('audit-filter-user').press('Enter');
      await expect.poll(() => new URL(page.url()).searchParams.get('user')).toBe('sz-analyst');
      await expect.poll(async () => [...new Set(await page.locator('[data-testid=audit-table] [data-actor]').evaluateAll((els) => els.map((e) => e.getAttribute('data-actor'))))]).toEqual(['sz-analyst']);
      expect(await page.locator('[data-testid=audit-table] [data-action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')))).toEqual([
        'round.update', 'scenario.changes.put', 'scenario.create', 'round.create',
      ]);

      // the update's drawer: the changed fields before and after, in Chinese
      await rows(page).nth(0).locator('td').first().click();
      const drawer = page.getByTestId('audit-drawer');
      await expect.poll(() => drawer.getByTestId('audit-fields').innerText()).toContain('调价幅度上限');
      const fields = await drawer.getByTestId('audit-fields').innerText();
      expect(fields).toContain('名称');
      expect(fields).toContain('苏州市2025年医疗服务价格调整（修订）');
      expect(fields).toMatch(/30%\s+25%/);
      expect(new URL(page.url()).searchParams.get('record')).toBeTruthy();
      await expect.poll(() => drawer.locator('.el-loading-mask').count()).toBe(0);
      await shot(page, `audit-round-update-${w}`);
      await page.keyboard.press('Escape');
      await expect.poll(() => new URL(page.url()).searchParams.get('record')).toBeNull();

      // the scenario save's drawer: the rows it changed with their prices in 元
      await rows(page).nth(1).locator('td').first().click();
      await expect.poll(() => drawer.getByTestId('audit-list-summary').innerText()).toContain('新增 2 项');
      expect(await drawer.getByTestId('audit-list-summary').innerText()).toContain('净调价金额变化');
      const list = await drawer.getByTestId('audit-list-rows').innerText();
      expect(list).toContain(VISIT);
      expect(list).toContain('三级');
      expect(list).toMatch(/元 → .*元/);
      await expect.poll(() => drawer.locator('.el-loading-mask').count()).toBe(0);
      await shot(page, `audit-scenario-put-${w}`);
      await page.keyboard.press('Escape');
      await expect.poll(() => new URL(page.url()).searchParams.get('record')).toBeNull();

      // a click on the object: that round's history
      await rows(page).nth(0).locator('.object').click();
      await expect.poll(() => new URL(page.url()).searchParams.get('entityId')).toBe(String(round.body.id));
      expect(new URL(page.url()).searchParams.get('entity')).toBe('round');
      await expect.poll(() => page.locator('[data-testid=audit-table] [data-action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')))).toEqual(['round.update', 'round.create']);
      expect(errors).toEqual([]);
      await page.close();
    }
  }, 180_000);

  it('shows 厦门\'s analyst 厦门\'s records only, and neither the entry nor the page to a viewer', async () => {
    const xm = await env().app.userSession({ username: 'xm-analyst', role: 'analyst', regionCode: XIAMEN });
    const page = await signedInPage(env().raw, env().base, xm, { viewport: { width: 1600, height: 1000 } });
    await page.goto(`${env().base}/audit`);
    await expect.poll(() => rows(page).count()).toBeGreaterThan(0);
    const text = await page.getByTestId('audit-table').innerText();
    expect(text).toContain('厦门市');
    expect(text).not.toContain('苏州');
    await page.close();

    const viewer = await env().app.userSession({ username: 'sz-viewer', role: 'viewer', regionCode: SUZHOU });
    const vp = await signedInPage(env().raw, env().base, viewer, { viewport: { width: 1600, height: 1000 } });
    await vp.goto(`${env().base}/`);
    await expect.poll(() => vp.locator('[data-nav=rounds]').count()).toBe(1);
    expect(await vp.locator('[data-nav=audit]').count()).toBe(0);
    await vp.goto(`${env().base}/audit`);
    await expect.poll(() => vp.locator('body').innerText()).toContain('无权访问');
    expect(await vp.getByTestId('forbidden').innerText()).toContain('该页面仅对系统管理员、国家/省级价格管理、试点城市分析开放');
    await shot(vp, 'audit-forbidden-viewer');
    expect(await vp.getByTestId('audit-table').count()).toBe(0);
    await vp.close();
  });
});
