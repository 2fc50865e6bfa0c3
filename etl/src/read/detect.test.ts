import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { detectEncoding, isBlankBytes } from './detect';
import { ReadError } from './types';

describe('detectEncoding', () => {
  const text = '序号,项目编码,项目名称,三级医院价格（元）\n1,110200001,普通门诊诊察费,12.5\n';

  it('takes a UTF-8 BOM as UTF-8', () => {
    expect(detectEncoding(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toEqual({
      encoding: 'utf-8',
      bom: true,
    });
  });

  it('takes valid UTF-8 as UTF-8, ASCII included', () => {
    expect(detectEncoding(Buffer.from(text))).toEqual({ encoding: 'utf-8', bom: false });
    expect(detectEncoding(Buffer.from('code,name\n1,a\n'))).toEqual({ encoding: 'utf-8', bom: false });
    expect(detectEncoding(Buffer.alloc(0))).toEqual({ encoding: 'utf-8', bom: false });
  });

  it('tolerates a character cut at the end of the sample', () => {
    const bytes = Buffer.from(text);
    // 项 is three bytes in UTF-8; cut after the first of them
    const cut = bytes.indexOf(Buffer.from('项')) + 1;
    expect(detectEncoding(bytes.subarray(0, cut))).toEqual({ encoding: 'utf-8', bom: false });
  });

  it('takes GBK and GB18030 as gb18030', () => {
    expect(detectEncoding(iconv.encode(text, 'gbk'))).toEqual({ encoding: 'gb18030', bom: false });
    expect(detectEncoding(iconv.encode('𠀀,㊣\n', 'gb18030'))).toEqual({ encoding: 'gb18030', bom: false });
  });

  it('takes a UTF-8 sample with a few rows in GBK as UTF-8 (their rows are rejected when read)', () => {
    const lines = text.split('\n');
    const mixed = Buffer.concat([
      Buffer.from(`${lines[0]}\n${lines[1]}\n`),
      iconv.encode('2,120100001,特级护理,150\n', 'gbk'),
      Buffer.from('3,220301001,彩色多普勒超声常规检查,70\n'),
    ]);
    expect(detectEncoding(mixed)).toEqual({ encoding: 'utf-8', bom: false });
  });

  it('still takes GBK as gb18030 when most of its rows are GBK, whatever a few bytes look like', () => {
    const rows = Array.from({ length: 40 }, (_, i) => `${i},1102000${String(i).padStart(2, '0')},普通门诊诊察费${i},次,12.5\n`).join('');
    expect(detectEncoding(iconv.encode(text + rows, 'gbk'))).toEqual({ encoding: 'gb18030', bom: false });
    // a UTF-8 row among GBK rows does not make it UTF-8
    const mostlyGbk = Buffer.concat([iconv.encode(text + rows, 'gbk'), Buffer.from('9,110200009,普通门诊诊察费,12.5\n')]);
    expect(detectEncoding(mostlyGbk)).toEqual({ encoding: 'gb18030', bom: false });
  });

  it('refuses UTF-16 and binary data', () => {
    for (const buf of [
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]),
      Buffer.from('code,name\n1,a\n', 'utf16le'),
      Buffer.from([0x00, 0x01, 0x02, 0x00, 0x00, 0x9c, 0x00, 0x00]),
    ]) {
      let err: unknown;
      try {
        detectEncoding(buf, 'x.csv');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ReadError);
      expect((err as ReadError).file).toBe('x.csv');
      expect((err as ReadError).messageZh).toMatch(/^文件编码无法识别/);
      expect((err as ReadError).messageEn).toMatch(/^unsupported encoding/);
    }
  });
});

describe('isBlankBytes', () => {
  it('sees whitespace and a BOM as blank', () => {
    expect(isBlankBytes(Buffer.from(' \r\n\t'))).toBe(true);
    expect(isBlankBytes(Buffer.from('\ufeff\n'))).toBe(true);
    expect(isBlankBytes(Buffer.from(' a '))).toBe(false);
  });
});
