import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { matchColumns } from './header';
import { openTable } from './open';
import { ReadError, type SourceRow, type SourceTable } from './types';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'read-xlsx-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function collect(table: SourceTable): Promise<SourceRow[]> {
  const out: SourceRow[] = [];
  for await (const row of table.rows()) out.push(row);
  return out;
}

async function writeBook(name: string, build: (ws: ExcelJS.Worksheet, wb: ExcelJS.Workbook) => void): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('价格表');
  build(ws, wb);
  const file = path.join(dir, name);
  await wb.xlsx.writeFile(file);
  return file;
}

/** Writes values from column A on; null leaves a cell alone (row.values would undo merges). */
function setRow(ws: ExcelJS.Worksheet, r: number, values: ExcelJS.CellValue[]): void {
  values.forEach((v, c) => {
    if (v !== null) ws.getCell(r, c + 1).value = v;
  });
}

const PRICE_HINTS = ['序号', '项目编码', '项目名称', '计价单位', '价格（元）', '三级', '计价说明'];

/** A provincial price table: two title rows, a merged two-level header on rows 3–4, data from row 5. */
async function priceBook(name = 'price.xlsx'): Promise<string> {
  return writeBook(name, (ws) => {
    ws.getCell('A1').value = '江苏省医疗服务价格表';
    ws.mergeCells('A1:I1');
    ws.getCell('A2').value = '（2024年8月 执行）';
    ws.mergeCells('A2:I2');
    const labels: Record<string, string> = {
      A3: '序号',
      B3: '项目编码',
      C3: '项目\n名称',
      D3: '项目内涵',
      E3: '计价单位',
      F3: '价格（元）',
      I3: '计价说明',
    };
    for (const [addr, text] of Object.entries(labels)) ws.getCell(addr).value = text;
    for (const col of ['A', 'B', 'C', 'D', 'E', 'I']) ws.mergeCells(`${col}3:${col}4`);
    ws.mergeCells('F3:H3');
    ws.getCell('F4').value = '三级';
    ws.getCell('G4').value = '二级';
    ws.getCell('H4').value = '一级';
    // row 5: a category row without price
    setRow(ws, 5, [1, '1102', '门诊诊查费']);
    // row 6: a priced item, code stored as a number
    setRow(ws, 6, [2, 110200001, '普通门诊诊察费', '挂号、诊查', '次', 12.5, 0.1 + 0.2, 10]);
    // row 7 empty, row 8: item with rich text name, formula price and a hyperlink in the note
    ws.getCell('A8').value = 3;
    ws.getCell('B8').value = '110900001a';
    ws.getCell('C8').value = { richText: [{ text: '彩色多普勒' }, { text: '超声', font: { bold: true } }] };
    ws.getCell('E8').value = '次';
    ws.getCell('F8').value = { formula: '60+10', result: 70 };
    ws.getCell('G8').value = 60;
    ws.getCell('H8').value = 50;
    ws.getCell('I8').value = { text: '见说明', hyperlink: 'https://example.org/' };
    // row 9: one price merged over the three levels
    ws.getCell('A9').value = 4;
    ws.getCell('B9').value = 120100001;
    ws.getCell('C9').value = '护理费';
    ws.getCell('E9').value = '日';
    ws.getCell('F9').value = 30;
    ws.mergeCells('F9:H9');
    // row 10: the closing note
    ws.getCell('A10').value = '使用说明：本表价格为最高限价。';
  });
}

