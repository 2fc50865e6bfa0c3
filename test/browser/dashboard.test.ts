import { describe, expect, it } from 'vitest';
import { useBrowserApp } from '../support/browser';
import { useTestDatabase } from '../support/db';
import { etlOptions, fixtureDir, writeCsv } from '../support/etl';
import { loadFile } from '../../etl/src/run';
import path from 'node:path';

describe('dashboard in Chromium', () => {
  const db = useTestDatabase();
  const env = useBrowserApp(() => db().url);

  it('shows the service and database status and the eight pilot regions, in Chinese', async () => {
    const page = await env().browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(env().base + '/');
    await expect.poll(() => page.getByTestId('database-status').textContent()).toBe('正常');
    expect(await page.getByTestId('service-status').textContent()).toBe('正常');
    await expect.poll(() => page.locator('[data-testid=pilot-table] tbody tr').count()).toBe(8);
    const text = await page.locator('[data-testid=pilot-table]').innerText();
    for (const name of ['唐山市', '苏州市', '厦门市', '赣州市', '乐山市', '内蒙古自治区', '浙江省', '四川省']) expect(text).toContain(name);
    expect(await page.title()).toBe('医疗服务价格改革分析平台');
    expect(errors).toEqual([]);
  });

  it('shows loaded data per region and the load batches on the 数据 tab', async () => {
    const dir = fixtureDir();
    const f = writeCsv(path.join(dir, '苏州价格表.csv'), [
      ['项目编码', '项目名称', '计价单位', '三级医院价格（元）', '二级医院价格（元）', '一级医院价格（元）'],
      ['220301001', '彩色多普勒超声常规检查', '次', 70, 60, 50],
      ['120100001', '特级护理', '日', 150, 130, 110],
    ]);
    expect((await loadFile(db().pool, f, etlOptions({ region: '320500', effectiveDate: '2022-01-01' }))).status).toBe('loaded');
    const page = await env().browser.newPage();
    await page.goto(env().base + '/');
    await page.locator('[data-nav=data]').click();
    await expect.poll(() => page.url()).toBe(env().base + '/data');
    const summary = page.locator('[data-testid=data-summary] tbody tr');
    await expect.poll(() => summary.count()).toBe(1);
    const row = await summary.first().innerText();
    expect(row).toContain('苏州市');
    expect(row.replace(/\s+/g, ' ')).toContain('320500 0 2 6');
    const batch = await page.locator('[data-testid=load-batches] tbody tr').first().innerText();
    expect(batch).toContain('苏州价格表.csv');
    expect(batch).toContain('价格表');
    expect(batch).toContain('已导入');
  });

  it('switches to English and back, keeping the choice across a reload', async () => {
    const page = await env().browser.newPage();
    await page.goto(env().base + '/');
    await expect.poll(() => page.locator('[data-nav=overview]').textContent()).toBe('总览');
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.locator('[data-nav=overview]').textContent()).toBe('Overview');
    expect(await page.locator('h1').textContent()).toBe('Medical Service Price Reform Analytics');
    await page.reload();
    await expect.poll(() => page.getByTestId('page-title').textContent()).toBe('Overview');
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.getByTestId('page-title').textContent()).toBe('总览');
  });

  it('serves the web app for client-side routes and JSON errors under /api', async () => {
    const page = await env().browser.newPage();
    const res = await page.goto(env().base + '/no/such/page');
    expect(res?.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('医疗服务价格改革分析平台');
    await expect.poll(() => page.getByTestId('not-found').count()).toBe(1);
    const api = await page.goto(env().base + '/api/unknown');
    expect(api?.status()).toBe(404);
  });
});
