import type { INestApplication } from '@nestjs/common';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/app';
import { launchBrowser } from '../support/browser';
import { useTestDatabase } from '../support/db';

describe('dashboard in Chromium', () => {
  const db = useTestDatabase();
  let app: INestApplication;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    ({ app, base } = await startTestApp(db().url));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows the service and database status and the eight pilot regions, in Chinese', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(base + '/');
    await expect.poll(() => page.getByTestId('database-status').textContent()).toBe('正常');
    expect(await page.getByTestId('service-status').textContent()).toBe('正常');
    await expect.poll(() => page.locator('[data-testid=pilot-table] tbody tr').count()).toBe(8);
    const text = await page.locator('[data-testid=pilot-table]').innerText();
    for (const name of ['唐山市', '苏州市', '厦门市', '赣州市', '乐山市', '内蒙古自治区', '浙江省', '四川省']) expect(text).toContain(name);
    expect(await page.title()).toBe('医疗服务价格改革分析平台');
    expect(errors).toEqual([]);
  });

  it('serves the web app for client-side routes and JSON errors under /api', async () => {
    const page = await browser.newPage();
    const res = await page.goto(base + '/rounds/123');
    expect(res?.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('医疗服务价格改革分析平台');
    const api = await page.goto(base + '/api/unknown');
    expect(api?.status()).toBe(404);
  });
});