describe('openTable xlsx', () => {
  it('finds title rows and a merged two-level header', async () => {
    const table = await openTable(await priceBook(), { headerHints: PRICE_HINTS });
    expect(table.format).toBe('xlsx');
    expect(table.sheet).toBe('价格表');
    expect(table.titleRows).toEqual(['江苏省医疗服务价格表', '（2024年8月 执行）']);
    expect(table.headerRowNumbers).toEqual([3, 4]);
    expect(table.columns.map((c) => c.path)).toEqual([
      ['序号'],
      ['项目编码'],
      ['项目\n名称'],
      ['项目内涵'],
      ['计价单位'],
      ['价格（元）', '三级'],
      ['价格（元）', '二级'],
      ['价格（元）', '一级'],
      ['计价说明'],
    ]);
    expect(table.columns.map((c) => c.letter).join('')).toBe('ABCDEFGHI');
    expect(table.columns[5]).toEqual({ index: 5, path: ['价格（元）', '三级'], label: '价格（元）/三级', letter: 'F' });
  });

  it('reads values as the sheet shows them, with sheet row numbers', async () => {
    const table = await openTable(await priceBook('values.xlsx'), { headerHints: PRICE_HINTS });
    const rows = await collect(table);
    expect(rows.map((r) => r.rowNo)).toEqual([5, 6, 8, 9, 10]);
    const item = rows[1]!;
    expect(item.rowNo).toBe(6);
    expect(item.cells).toEqual(['2', '110200001', '普通门诊诊察费', '挂号、诊查', '次', '12.5', '0.3', '10', null]);
    expect(rows[0]!.cells).toEqual(['1', '1102', '门诊诊查费', null, null, null, null, null, null]);
    expect(rows[2]!.cells).toEqual(['3', '110900001a', '彩色多普勒超声', null, '次', '70', '60', '50', '见说明']);
    // a price merged over the three levels applies to each of them
    expect(rows[3]!.cells.slice(5, 8)).toEqual(['30', '30', '30']);
    expect(rows[4]!.cells[0]).toBe('使用说明：本表价格为最高限价。');
  });

  it('matches the price columns of the two-level header', async () => {
    const table = await openTable(await priceBook('match.xlsx'), { headerHints: PRICE_HINTS });
    const m = matchColumns(table, [
      { key: 'code', names: ['项目编码', '编码'], required: true },
      { key: 'name', names: ['项目名称'], required: true },
      { key: 'unit', names: ['计价单位', '单位'] },
      { key: 'price', names: ['价格（元）', '价格'] },
      { key: 'price3', group: ['价格（元）', '价格'], names: ['三级医院价格（元）', '三级价格', '三级'] },
      { key: 'price2', group: ['价格（元）', '价格'], names: ['二级医院价格（元）', '二级价格', '二级'] },
      { key: 'price1', group: ['价格（元）', '价格'], names: ['一级医院价格（元）', '一级价格', '一级'] },
      { key: 'note', names: ['计价说明', '说明', '备注'] },
    ]);
    expect(m.missing).toEqual([]);
    expect(m.duplicates).toEqual([]);
    expect(m.columns.name?.letter).toBe('C');
    expect(m.columns.price3?.letter).toBe('F');
    expect(m.columns.price2?.letter).toBe('G');
    expect(m.columns.price1?.letter).toBe('H');
    expect(m.columns.price).toBeUndefined();
    expect(m.columns.note?.letter).toBe('I');
  });

  it('formats dates, booleans, errors, zero-padded codes and percentages', async () => {
    const file = await writeBook('types.xlsx', (ws) => {
      ws.addRow(['项目编码', '执行日期', '时间', '启用', '比例', '计算', '大数', '小数']);
      const row = ws.addRow([
        3107010010000,
        new Date(Date.UTC(2024, 2, 1)),
        new Date(Date.UTC(2024, 2, 1, 8, 30, 0)),
        true,
        0.075,
        { formula: '1/0', result: { error: '#DIV/0!' } },
        123456789012345,
        0.000001,
      ]);
      row.getCell(1).numFmt = '000000000000000';
      row.getCell(2).numFmt = 'yyyy-mm-dd';
      row.getCell(3).numFmt = 'yyyy-mm-dd hh:mm';
      row.getCell(5).numFmt = '0.0%';
    });
    const table = await openTable(file, { headerHints: ['项目编码', '执行日期'] });
    const [row] = await collect(table);
    expect(row!.rowNo).toBe(2);
    expect(row!.cells).toEqual([
      '003107010010000',
      '2024-03-01',
      '2024-03-01 08:30:00',
      'TRUE',
      '7.5%',
      '#DIV/0!',
      '123456789012345',
      '0.000001',
    ]);
  });

  it('finds the header below a group row when the hints are on the lower row (mapping table)', async () => {
    const file = await writeBook('mapping.xlsx', (ws) => {
      ws.getCell('A1').value = '附件2 映射关系表';
      ws.mergeCells('A1:G1');
      ws.getCell('A2').value = '序号';
      ws.mergeCells('A2:A3');
      ws.getCell('B2').value = '立项指南';
      ws.mergeCells('B2:C2');
      ws.getCell('D2').value = '医保医疗服务项目';
      ws.mergeCells('D2:E2');
      ws.getCell('F2').value = '原价格项目';
      ws.mergeCells('F2:G2');
      setRow(ws, 3, [null, '项目名称', '项目类型', '项目编码', '项目名称', '项目编码', '项目名称']);
      setRow(ws, 4, [1, '一般护理费', '主项目', '003107010010000', '常规护理', '120100001', '一级护理']);
    });
    const table = await openTable(file, { headerHints: ['项目名称', '项目编码'] });
    expect(table.headerRowNumbers).toEqual([2, 3]);
    expect(table.titleRows).toEqual(['附件2 映射关系表']);
    expect(table.columns.map((c) => c.label)).toEqual([
      '序号',
      '立项指南/项目名称',
      '立项指南/项目类型',
      '医保医疗服务项目/项目编码',
      '医保医疗服务项目/项目名称',
      '原价格项目/项目编码',
      '原价格项目/项目名称',
    ]);
    const m = matchColumns(table, [
      { key: 'guideName', group: ['立项指南'], names: ['项目名称'], required: true },
      { key: 'guideType', group: ['立项指南'], names: ['项目类型'] },
      { key: 'nhsaCode', group: ['医保医疗服务项目'], names: ['项目编码'] },
      { key: 'nhsaName', group: ['医保医疗服务项目'], names: ['项目名称'] },
      { key: 'oldCode', group: ['原价格项目'], names: ['项目编码'] },
      { key: 'oldName', group: ['原价格项目'], names: ['项目名称'] },
      { key: 'specCode', group: ['全国医疗服务项目技术规范（2023年版）'], names: ['项目编码'] },
    ]);
    expect(Object.fromEntries(Object.entries(m.columns).map(([k, c]) => [k, c?.letter]))).toEqual({
      guideName: 'B',
      guideType: 'C',
      nhsaCode: 'D',
      nhsaName: 'E',
      oldCode: 'F',
      oldName: 'G',
    });
    expect(m.duplicates).toEqual([]);
    const rows = await collect(table);
    expect(rows).toEqual([
      { rowNo: 4, cells: ['1', '一般护理费', '主项目', '003107010010000', '常规护理', '120100001', '一级护理'] },
    ]);
  });

  it('keeps a single header row when the row below is data, even under a merged header cell', async () => {
    const file = await writeBook('flat.xlsx', (ws) => {
      ws.addRow(['序号', '项目名称', '服务产出', '计价单位', '计价说明', null]);
      ws.mergeCells('E1:F1');
      ws.addRow([1, '护理费', '完成护理', '日', '按日计价', null]);
      ws.addRow([2, '换药费', '完成换药', '次', null, null]);
    });
    const table = await openTable(file, { headerHints: ['序号', '项目名称', '计价单位'] });
    expect(table.headerRowNumbers).toEqual([1]);
    expect(table.columns.map((c) => c.label)).toEqual(['序号', '项目名称', '服务产出', '计价单位', '计价说明']);
    const rows = await collect(table);
    expect(rows.map((r) => [r.rowNo, r.cells.length])).toEqual([
      [2, 6],
      [3, 6],
    ]);
  });

  it('honours headerRows 1 and 2', async () => {
    const file = await priceBook('forced.xlsx');
    const one = await openTable(file, { headerHints: PRICE_HINTS, headerRows: 1 });
    expect(one.headerRowNumbers).toEqual([3]);
    expect(one.columns.map((c) => c.label)).toContain('价格（元）');
    const rows = await collect(one);
    // the sub-label row is data now; cells covered by the vertical merges show the merged value
    expect(rows[0]).toEqual({
      rowNo: 4,
      cells: ['序号', '项目编码', '项目\n名称', '项目内涵', '计价单位', '三级', '二级', '一级', '计价说明'],
    });

    const flat = await writeBook('forced2.xlsx', (ws) => {
      ws.addRow(['项目编码', '项目名称', '价格']);
      ws.addRow([null, null, '三级']);
      ws.addRow(['1', 'x', 5]);
    });
    const two = await openTable(flat, { headerHints: ['项目编码', '项目名称'], headerRows: 2 });
    expect(two.headerRowNumbers).toEqual([1, 2]);
    expect(two.columns.map((c) => c.label)).toEqual(['项目编码', '项目名称', '价格/三级']);
  });

  it('reads the named sheet, and refuses an unknown one', async () => {
    const file = path.join(dir, 'sheets.xlsx');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('说明').addRow(['本文件包含两张表']);
    const ws = wb.addWorksheet('机构');
    ws.addRow(['机构编码', '机构名称', '医院等级']);
    ws.addRow(['H001', '第一医院', '三级']);
    await wb.xlsx.writeFile(file);
    const table = await openTable(file, { headerHints: ['机构编码', '机构名称'], sheet: '机构' });
    expect(table.sheet).toBe('机构');
    expect((await collect(table))[0]!.cells).toEqual(['H001', '第一医院', '三级']);
    await expect(openTable(file, { headerHints: ['机构编码', '机构名称'] })).rejects.toThrow(/未找到表头/);
    await expect(openTable(file, { headerHints: ['机构编码'], sheet: '价格' })).rejects.toThrow(/找不到工作表“价格”.*说明、机构/);
  });

  it('keeps a wide merged label without sub-labels as one column of a two-level header', async () => {
    const file = await writeBook('wide-note.xlsx', (ws) => {
      setRow(ws, 1, ['项目编码', '项目名称', '价格（元）', null, '计价说明']);
      ws.mergeCells('C1:D1');
      ws.mergeCells('E1:F1');
      for (const col of ['A', 'B']) ws.mergeCells(`${col}1:${col}2`);
      setRow(ws, 2, [null, null, '三级', '二级']);
      setRow(ws, 3, ['110200001', '普通门诊诊察费', 12.5, 10, '按次', '另计']);
    });
    const table = await openTable(file, { headerHints: ['项目编码', '项目名称'] });
    expect(table.headerRowNumbers).toEqual([1, 2]);
    expect(table.columns.map((c) => [c.letter, c.label])).toEqual([
      ['A', '项目编码'],
      ['B', '项目名称'],
      ['C', '价格（元）/三级'],
      ['D', '价格（元）/二级'],
      ['E', '计价说明'],
    ]);
    expect((await collect(table))[0]!.cells).toEqual(['110200001', '普通门诊诊察费', '12.5', '10', '按次', '另计']);
  });

  it('recognises a group label centred across blank cells instead of merged', async () => {
    const file = await writeBook('centred.xlsx', (ws) => {
      setRow(ws, 1, ['项目编码', '项目名称', '价格（元）', null, null]);
      setRow(ws, 2, [null, null, '三级', '二级', '一级']);
      setRow(ws, 3, ['110200001', '普通门诊诊察费', 12.5, 10, 8]);
    });
    const table = await openTable(file, { headerHints: ['项目编码', '项目名称'] });
    expect(table.headerRowNumbers).toEqual([1, 2]);
    expect(table.columns.map((c) => c.label)).toEqual([
      '项目编码',
      '项目名称',
      '价格（元）/三级',
      '价格（元）/二级',
      '价格（元）/一级',
    ]);
    expect(await collect(table)).toEqual([{ rowNo: 3, cells: ['110200001', '普通门诊诊察费', '12.5', '10', '8'] }]);
  });

  it('does not take a note row with merged cells for a group row', async () => {
    const file = await writeBook('note-row.xlsx', (ws) => {
      ws.getCell('A1').value = '填报单位：苏州市医疗保障局';
      ws.mergeCells('A1:B1');
      ws.getCell('C1').value = '金额单位：元';
      ws.mergeCells('C1:D1');
      setRow(ws, 2, ['项目编码', '项目名称', '三级医院价格（元）', '二级医院价格（元）']);
      setRow(ws, 3, ['110200001', '普通门诊诊察费', 12.5, 10]);
    });
    const table = await openTable(file, { headerHints: ['项目编码', '项目名称'] });
    expect(table.titleRows).toEqual(['填报单位：苏州市医疗保障局 金额单位：元']);
    expect(table.headerRowNumbers).toEqual([2]);
    expect(table.columns.map((c) => c.label)).toEqual(['项目编码', '项目名称', '三级医院价格（元）', '二级医院价格（元）']);
  });

  it('skips a hidden first sheet', async () => {
    const file = path.join(dir, 'hidden.xlsx');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('模板', { state: 'hidden' }).addRow(['x']);
    wb.addWorksheet('数据').addRow(['项目编码', '项目名称']);
    await wb.xlsx.writeFile(file);
    expect((await openTable(file, { headerHints: ['项目编码', '项目名称'] })).sheet).toBe('数据');
  });

  it('header-only sheet yields no rows', async () => {
    const file = await writeBook('header-only.xlsx', (ws) => {
      ws.addRow(['项目编码', '项目名称']);
    });
    const table = await openTable(file, { headerHints: ['项目编码', '项目名称'] });
    expect(table.columns).toHaveLength(2);
    expect(await collect(table)).toEqual([]);
  });

  it('reports a truncated workbook', async () => {
    const good = await priceBook('whole.xlsx');
    const bytes = fs.readFileSync(good);
    const file = path.join(dir, 'truncated.xlsx');
    fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const err = await openTable(file, { headerHints: PRICE_HINTS }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReadError);
    expect((err as ReadError).messageZh).toBe('文件无法解析：xlsx 文件已损坏或不完整');
    expect((err as ReadError).message).toBe(
      `${file}: 文件无法解析：xlsx 文件已损坏或不完整 (cannot parse: the xlsx file is corrupt or truncated)`,
    );
  });

  it('reports a text file named .xlsx as corrupt and an empty sheet as empty', async () => {
    const text = path.join(dir, 'text.xlsx');
    fs.writeFileSync(text, '项目编码,项目名称\n1,a\n');
    await expect(openTable(text, { headerHints: ['项目编码'] })).rejects.toThrow(/xlsx 文件已损坏/);
    const zero = path.join(dir, 'zero.xlsx');
    fs.writeFileSync(zero, '');
    await expect(openTable(zero, { headerHints: ['项目编码'] })).rejects.toThrow(/文件为空 \(the file is empty\)/);
    const xls = path.join(dir, 'old.xls');
    fs.writeFileSync(xls, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]));
    await expect(openTable(xls, { headerHints: ['项目编码'] })).rejects.toThrow(/不支持 xls/);
    const empty = await writeBook('empty-sheet.xlsx', () => undefined);
    await expect(openTable(empty, { headerHints: ['项目编码'] })).rejects.toThrow(/文件为空/);
  });
});
