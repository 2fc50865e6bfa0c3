import { describe, expect, it } from 'vitest';
import { exitCode, summaryLines } from './report';
import type { LoadSummary } from './run';

const base: LoadSummary = {
  file: 'prices.csv', kind: 'price-table', status: 'loaded', batchId: 7, replacedBatchId: null, region: '320500', rowsRead: 3,
  rowsLoaded: 3, rowsRejected: 0, errorCount: 0, errors: [], warningCount: 0, warnings: [], rejectFile: null, seconds: 0.2,
};
const warning = {
  file: 'prices.csv', row: 3, column: '2', zh: '项目名称为空，已取上级项目 110200001（第 2 行）的项目名称“普通门诊诊察费”',
  en: 'blank item name: took the name of parent item 110200001, row 2',
};

describe('the load report of the CLI', () => {
  it('lists the warnings of a loaded file on standard output', () => {
    const lines = summaryLines({ ...base, warningCount: 1, warnings: [warning] });
    expect(lines).toEqual([
      { stream: 'out', text: '✔ prices.csv [价格表 price-table] 地区 320500: 读取 3 行，导入 3 行，拒绝 0 行（批次 #7，0.2 秒）' },
      { stream: 'out', text: '  1 个警告 (warnings):' },
      { stream: 'out', text: '  ⚠ prices.csv:3:2: 项目名称为空，已取上级项目 110200001（第 2 行）的项目名称“普通门诊诊察费” (blank item name: took the name of parent item 110200001, row 2)' },
    ]);
  });

  it('says how many warnings are not listed', () => {
    const lines = summaryLines({ ...base, warningCount: 3, warnings: [warning] });
    expect(lines.map((l) => l.text)).toContain('  …… 另有 2 个警告未列出 (more warnings not shown)');
  });

  it('prints the warnings of a rejected file with its errors, on standard error', () => {
    const error = { file: 'prices.csv', row: 4, column: '5', zh: '“三级医院价格（元）”不能为空', en: '三级医院价格（元） is required' };
    const lines = summaryLines({ ...base, status: 'invalid', batchId: null, errorCount: 1, errors: [error], warningCount: 1, warnings: [warning] });
    expect(lines.every((l) => l.stream === 'err')).toBe(true);
    expect(lines.map((l) => l.text)).toEqual([
      '✘ prices.csv [价格表 price-table] 地区 320500: 1 个问题，未写入任何数据 (nothing was written)',
      '  prices.csv:4:5: “三级医院价格（元）”不能为空 (三级医院价格（元） is required)',
      '  1 个警告 (warnings):',
      '  ⚠ prices.csv:3:2: 项目名称为空，已取上级项目 110200001（第 2 行）的项目名称“普通门诊诊察费” (blank item name: took the name of parent item 110200001, row 2)',
    ]);
  });

  it('exits 0 when files load with warnings, 1 when one has errors', () => {
    expect(exitCode([{ ...base, warningCount: 2, warnings: [warning] }], false)).toBe(0);
    expect(exitCode([{ ...base, status: 'dry-run', warningCount: 1, warnings: [warning] }], false)).toBe(0);
    expect(exitCode([{ ...base, status: 'invalid', errorCount: 1 }], false)).toBe(1);
    expect(exitCode([{ ...base, errorCount: 1, rowsRejected: 1 }], false)).toBe(1);
    expect(exitCode([{ ...base, errorCount: 1, rowsRejected: 1 }], true)).toBe(0);
  });
});
