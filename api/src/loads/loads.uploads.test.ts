import { describe, expect, it } from 'vitest';
import { sniff } from './loads.uploads';

const bytes = (...b: number[]) => Buffer.from(b);

describe('content sniffing of an upload: the leading bytes must be those of the extension', () => {
  it('accepts each format with its own magic', () => {
    expect(sniff('价格表.xlsx', bytes(0x50, 0x4b, 0x03, 0x04, 1, 2))).toBeNull();
    expect(sniff('服务量.parquet', Buffer.from('PAR1....'))).toBeNull();
    expect(sniff('服务量.arrow', Buffer.from('ARROW1\0\0'))).toBeNull();
    expect(sniff('服务量.arrows', bytes(0xff, 0xff, 0xff, 0xff, 0x10, 0, 0, 0))).toBeNull();
    expect(sniff('成本.csv', Buffer.from('年度,项目编码\n2024,110200001\n'))).toBeNull();
    expect(sniff('成本.CSV', Buffer.from('\ufeff年度,项目编码\n'))).toBeNull();
  });

  it('names the mismatch: a csv that is a workbook, a workbook that is text, a pdf named csv, a parquet that is arrow', () => {
    expect(sniff('成本.csv', bytes(0x50, 0x4b, 0x03, 0x04))).toMatch(/不是CSV 文本.*zip\/xlsx/);
    expect(sniff('价格表.xlsx', Buffer.from('项目编码,项目名称\n'))).toMatch(/不是Excel 工作簿/);
    expect(sniff('通知.csv', Buffer.from('%PDF-1.7'))).toMatch(/pdf/);
    expect(sniff('服务量.parquet', Buffer.from('ARROW1\0\0'))).toMatch(/看起来是 arrow/);
    expect(sniff('成本.txt', bytes(0x41, 0x00, 0x42))).toMatch(/binary/);
    expect(sniff('旧表.xlsx', bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1))).toMatch(/xls/);
  });
});
