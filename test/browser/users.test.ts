import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { signedInPage, useBrowserApp } from '../support/browser';
import { shot } from '../support/screenshots';
import { useTestDatabase } from '../support/db';
import { caller, signIn } from '../support/http';

const XIAMEN = '350200';

/** Picks an option of an Element Plus select whose dropdown has `popperClass`, typing `search` first when given. */
async function choose(page: Page, testId: string, popperClass: string, option: string, search?: string): Promise<void> {
  await page.getByTestId(testId).click();
  if (search) await page.getByTestId(testId).locator('input').fill(search);
  await page.locator(`.${popperClass} .el-select-dropdown__item:visible`, { hasText: option }).first().click();
}

const confirmBox = async (page: Page) => {
  const ok = page.locator('.el-message-box__btns .el-button--primary');
  await ok.waitFor();
  await ok.click();
  await ok.waitFor({ state: 'hidden' });
};

const row = (page: Page, username: string) => page.locator('[data-testid=users-table] .el-table__body-wrapper tr', { has: page.locator(`[data-username="${username}"]`) });
const fieldError = (page: Page, label: string) =>
  page.locator('[data-testid=user-dialog] .el-form-item', { has: page.locator('.el-form-item__label', { hasText: new RegExp(`^${label}$`) }) }).locator('.el-form-item__error');

