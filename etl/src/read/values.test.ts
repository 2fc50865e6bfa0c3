import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatReadErrorMessage, ReadError } from './types';
import { columnLetter, formatCellNumber, formatDate, formatNumber, toPlainDecimal } from './values';

describe('formatNumber', () => {
  it('writes integers exactly and decimals as displayed', () => {
    expect(formatNumber(110200001)).toBe('110200001');
    expect(formatNumber(3107010010000)).toBe('3107010010000');
    expect(formatNumber(12.5)).toBe('12.5');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(1.005)).toBe('1.005');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(-7.25)).toBe('-7.25');
    expect(formatNumber(1e21)).toBe('1000000000000000000000');
    expect(formatNumber(1e-7)).toBe('0.0000001');
    expect(formatNumber(1.5e-10)).toBe('0.00000000015');
    expect(formatNumber(0.30000000000000004 * 1e20)).toBe('30000000000000000000');
    expect(formatNumber(1920919150559556)).toBe('1920919150559556');
    expect(formatNumber(123456789.123456789)).toBe('123456789.123457');
  });

  it('never writes an exponent and keeps the value to 15 digits', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e25, max: 1e25 }), (v) => {
        const s = formatNumber(v);
        expect(s).toMatch(/^-?\d+(\.\d+)?$/);
        if (Number.isSafeInteger(v)) expect(s).toBe(String(Object.is(v, -0) ? 0 : v));
        else expect(Number(s)).toBe(Number(v.toPrecision(15)) + 0);
      }),
    );
  });
});

describe('toPlainDecimal', () => {
  it('expands exponents', () => {
    expect(toPlainDecimal('1.25e+3')).toBe('1250');
    expect(toPlainDecimal('1.25e-3')).toBe('0.00125');
    expect(toPlainDecimal('-2e-2')).toBe('-0.02');
    expect(toPlainDecimal('12.5')).toBe('12.5');
    expect(toPlainDecimal('12.5000000000000')).toBe('12.5');
    expect(toPlainDecimal('-0.000000000000000')).toBe('0');
    expect(toPlainDecimal('100')).toBe('100');
    expect(toPlainDecimal('1.00000000000000e+21')).toBe('1000000000000000000000');
    expect(toPlainDecimal('abc')).toBe('abc');
  });
});

describe('formatCellNumber', () => {
  it('applies zero padding and percentages only', () => {
    expect(formatCellNumber(3107010010000, '000000000000000')).toBe('003107010010000');
    expect(formatCellNumber(12.5, '0.00')).toBe('12.5');
    expect(formatCellNumber(0.075, '0.0%')).toBe('7.5%');
    expect(formatCellNumber(0.5, '0%')).toBe('50%');
    expect(formatCellNumber(1234.5, '#,##0.00')).toBe('1234.5');
    expect(formatCellNumber(12, '"¥"0.00')).toBe('12');
    expect(formatCellNumber(12, 'General')).toBe('12');
    expect(formatCellNumber(12, undefined)).toBe('12');
  });
});

describe('formatDate', () => {
  it('writes dates and date-times', () => {
    expect(formatDate(new Date(Date.UTC(2024, 7, 1)))).toBe('2024-08-01');
    expect(formatDate(new Date(Date.UTC(2024, 7, 1, 23, 59, 59, 700)))).toBe('2024-08-02');
    expect(formatDate(new Date(Date.UTC(2024, 7, 1, 9, 5, 3)))).toBe('2024-08-01 09:05:03');
    expect(formatDate(new Date(Number.NaN))).toBeNull();
  });
});

describe('columnLetter', () => {
  it('names columns like a spreadsheet', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnLetter)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
  });
});

describe('ReadError', () => {
  it('reads file:row:column: 中文 (English)', () => {
    const e = new ReadError('a.csv', 12, 'C', '金额格式错误', 'bad amount');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('ReadError');
    expect(e.message).toBe('a.csv:12:C: 金额格式错误 (bad amount)');
    expect([e.file, e.row, e.column, e.messageZh, e.messageEn]).toEqual(['a.csv', 12, 'C', '金额格式错误', 'bad amount']);
    expect(formatReadErrorMessage('a.csv', 12, null, '中', 'en')).toBe('a.csv:12: 中 (en)');
    expect(formatReadErrorMessage('a.csv', null, 'C', '中', 'en')).toBe('a.csv::C: 中 (en)');
    expect(formatReadErrorMessage('a.csv', null, null, '中', 'en')).toBe('a.csv: 中 (en)');
    expect(formatReadErrorMessage('', null, null, '中', '')).toBe('中');
  });
});
