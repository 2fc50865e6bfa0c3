import { Client } from 'pg';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openPage, useBrowserApp } from '../support/browser';
import { useTestDatabase } from '../support/db';
import { shot } from '../support/screenshots';

const SUZHOU = '320500';
const HEADER = '年度,行政区划代码,项目编码,项目名称,人员经费（元）,卫生材料费（元）,固定资产折旧（元）,其他费用（元）,单位成本（元）';

/** Picks an option of an Element Plus select whose dropdown has `popperClass`. */
async function choose(page: Page, testId: string, popperClass: string, option: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.locator(`.${popperClass} .el-select-dropdown__item:visible`, { hasText: option }).first().click();
}

describe('数据管理 in Chromium: upload a good file and a malformed one, load, see the batch, remove it', () => {
  const db = useTestDatabase({ demo: true });
  const env = useBrowserApp(() => db().url);

  it('shows the malformed file\'s row and column without writing, loads the good one, lists its batch and removes it after a confirmation', async () => {
    const codes: string[] = (await db().pool.query(`select item_code from region_item where region_code = $1 and not is_group order by item_code limit 8`, [SUZHOU])).rows.map((r) => r.item_code);
    const good = [HEADER, ...codes.map((c, i) => `2031,${SUZHOU},${c},项目${i + 1},10.00,2.00,1.00,1.00,14.00`)].join('\n') + '\n';
    // row 5 of the file: 人员经费 "十元" (column 5); row 7: the sum does not match the 单位成本 (column 9)
    const badLines = [HEADER, ...codes.slice(0, 6).map((c, i) => `2032,${SUZHOU},${c},项目${i + 1},${i === 3 ? '十元' : '10.00'},2.00,1.00,1.00,${i === 5 ? '15.00' : '14.00'}`)];
    const bad = badLines.join('\n') + '\n';
    const count = async () => Number((await db().pool.query('select count(*) from cost')).rows[0].count);
    const batches = async () => Number((await db().pool.query('select count(*) from load_batch')).rows[0].count);
    const before = { cost: await count(), batches: await batches() };

    const { page, errors } = await openPage(env(), '/data');
    await expect.poll(() => page.getByTestId('upload-limits').innerText()).toContain('.parquet');
    expect(await page.getByTestId('upload-limits').innerText()).toMatch(/不超过 2 GB/);
    const input = page.locator('[data-testid=upload-drop] input[type=file]');

    // the malformed file: its problems with row and column, nothing written, 导入 stays disabled
    await input.setInputFiles([{ name: '苏州成本（有误）.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) }]);
    await expect.poll(() => page.getByTestId('upload-chosen').innerText()).toContain('已选择 1 个文件');
    await choose(page, 'upload-kind', 'upload-kind-popper', '项目成本');
    await page.getByTestId('upload-check').click();
    const problems = page.locator('[data-testid=upload-problems] .el-table__body-wrapper tr');
    await expect.poll(() => problems.count()).toBe(2);
    const first = (await problems.nth(0).innerText()).split(/\s*\n\s*|\t/).map((s) => s.trim()).filter(Boolean);
    expect(first.slice(0, 3)).toEqual(['苏州成本（有误）.csv', '5', '5']);
    expect(first[3]).toContain('人员经费');
    const second = (await problems.nth(1).innerText()).split(/\s*\n\s*|\t/).map((s) => s.trim()).filter(Boolean);
    expect(second.slice(1, 3)).toEqual(['7', '9']);
    expect(second[3]).toContain('单位成本');
    expect(await page.getByTestId('upload-verdict').innerText()).toContain('预检发现 2 个问题');
    expect(await page.getByTestId('upload-load').isDisabled()).toBe(true);
    await page.setViewportSize({ width: 1600, height: 1000 });
    await shot(page, 'uploads-problems-1600');
    await page.setViewportSize({ width: 1280, height: 800 });
    await shot(page, 'uploads-problems-1280');
    await page.setViewportSize({ width: 1600, height: 1000 });
    expect({ cost: await count(), batches: await batches() }).toEqual(before);

    // the good file: a clean dry run, then 导入 with its progress and result, and the batch in the list
    await page.getByTestId('upload-again').click();
    await expect.poll(() => page.getByTestId('upload-chosen').count()).toBe(0);
    await input.setInputFiles([{ name: '苏州成本2031.csv', mimeType: 'text/csv', buffer: Buffer.from(good) }]);
    await expect.poll(() => page.getByTestId('upload-chosen').innerText()).toContain('已选择 1 个文件');
    await page.getByTestId('upload-check').click();
    await expect.poll(() => page.getByTestId('upload-verdict').innerText()).toContain('预检通过');
    expect(await page.getByTestId('upload-problems').count()).toBe(0);
    expect({ cost: await count(), batches: await batches() }).toEqual(before);
    await page.getByTestId('upload-load').click();
    await expect.poll(() => page.getByTestId('upload-done').innerText()).toContain('导入完成');
    const result = await page.locator('[data-testid=upload-files] .el-table__body-wrapper tr').first().innerText();
    expect(result).toContain('已导入');
    expect(result).toMatch(/批次 #\d+/);
    const batchId = Number(/批次 #(\d+)/.exec(result)![1]);
    expect(await count()).toBe(before.cost + codes.length);
    const row = page.locator('[data-testid=load-batches] .el-table__body-wrapper tr', { hasText: '苏州成本2031.csv' });
    await expect.poll(() => row.count()).toBe(1);
    const listed = await row.innerText();
    for (const s of ['项目成本', '苏州市', String(codes.length), 'test-admin', '已导入']) expect(listed).toContain(s);
    await shot(page, 'uploads-loaded-1600');

    // removal: the confirmation names the file and the row count; cancelling keeps it, confirming removes the rows
    await page.getByTestId(`remove-batch-${batchId}`).click();
    const box = page.locator('.el-message-box');
    await box.waitFor();
    const text = await box.innerText();
    expect(text).toContain('苏州成本2031.csv');
    expect(text).toContain(`${codes.length} 行`);
    await shot(page, 'uploads-remove-confirm-1600');
    await box.locator('.el-button', { hasText: '取消' }).click();
    await box.waitFor({ state: 'hidden' });
    expect(await count()).toBe(before.cost + codes.length);
    await page.getByTestId(`remove-batch-${batchId}`).click();
    await box.waitFor();
    await box.locator('.el-message-box__btns .el-button--danger').click();
    await expect.poll(async () => (await db().pool.query('select status from load_batch where id = $1', [batchId])).rows[0].status).toBe('removed');
    expect(await count()).toBe(before.cost);
    await expect.poll(() => row.innerText()).toContain('已删除');
    expect(await row.innerText()).toContain('test-admin');
    expect(await page.getByTestId(`remove-batch-${batchId}`).count()).toBe(0);

    // a batch something depends on: the API's reason is shown, nothing removed
    const priced = (await db().pool.query(`select id::int from load_batch where kind = 'price-table' and region_code = $1 and status = 'loaded' order by id limit 1`, [SUZHOU])).rows[0]?.id;
    if (priced) {
      await page.getByTestId(`remove-batch-${priced}`).scrollIntoViewIfNeeded();
      await page.getByTestId(`remove-batch-${priced}`).click();
      await box.waitFor();
      await box.locator('.el-message-box__btns .el-button--danger').click();
      const refusal = page.locator('.el-message-box', { hasText: '无法删除' });
      await refusal.waitFor();
      expect(await refusal.innerText()).toContain('仍被使用');
      await shot(page, 'uploads-remove-refused-1600');
      await refusal.locator('.el-button--primary').click();
      expect((await db().pool.query('select status from load_batch where id = $1', [priced])).rows[0].status).toBe('loaded');
    }
    expect(errors).toEqual([]);
  });

  it('says which phase the load is in once the rows are read, and lists the phases with their time when done', async () => {
    const insts: string[] = (await db().pool.query(`select code from institution where region_code = $1 order by code limit 2`, [SUZHOU])).rows.map((r) => r.code);
    const item: string = (await db().pool.query(`select item_code from region_item where region_code = $1 and not is_group order by item_code limit 1`, [SUZHOU])).rows[0].item_code;
    const lines = ['行政区划代码,机构编码,项目编码,年份,月份,服务量'];
    for (const inst of insts) for (let m = 1; m <= 12; m++) lines.push(`${SUZHOU},${inst},${item},2033,${m},${m * 10}`);
    const { page, errors } = await openPage(env(), '/data');
    await expect.poll(() => page.getByTestId('upload-limits').innerText()).toContain('.parquet');
    await page.locator('[data-testid=upload-drop] input[type=file]').setInputFiles([{ name: '苏州服务量2033.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n') + '\n') }]);
    await expect.poll(() => page.getByTestId('upload-chosen').innerText()).toContain('已选择 1 个文件');
    await page.getByTestId('upload-check').click();
    await expect.poll(() => page.getByTestId('upload-verdict').innerText()).toContain('预检通过');

    // the load waits at its overlap check, a phase after the rows, for the lock on `volume` this transaction holds
    const lock = new Client({ connectionString: db().url });
    await lock.connect();
    try {
      await lock.query('begin');
      await lock.query('lock table volume in share mode');
      await page.getByTestId('upload-load').click();
      const phase = page.getByTestId('upload-phase');
      // the phases before it (checksum, reading) pass by in the polls; it stays at the overlap check
      await expect.poll(async () => ((await phase.count()) ? phase.innerText() : '')).toMatch(/^正在核对已导入的期间… 已用 \d+ 秒$/);
      // beside the rows read, instead of rows/s and the time left
      const line = await page.getByTestId('upload-progress').innerText();
      expect(line).toContain(`已读取 ${insts.length * 12} 行`);
      expect(line).not.toContain('行/秒');
      expect(line).not.toContain('预计剩余');
      await shot(page, 'uploads-phase-1600');
      // the seconds move while it waits
      await expect.poll(async () => Number(/已用 (\d+) 秒/.exec(await phase.innerText())?.[1] ?? 0)).toBeGreaterThanOrEqual(2);
      await lock.query('commit');
    } finally {
      await lock.query('rollback').catch(() => undefined);
      await lock.end();
    }
    await expect.poll(() => page.getByTestId('upload-done').innerText()).toContain('导入完成');
    expect(await page.getByTestId('upload-phase').count()).toBe(0);
    const spent = await page.getByTestId('upload-phases').innerText();
    expect(spent).toMatch(/^苏州服务量2033\.csv 用时：计算校验和 [\d.]+ 秒 · 读取文件 [\d.]+ 秒 · 核对已导入的期间 ([\d.]+) 秒 · 写入 [\d.]+ 秒 · 提交 [\d.]+ 秒 · 分析统计 [\d.]+ 秒$/);
    // the overlap check took at least the time it was seen waiting (shown as 2 秒: 1.5 s or more)
    expect(Number(/核对已导入的期间 ([\d.]+) 秒/.exec(spent)![1])).toBeGreaterThanOrEqual(1.5);
    expect(Number((await db().pool.query(`select sum(quantity)::int as q from volume where region_code = $1 and year = 2033`, [SUZHOU])).rows[0].q)).toBe(2 * 780);
    expect(errors).toEqual([]);
  });
});