describe('用户管理 in Chromium: an administrator opens an account of 厦门, disables it; others are refused the page', () => {
  const db = useTestDatabase({ demo: true });
  const env = useBrowserApp(() => db().url);
  const admin = caller(() => env().base);

  it('creates a 厦门 analyst through the page, who then sees only 厦门; disabling them ends their session; resets a password', async () => {
    const suzhou = await admin('POST', '/api/rounds', { regionCode: '320500', year: 2025, name: '苏州市2025年内部轮次', params: {} });
    expect(suzhou.status).toBe(201);
    const xiamen = await admin('POST', '/api/rounds', { regionCode: XIAMEN, year: 2025, name: '厦门市2025年医疗服务价格调整', params: {} });
    expect(xiamen.status).toBe(201);

    // a few users of other roles, made through the API, for the table and its filters
    const hospital = (await db().pool.query(`select code, name from institution where region_code = '320500' order by code limit 1`)).rows[0] as { code: string; name: string };
    for (const u of [
      { username: 'sz-hospital', displayName: '苏州市报价员', role: 'hospital', regionCode: '320500', institutionCode: hospital.code },
      { username: 'zj-officer', displayName: '浙江省医保局价格处', role: 'pricing_officer', regionCode: '330000' },
      { username: 'sc-viewer', displayName: '四川省（只读）', role: 'viewer', regionCode: '510000' },
    ]) {
      const res = await admin('POST', '/api/users', { ...u, password: 'demo-user-2026' });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      if (u.role === 'viewer') expect((await admin('PATCH', `/api/users/${res.body.id}`, { disabled: true })).status).toBe(200);
    }

    const page = await env().browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${env().base}/`);
    await page.locator('[data-nav=users]').click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/admin/users');
    await expect.poll(() => row(page, 'test-admin').count()).toBe(1);
    expect(await row(page, 'test-admin').innerText()).toContain('当前账号');
    // the institution by its name, a disabled user marked so; a province's filter shows the cities under it
    await expect.poll(() => row(page, 'sz-hospital').innerText()).toContain(hospital.name);
    expect(await row(page, 'sc-viewer').getByTestId('user-status').innerText()).toBe('已停用');
    await choose(page, 'filter-region', 'filter-region-options', '江苏省（320000）');
    await expect.poll(() => page.locator('[data-testid=users-table] [data-username]').allInnerTexts()).toEqual(['sz-hospital']);
    expect(new URL(page.url()).searchParams.get('region')).toBe('320000');
    await page.getByTestId('filter-region').hover();
    await page.getByTestId('filter-region').locator('.el-select__clear').click();
    await expect.poll(() => page.locator('[data-testid=users-table] [data-username]').count()).toBe(4);

    // 新建用户: the rules in Chinese before anything is sent
    await page.getByTestId('user-new').click();
    await page.getByTestId('user-save').click();
    await expect.poll(() => fieldError(page, '用户名').innerText()).toBe('请输入用户名');
    expect(await fieldError(page, '姓名').innerText()).toBe('请输入姓名');
    expect(await fieldError(page, '角色').innerText()).toBe('请选择角色');
    expect(await fieldError(page, '初始密码').innerText()).toBe('请输入密码');

    await page.getByTestId('user-username').fill('厦门 分析');
    await page.getByTestId('user-display-name').click();
    await expect.poll(() => fieldError(page, '用户名').innerText()).toBe('用户名为 2–64 个字母、数字或 _ . @ -');
    await page.getByTestId('user-username').fill('test-admin'); // taken: the API's 409 comes back under the field
    await page.getByTestId('user-display-name').fill('厦门市医保局价格处 分析员');
    await choose(page, 'user-role', 'user-role-options', '医院报价');
    await choose(page, 'user-region', 'user-region-options', `厦门市（${XIAMEN}）`, '厦门');
    // a hospital user picks an institution of the chosen region only
    await page.getByTestId('user-institution').click();
    const institutions = page.locator('.user-institution-options .el-select-dropdown__item:visible');
    await expect.poll(() => institutions.count()).toBeGreaterThan(0);
    const offered = await institutions.allInnerTexts();
    const { rows: xiamenInstitutions } = await db().pool.query(`select code from institution where region_code = $1`, [XIAMEN]);
    expect(offered).toHaveLength(xiamenInstitutions.length);
    expect(offered.every((o) => o.includes('H3502'))).toBe(true);
    await shot(page, 'users-create-hospital-1600');
    await page.keyboard.press('Escape');
    await choose(page, 'user-role', 'user-role-options', '试点城市分析');
    await expect.poll(() => page.getByTestId('user-institution').count()).toBe(0);

    await page.getByTestId('user-password').fill('abcdefgh');
    await page.getByTestId('user-repeat').fill('abcdefgh1');
    await page.getByTestId('user-save').click();
    await expect.poll(() => fieldError(page, '初始密码').innerText()).toBe('密码须同时含字母和数字');
    expect(await fieldError(page, '再次输入密码').innerText()).toBe('两次输入的密码不一致');
    await page.getByTestId('user-password').fill('xiamen-2026a');
    await page.getByTestId('user-repeat').fill('xiamen-2026a');
    await page.getByTestId('user-save').click();
    await expect.poll(() => fieldError(page, '用户名').innerText()).toContain('用户名 test-admin 已存在');
    // nothing typed is lost
    expect(await page.getByTestId('user-display-name').inputValue()).toBe('厦门市医保局价格处 分析员');
    expect(await page.getByTestId('user-region').innerText()).toContain('厦门市（350200）');
    expect(await page.getByTestId('user-password').inputValue()).toBe('xiamen-2026a');
    await shot(page, 'users-create-error-1600');

    await page.getByTestId('user-username').fill('xm-analyst');
    await expect.poll(() => fieldError(page, '用户名').count()).toBe(0);
    await page.getByTestId('user-save').click();
    await expect.poll(() => row(page, 'xm-analyst').count()).toBe(1);
    const created = ((await admin('GET', '/api/users')).body as { username: string; role: string; regionCode: string; institutionCode: string | null; disabled: boolean; id: number }[])
      .find((u) => u.username === 'xm-analyst')!;
    expect(created).toMatchObject({ role: 'analyst', regionCode: XIAMEN, institutionCode: null, disabled: false });
    const text = await row(page, 'xm-analyst').innerText();
    for (const s of ['厦门市医保局价格处 分析员', '试点城市分析', '厦门市', '启用']) expect(text).toContain(s);
    await page.getByTestId('filter-search').fill('xm-');
    await expect.poll(() => page.locator('[data-testid=users-table] .el-table__body-wrapper tr').count()).toBe(1);
    expect(new URL(page.url()).searchParams.get('q')).toBe('xm-');
    await page.getByTestId('filter-search').fill('');
    await shot(page, 'users-1600');
    await page.setViewportSize({ width: 1280, height: 800 });
    await shot(page, 'users-1280');

    // the new user signs in through the sign-in page and sees 厦门's rounds only
    const analyst = await env().raw.newPage({ viewport: { width: 1280, height: 800 } });
    analyst.on('pageerror', (e) => errors.push(e.message));
    await analyst.goto(`${env().base}/rounds`);
    await expect.poll(() => new URL(analyst.url()).pathname).toBe('/login');
    await analyst.getByTestId('login-username').fill('xm-analyst');
    await analyst.getByTestId('login-password').fill('xiamen-2026a');
    await analyst.getByTestId('login-submit').click();
    await expect.poll(() => new URL(analyst.url()).pathname).toBe('/rounds');
    await expect.poll(() => analyst.locator('[data-testid=rounds-table] tbody tr').count()).toBeGreaterThan(0);
    const rounds = await analyst.getByTestId('rounds-table').innerText();
    expect(rounds).toContain('厦门市2025年医疗服务价格调整');
    expect(rounds).not.toContain('苏州');
    const regionCells = await analyst.locator('[data-testid=rounds-table] tbody tr td:nth-child(2)').allInnerTexts();
    expect(new Set(regionCells.map((c) => c.trim()))).toEqual(new Set(['厦门市']));
    expect(await analyst.locator('[data-nav=users]').count()).toBe(0);

    // the administrator disables them (asked first); the analyst's next request lands on the sign-in page
    await row(page, 'xm-analyst').getByTestId('user-toggle').click();
    await expect.poll(() => page.locator('.user-toggle-confirm').innerText()).toContain('厦门市医保局价格处 分析员（xm-analyst）将立即退出登录');
    await confirmBox(page);
    await expect.poll(() => row(page, 'xm-analyst').getByTestId('user-status').innerText()).toBe('已停用');
    expect((await admin('GET', `/api/users/${created.id}`)).body.disabled).toBe(true);
    await analyst.locator('[data-nav=data]').click();
    await expect.poll(() => new URL(analyst.url()).pathname).toBe('/login');
    expect(new URL(analyst.url()).searchParams.get('redirect')).toBe('/data');

    // an administrator cannot disable themselves: the API's message is shown, nothing changes
    await row(page, 'test-admin').getByTestId('user-toggle').click();
    await confirmBox(page);
    await expect.poll(() => page.getByTestId('users-action-error').innerText()).toContain('不能停用自己');
    expect(await page.getByTestId('users-action-error').innerText()).toContain('USER.SELF_LOCKOUT');
    expect(await row(page, 'test-admin').getByTestId('user-status').innerText()).toBe('启用');

    // enable again, rename through 编辑, and reset the password (the rule checked first)
    await row(page, 'xm-analyst').getByTestId('user-toggle').click();
    await confirmBox(page);
    await expect.poll(() => row(page, 'xm-analyst').getByTestId('user-status').innerText()).toBe('启用');
    await row(page, 'xm-analyst').getByTestId('user-edit').click();
    await expect.poll(() => page.getByTestId('user-display-name').inputValue()).toBe('厦门市医保局价格处 分析员');
    await page.getByTestId('user-display-name').fill('厦门市医保局价格处 张三');
    await page.getByTestId('user-save').click();
    await expect.poll(async () => (await admin('GET', `/api/users/${created.id}`)).body.displayName).toBe('厦门市医保局价格处 张三');
    await row(page, 'xm-analyst').getByTestId('user-reset').click();
    await page.getByTestId('reset-password').fill('short1');
    await page.getByTestId('reset-repeat').fill('short1');
    await page.getByTestId('reset-save').click();
    await expect.poll(() => page.locator('[data-testid=password-dialog] .el-form-item__error').first().innerText()).toBe('密码至少 8 个字符');
    await page.getByTestId('reset-password').fill('xiamen-2026b');
    await page.getByTestId('reset-repeat').fill('xiamen-2026b');
    await page.getByTestId('reset-save').click();
    await expect.poll(() => page.locator('[data-testid=password-dialog]').isVisible()).toBe(false);
    await expect((signIn(env().base, 'xm-analyst', 'xiamen-2026a'))).rejects.toThrow(/401/);
    expect((await signIn(env().base, 'xm-analyst', 'xiamen-2026b')).cookie).toMatch(/^mspr_session=/);
    expect(errors).toEqual([]);
  });

  it('refuses the page to a non-administrator with the 403 state and lists no users; a viewer gets no 新建调价轮次', async () => {
    const session = await env().app.userSession({ username: 'xm-viewer', role: 'viewer', regionCode: XIAMEN });
    const page = await signedInPage(env().raw, env().base, session, { viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    const userRequests: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/users')) userRequests.push(r.url());
    });
    await page.goto(`${env().base}/admin/users`);
    await page.getByTestId('forbidden').waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/users');
    const body = await page.locator('body').innerText();
    expect(body).toContain('无权访问此页面');
    expect(body).toContain('xm-viewer');
    expect(body).not.toContain('test-admin');
    expect(await page.getByTestId('users-table').count()).toBe(0);
    expect(await page.locator('[data-nav=users]').count()).toBe(0);
    expect(userRequests).toEqual([]);
    await shot(page, 'users-forbidden-1280');
    // an unknown address is still "not found", not the 403 state (both routes match every path; not-found comes first)
    await page.goto(`${env().base}/admin/no-such-page`);
    await page.getByTestId('not-found').waitFor();
    expect(await page.getByTestId('forbidden').count()).toBe(0);

    await page.goto(`${env().base}/rounds`);
    await expect.poll(() => page.locator('[data-testid=rounds-table] tbody tr').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('new-round').count()).toBe(0);
    // the API refuses the list too
    expect((await caller(() => env().base, () => session)('GET', '/api/users')).status).toBe(403);
    expect(errors).toEqual([]);
  });
});
