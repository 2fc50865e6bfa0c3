import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { countLineBreaks, csvCell } from './csv';
import { matchColumns } from './header';
import { openTable } from './open';
import { formatReadErrorMessage, InvalidTextError, ReadError, type SourceRow, type SourceTable } from './types';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'read-csv-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

async function collect(table: SourceTable): Promise<SourceRow[]> {
  const out: SourceRow[] = [];
  for await (const row of table.rows()) out.push(row);
  return out;
}

const HINTS = ['序号', '项目编码', '项目名称', '计价单位', '价格（元）'];

const PRICE_CSV = [
  '苏州市医疗服务价格表,,,,,,',
  '序号,项目编码,项目名称,计价单位,三级医院价格（元）,二级医院价格（元）,一级医院价格（元）',
  '1,110200001,普通门诊诊察费,次,12.5,10,8',
  '2,220301001,彩色多普勒超声常规检查,部位,70,60,50',
].join('\n');

describe('openTable csv', () => {
  it('reads UTF-8 without BOM', async () => {
    const table = await openTable(write('utf8.csv', PRICE_CSV + '\n'), { headerHints: HINTS });
    expect(table.format).toBe('csv');
    expect(table.encoding).toBe('utf-8');
    expect(table.bom).toBe(false);
    expect(table.titleRows).toEqual(['苏州市医疗服务价格表']);
    expect(table.headerRowNumbers).toEqual([2]);
    expect(table.columns.map((c) => c.label)).toEqual([
      '序号',
      '项目编码',
      '项目名称',
      '计价单位',
      '三级医院价格（元）',
      '二级医院价格（元）',
      '一级医院价格（元）',
    ]);
    expect(table.columns.map((c) => c.letter)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    const rows = await collect(table);
    expect(rows).toEqual([
      { rowNo: 3, cells: ['1', '110200001', '普通门诊诊察费', '次', '12.5', '10', '8'] },
      { rowNo: 4, cells: ['2', '220301001', '彩色多普勒超声常规检查', '部位', '70', '60', '50'] },
    ]);
  });

  it('reads UTF-8 with BOM and CRLF line ends', async () => {
    const file = write('bom.csv', '\ufeff' + PRICE_CSV.replace(/\n/g, '\r\n') + '\r\n');
    const table = await openTable(file, { headerHints: HINTS });
    expect(table.encoding).toBe('utf-8');
    expect(table.bom).toBe(true);
    expect(table.titleRows).toEqual(['苏州市医疗服务价格表']);
    const rows = await collect(table);
    expect(rows.map((r) => r.rowNo)).toEqual([3, 4]);
    expect(rows[1]!.cells[6]).toBe('50');
  });

  it('reads GBK', async () => {
    const file = write('gbk.csv', iconv.encode(PRICE_CSV, 'gbk'));
    const table = await openTable(file, { headerHints: HINTS });
    expect(table.encoding).toBe('gb18030');
    expect(table.bom).toBe(false);
    expect(table.titleRows).toEqual(['苏州市医疗服务价格表']);
    const rows = await collect(table);
    expect(rows[1]!.cells).toEqual(['2', '220301001', '彩色多普勒超声常规检查', '部位', '70', '60', '50']);
  });

  it('reads characters only GB18030 can encode', async () => {
    // 𠀀 (CJK extension B) and ㊣ have four-byte GB18030 codes and no GBK code
    const text = '机构编码,机构名称,医院等级\nH001,𠀀医院㊣,三级\n';
    const bytes = iconv.encode(text, 'gb18030');
    expect(iconv.decode(bytes, 'gbk')).not.toBe(text);
    const table = await openTable(write('gb18030.csv', bytes), { headerHints: ['机构编码', '机构名称'] });
    expect(table.encoding).toBe('gb18030');
    expect((await collect(table))[0]!.cells).toEqual(['H001', '𠀀医院㊣', '三级']);
  });

  it('reads a two-level header with a blank-continued group', async () => {
    const csv = [
      '序号,项目编码,项目名称,价格（元）,,,计价单位',
      ',,,三级,二级,一级,',
      '1,110200001,普通门诊诊察费,12.5,10,8,次',
    ].join('\n');
    const table = await openTable(write('two-level.csv', csv), { headerHints: HINTS });
    expect(table.headerRowNumbers).toEqual([1, 2]);
    expect(table.columns.map((c) => c.path)).toEqual([
      ['序号'],
      ['项目编码'],
      ['项目名称'],
      ['价格（元）', '三级'],
      ['价格（元）', '二级'],
      ['价格（元）', '一级'],
      ['计价单位'],
    ]);
    const rows = await collect(table);
    expect(rows).toEqual([{ rowNo: 3, cells: ['1', '110200001', '普通门诊诊察费', '12.5', '10', '8', '次'] }]);
    const m = matchColumns(table, [
      { key: 'price3', group: ['价格（元）', '价格'], names: ['三级医院价格（元）', '三级价格', '三级'] },
      { key: 'price2', group: ['价格（元）', '价格'], names: ['二级医院价格（元）', '二级价格', '二级'] },
      { key: 'price1', group: ['价格（元）', '价格'], names: ['一级医院价格（元）', '一级价格', '一级'] },
      { key: 'unit', names: ['计价单位', '单位'], required: true },
    ]);
    expect([m.columns.price3?.index, m.columns.price2?.index, m.columns.price1?.index, m.columns.unit?.index]).toEqual([
      3, 4, 5, 6,
    ]);
  });

  it('reads a group row above the row with the column names', async () => {
    const csv = [
      '医疗服务价格表,,,,,,',
      ',,,价格（元）,,,',
      '序号,项目编码,项目名称,三级,二级,一级,计价单位',
      '1,110200001,普通门诊诊察费,12.5,10,8,次',
    ].join('\n');
    const table = await openTable(write('group-above.csv', csv), { headerHints: ['序号', '项目编码', '项目名称'] });
    expect(table.titleRows).toEqual(['医疗服务价格表']);
    expect(table.headerRowNumbers).toEqual([2, 3]);
    expect(table.columns.slice(0, 6).map((c) => c.label)).toEqual([
      '序号',
      '项目编码',
      '项目名称',
      '价格（元）/三级',
      '价格（元）/二级',
      '价格（元）/一级',
    ]);
    const m = matchColumns(table, [
      { key: 'price3', group: ['价格（元）'], names: ['三级'] },
      { key: 'price1', group: ['价格（元）'], names: ['一级'] },
      { key: 'unit', names: ['计价单位', '单位'], required: true },
    ]);
    expect([m.columns.price3?.index, m.columns.price1?.index, m.columns.unit?.index]).toEqual([3, 5, 6]);
    expect((await collect(table))[0]!.rowNo).toBe(4);
  });

  it('takes the first non-empty row as the header when there are no hints', async () => {
    const table = await openTable(write('no-hints.csv', '\n\na,b\n1,2\n'), { headerHints: [] });
    expect(table.headerRowNumbers).toEqual([3]);
    expect(await collect(table)).toEqual([{ rowNo: 4, cells: ['1', '2'] }]);
  });

  it('does not take a data row for a second header row', async () => {
    const csv = ['序号,项目编码,项目名称,价格（元）,,', '1,110200001,普通门诊诊察费,12.5,10,8'].join('\n');
    const table = await openTable(write('not-two-level.csv', csv), { headerHints: HINTS });
    expect(table.headerRowNumbers).toEqual([1]);
    expect(table.columns.map((c) => c.label)).toEqual(['序号', '项目编码', '项目名称', '价格（元）']);
    const rows = await collect(table);
    // cells beyond the header width are ignored
    expect(rows).toEqual([{ rowNo: 2, cells: ['1', '110200001', '普通门诊诊察费', '12.5'] }]);
  });

  it('counts physical lines: quoted line breaks, empty rows, CR-only files', async () => {
    const csv = [
      '序号,项目名称,计价说明',
      '1,护理费,"第一行',
      '第二行"',
      '',
      ',,',
      '2,"换药',
      '费",""',
      '3,"a ""quoted"" word",  padded  ',
    ].join('\r\n');
    const table = await openTable(write('lines.csv', csv), { headerHints: ['序号', '项目名称'] });
    const rows = await collect(table);
    expect(rows.map((r) => r.rowNo)).toEqual([2, 6, 8]);
    expect(rows[0]!.cells).toEqual(['1', '护理费', '第一行\r\n第二行']);
    expect(rows[1]!.cells).toEqual(['2', '换药\r\n费', null]);
    expect(rows[2]!.cells).toEqual(['3', 'a "quoted" word', 'padded']);

    const cr = await openTable(write('cr.csv', '项目编码,项目名称\r1,"a\rb"\r2,c'), { headerHints: ['项目编码', '项目名称'] });
    expect((await collect(cr)).map((r) => r.rowNo)).toEqual([2, 4]);
  });

  it('pads short records, keeps Excel text cells and tab-separated files', async () => {
    const table = await openTable(write('short.csv', '项目编码,项目名称,计价单位\n="003107010010000",心电图\n'), {
      headerHints: ['项目编码', '项目名称'],
    });
    expect((await collect(table))[0]!.cells).toEqual(['003107010010000', '心电图', null]);

    const tsv = await openTable(write('tab.txt', '项目编码\t项目名称\n1\t"a,b"\n'), { headerHints: ['项目编码', '项目名称'] });
    expect((await collect(tsv))[0]!.cells).toEqual(['1', 'a,b']);
  });

  it('normalizes header variants when finding the header', async () => {
    const csv = '（试行）\n 序 号 ,项目编码(新),"项目\n名称",单位\n1,2,3,4\n';
    const table = await openTable(write('variants.csv', csv), { headerHints: ['序号', '项目编码', '项目名称'] });
    expect(table.headerRowNumbers).toEqual([2]);
    expect(table.columns.map((c) => c.path[0])).toEqual(['序 号', '项目编码(新)', '项目\n名称', '单位']);
    expect((await collect(table))[0]).toEqual({ rowNo: 4, cells: ['1', '2', '3', '4'] });
  });

  it('header-only file yields no rows', async () => {
    const table = await openTable(write('header-only.csv', '项目编码,项目名称\n\n,\n'), {
      headerHints: ['项目编码', '项目名称'],
    });
    expect(table.columns).toHaveLength(2);
    expect(await collect(table)).toEqual([]);
  });

  it('reports empty files', async () => {
    for (const [name, content] of [
      ['zero.csv', ''],
      ['blank.csv', ' \r\n\t\n'],
      ['bom-only.csv', '\ufeff\n'],
      ['commas.csv', ',,,\n,,\n'],
    ] as const) {
      const err = await openTable(write(name, content), { headerHints: HINTS }).catch((e: unknown) => e);
      expect(err, name).toBeInstanceOf(ReadError);
      expect((err as ReadError).message, name).toBe(`${path.join(dir, name)}: 文件为空 (the file is empty)`);
    }
  });

  it('reports a missing header with the hints and an encoding reminder', async () => {
    const file = write('no-header.csv', 'a,b,c\n1,2,3\n');
    const err = await openTable(file, { headerHints: ['项目编码', '项目名称'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReadError);
    expect((err as ReadError).messageZh).toMatch(/^未找到表头：前 30 行中没有包含 项目编码、项目名称.*请检查文件编码（UTF-8\/GBK）和列名$/);
    expect((err as ReadError).messageEn).toMatch(/^header not found/);
  });

  it('only scans the first 30 rows for the header', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => `说明第${i + 1}行`);
    const late = write('late.csv', [...lines, '项目编码,项目名称', '1,a'].join('\n'));
    await expect(openTable(late, { headerHints: ['项目编码', '项目名称'] })).rejects.toThrow(/未找到表头/);
    const inTime = write('in-time.csv', [...lines.slice(1), '项目编码,项目名称', '1,a'].join('\n'));
    const table = await openTable(inTime, { headerHints: ['项目编码', '项目名称'] });
    expect(table.headerRowNumbers).toEqual([30]);
    expect(table.titleRows).toHaveLength(29);
  });

  it('refuses UTF-16 files', async () => {
    const text = '项目编码,项目名称\n1,a\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const err = await openTable(write('utf16.csv', le), { headerHints: HINTS }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReadError);
    expect((err as ReadError).message).toMatch(/文件编码无法识别.*\(unsupported encoding/);
    const noBom = write('utf16-nobom.csv', Buffer.from('code,name\n1,a\n', 'utf16le'));
    await expect(openTable(noBom, { headerHints: ['code', 'name'] })).rejects.toThrow(/文件编码无法识别/);
  });

  it('reports an unclosed quote with the line it starts on', async () => {
    const file = write('quote.csv', '项目编码,项目名称\n1,a\n2,"open\n3,b\n');
    const table = await openTable(file, { headerHints: ['项目编码', '项目名称'] }).catch((e: unknown) => e);
    // the preamble already reaches the end of this small file
    const err =
      table instanceof ReadError ? table : await collect(table as SourceTable).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReadError);
    expect((err as ReadError).row).toBe(3);
    expect((err as ReadError).message).toMatch(/quote\.csv:3: CSV 格式错误：引号未闭合/);
  });

  it('rejects the rows of a UTF-8 file that are not UTF-8 (GBK), each named, after reading the others', async () => {
    const utf8 = (t: string) => Buffer.from(t, 'utf8');
    const gbk = (t: string) => iconv.encode(t, 'gbk');
    const many = Array.from({ length: 2000 }, (_, i) => `${i + 10},1102${String(i).padStart(5, '0')},普通门诊诊察费,次,12.5,10,8\n`).join('');
    const file = write('mixed.csv', Buffer.concat([
      utf8(PRICE_CSV + '\n'), // title, header, rows 3 and 4
      gbk('3,120100001,特级护理,日,150,130,110\n'), // row 5
      utf8('4,"220302001\n",经颅多普勒,次,60,50,40\n'), // rows 6-7: a quoted line break
      utf8(many), // rows 8-2007: past the sample the encoding is detected from
      gbk('5,"120100002\n",一级护理,日,30,25,20\n'), // rows 2008-2009
      utf8('6,110200002,专家门诊诊察费,次,30,25,20\n'), // row 2010
    ]));
    const table = await openTable(file, { headerHints: HINTS });
    expect(table.encoding).toBe('utf-8');
    const seen: number[] = [];
    const err = await (async () => {
      for await (const row of table.rows()) seen.push(row.rowNo);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidTextError);
    const e = err as InvalidTextError;
    expect(e.rows).toEqual([5, 2008]);
    expect(e.count).toBe(2);
    expect(e.problems().map((p) => formatReadErrorMessage(file, p.row, p.column, p.zh, p.en))).toEqual([5, 2008].map((row) =>
      `${file}:${row}: 该行不是有效的 UTF-8 文本（可能是 GBK 编码），而文件按 UTF-8 读取：请将整个文件另存为 UTF-8（整个文件未导入） ` +
      '(the row is not valid UTF-8 (probably GBK) in a file read as UTF-8: save the whole file as UTF-8 (the file was not loaded))'));
    // the other rows were read, and none of the bad ones
    expect(seen).toHaveLength(2004);
    expect(seen.slice(0, 4)).toEqual([3, 4, 6, 8]);
    expect(seen[seen.length - 1]).toBe(2010);
  });

  it('rejects a GBK row after a byte order mark, and a GBK title above the header', async () => {
    const bom = write('bom-mixed.csv', Buffer.concat([Buffer.from('\ufeff' + PRICE_CSV + '\n'), iconv.encode('3,120100001,特级护理,日,150,130,110\n', 'gbk')]));
    const table = await openTable(bom, { headerHints: HINTS });
    expect(table.bom).toBe(true);
    const err = await collect(table).catch((e: unknown) => e);
    expect((err as InvalidTextError).rows).toEqual([5]);

    const [title, ...rest] = PRICE_CSV.split('\n');
    const titled = write('title-mixed.csv', Buffer.concat([iconv.encode(title + '\n', 'gbk'), Buffer.from(rest.join('\n') + '\n')]));
    const e2 = await openTable(titled, { headerHints: HINTS }).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(InvalidTextError);
    expect((e2 as InvalidTextError).rows).toEqual([1]);
  });

  it('reports a missing file', async () => {
    await expect(openTable(path.join(dir, 'nope.csv'), { headerHints: HINTS })).rejects.toThrow(/文件不存在或无法读取/);
  });

  it('streams 200k rows', async () => {
    const file = path.join(dir, 'big.csv');
    const out = fs.createWriteStream(file);
    out.write(iconv.encode('服务量统计\n行政区划代码,机构编码,项目编码,年份,月份,服务量\n', 'gbk'));
    const n = 200_000;
    const chunk: string[] = [];
    for (let i = 0; i < n; i++) {
      chunk.push(`320500,H${i % 97},${110200001 + (i % 5000)},2024,${(i % 12) + 1},${i % 1000}\r\n`);
      if (chunk.length === 10_000) {
        out.write(iconv.encode(chunk.join(''), 'gbk'));
        chunk.length = 0;
      }
    }
    out.write('320500,"H\r\n1",1,2024,1,1\r\n');
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));

    const table = await openTable(file, { headerHints: ['机构编码', '项目编码', '服务量'] });
    expect(table.encoding).toBe('gb18030');
    let count = 0;
    let last: SourceRow | undefined;
    let sum = 0;
    for await (const row of table.rows()) {
      count++;
      sum += Number(row.cells[5]);
      last = row;
    }
    expect(count).toBe(n + 1);
    expect(sum).toBe(Array.from({ length: n }, (_, i) => i % 1000).reduce((a, b) => a + b, 0) + 1);
    expect(last).toEqual({ rowNo: n + 3, cells: ['320500', 'H\r\n1', '1', '2024', '1', '1'] });

    // leaving early releases the file
    let seen = 0;
    for await (const row of table.rows()) {
      expect(row.rowNo).toBe(3);
      seen++;
      break;
    }
    expect(seen).toBe(1);
  }, 20_000);
});

describe('csv helpers', () => {
  it('counts line breaks', () => {
    expect(countLineBreaks('a,b\n')).toBe(1);
    expect(countLineBreaks('a,b\r')).toBe(1);
    expect(countLineBreaks('"x\r\ny",2\r')).toBe(2);
    expect(countLineBreaks('"x\ry\nz",2')).toBe(2);
    expect(countLineBreaks('last')).toBe(0);
  });

  it('cleans cells', () => {
    expect(csvCell(undefined)).toBeNull();
    expect(csvCell('  ')).toBeNull();
    expect(csvCell('\u3000护理\u3000')).toBe('护理');
    expect(csvCell('="0012"')).toBe('0012');
    expect(csvCell('=""')).toBeNull();
    expect(csvCell('=A1')).toBe('=A1');
  });
});
