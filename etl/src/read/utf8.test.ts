import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { isUtf8Sample, looksLikeGbk, markNotUtf8, NOT_TEXT, uncutLength, Utf8Check } from './utf8';

/** The text Utf8Check makes of the chunks, and whether it found bytes that are not UTF-8. */
async function check(chunks: Buffer[]): Promise<{ text: string; invalid: boolean }> {
  const t = new Utf8Check();
  const out: Buffer[] = [];
  for await (const b of Readable.from(chunks, { objectMode: false }).pipe(t)) out.push(b as Buffer);
  return { text: Buffer.concat(out).toString('utf8'), invalid: t.invalid };
}

/** Every way of cutting the bytes in two. */
const splits = (b: Buffer) => Array.from({ length: b.length + 1 }, (_, i) => [b.subarray(0, i), b.subarray(i)]);

describe('Utf8Check', () => {
  const text = '项目编码,项目名称\n110200001,普通门诊诊察费𠀀\n';

  it('passes UTF-8 through, without its byte order mark, wherever the chunks are cut', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    for (const parts of splits(bytes)) expect(await check(parts)).toEqual({ text, invalid: false });
    expect(await check([...bytes].map((b) => Buffer.from([b])))).toEqual({ text, invalid: false });
  });

  it('keeps a U+FEFF that is not at the start, and a U+FFFD of the file', async () => {
    expect(await check([Buffer.from('a\ufeffb\ufffd')])).toEqual({ text: 'a\ufeffb\ufffd', invalid: false });
  });

  it('marks each byte that is not UTF-8, the same wherever the chunks are cut', async () => {
    // 特级护理 in GBK: CC D8 BC B6 BB A4 C0 ED, of which D8 BC happens to be a UTF-8 sequence (U+063C)
    const bytes = Buffer.concat([Buffer.from('护理,'), iconv.encode('特级护理', 'gbk'), Buffer.from(',日\n')]);
    const text = `护理,${NOT_TEXT}\u063c${NOT_TEXT.repeat(5)},日\n`;
    expect(markNotUtf8(bytes).toString('utf8')).toBe(text);
    for (const parts of splits(bytes)) expect(await check(parts)).toEqual({ text, invalid: true });
  });

  it('marks a sequence cut by the end of the file', async () => {
    expect(await check([Buffer.from('ab'), Buffer.from('项').subarray(0, 2)])).toEqual({ text: `ab${NOT_TEXT}${NOT_TEXT}`, invalid: true });
  });
});

describe('UTF-8 helpers', () => {
  it('finds a sequence cut at the end', () => {
    const b = Buffer.from('a项');
    expect(uncutLength(b)).toBe(4);
    expect(uncutLength(b.subarray(0, 3))).toBe(1);
    expect(uncutLength(b.subarray(0, 2))).toBe(1);
    expect(isUtf8Sample(b.subarray(0, 2))).toBe(true);
    expect(isUtf8Sample(iconv.encode('项目', 'gbk'))).toBe(false);
  });

  it('refuses overlong forms, surrogates and code points past U+10FFFF', () => {
    for (const bad of [[0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80], [0x80]]) {
      expect(markNotUtf8(Buffer.from(bad)).toString('utf8')).toBe(NOT_TEXT.repeat(bad.length));
    }
    expect(markNotUtf8(Buffer.from('𠀀é')).toString('utf8')).toBe('𠀀é');
  });
});

describe('looksLikeGbk', () => {
  const asUtf8 = (gbkText: string) => iconv.encode(gbkText, 'gbk').toString('utf8');

  it('finds GBK text whose bytes happen to be valid UTF-8', () => {
    expect(asUtf8('洗胃')).toBe('ϴθ');
    expect(looksLikeGbk(asUtf8('洗胃'))).toBe(true);
    expect(looksLikeGbk(asUtf8('医院'))).toBe(true);
    expect(looksLikeGbk(` ${asUtf8('洗胃')} `)).toBe(true);
  });

  it('leaves UTF-8 Chinese text, and Greek letters and symbols on their own or next to Chinese text', () => {
    for (const t of ['洗胃', 'β2-微球蛋白测定', 'γ-谷氨酰基转移酶', 'μmol/L', '±5%', '37°C', 'α', '10×10cm', 'ϴθ洗胃', 'X线计算机体层(CT)平扫', '']) {
      expect(looksLikeGbk(t), t).toBe(false);
    }
  });

  it('finds none among the UTF-8 csv cells of the demo dataset and the test fixtures', () => {
    const cells: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.csv')) {
          const b = fs.readFileSync(p);
          if (isUtf8(b)) for (const line of b.toString('utf8').split('\n')) cells.push(...line.split(','));
        }
      }
    };
    walk('data/demo');
    walk('test/fixtures');
    expect(cells.length).toBeGreaterThan(100_000);
    expect(cells.filter(looksLikeGbk)).toEqual([]);
  });
});
