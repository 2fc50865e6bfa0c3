import { describe, expect, it } from 'vitest';
import { useBrowserApp } from '../support/browser';
import { shot } from '../support/screenshots';
import { useTestDatabase } from '../support/db';
import { caller } from '../support/http';

/** Signing in through the web app, and what a user of one pilot city sees of another. */
describe('登录 and region scoping in Chromium', () => {
  const db = useTestDatabase({ demo: true });
  const env = useBrowserApp(() => db().url);
  const admin = caller(() => env().base);

  it('sends a visitor to sign in, signs a 苏州 analyst in, shows only 苏州, hides 厦门, and signs out', async () => {
    const xiamen = await admin('POST', '/api/rounds', { regionCode: '350200', year: 2025, name: '厦门市2025年内部方案', params: {} });
    expect(xiamen.status).toBe(201);
    await env().app.userSession({ username: 'sz-analyst', role: 'analyst', regionCode: '320500' });

    const page = await env().raw.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${env().base}/rounds?region=320500`);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('redirect')).toBe('/rounds?region=320500');
    await page.getByTestId('login-username').waitFor();
    await shot(page, 'login-1280');

    await page.getByTestId('login-username').fill('sz-analyst');
    await page.getByTestId('login-password').fill('wrong-password-1');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('login-error').innerText()).toContain('用户名或密码错误');

    await page.getByTestId('login-password').fill('test-user-2026');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/rounds');
    await expect.poll(() => page.getByTestId('user-menu').innerText()).toContain('试点城市分析');
    await expect.poll(() => page.locator('[data-testid=rounds-table] tbody tr').count()).toBeGreaterThan(0);
    await shot(page, 'rounds-signed-in-1280');

    // every round listed is 苏州's; 厦门's round is not there, and its address answers "not found"
    await page.goto(`${env().base}/rounds`);
    await expect.poll(() => page.locator('[data-testid=rounds-table] tbody tr').count()).toBeGreaterThan(0);
    const text = await page.getByTestId('rounds-table').innerText();
    expect(text).toContain('苏州');
    expect(text).not.toContain('厦门');
    await page.goto(`${env().base}/rounds/${xiamen.body.id}`);
    await expect.poll(() => page.locator('body').innerText()).toMatch(/不存在|未找到/);
    expect(await page.locator('body').innerText()).not.toContain('厦门市2025年内部方案');

    // sign out: back to the sign-in page, and the API no longer answers the old cookie
    await page.getByTestId('user-menu').locator('button').click();
    await page.getByTestId('menu-logout').click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/login');
    await page.goto(`${env().base}/rounds`);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/login');
    expect(errors).toEqual([]);
  });
});
