import { parseYuanToFen } from '../../api/src/domain/money';
import { IssueCollector } from './issues';

/**
 * Cell parsers. Each returns the typed value, or undefined after reporting a problem at (row, column).
 * A null cell is "blank"; required cells report it.
 */
export interface CellRef {
  row: number;
  column: string; // the column letter or number, for the report
  label: string; // the header label, for the message
}

export class CellParser {
  constructor(private readonly issues: IssueCollector) {}

  text(v: string | null, at: CellRef, required: boolean): string | null | undefined {
    if (v === null || v === '') {
      if (required) {
        this.issues.add(at.row, at.column, `“${at.label}”不能为空`, `${at.label} is required`);
        return undefined;
      }
      return null;
    }
    return v;
  }

  /** 元 amount with at most two decimals, ≥ 0, to fen. */
  money(v: string | null, at: CellRef, required: boolean): number | null | undefined {
    if (v === null || v === '') {
      if (required) {
        this.issues.add(at.row, at.column, `“${at.label}”不能为空`, `${at.label} is required`);
        return undefined;
      }
      return null;
    }
    const fen = parseYuanToFen(v);
    if (fen === null) {
      const neg = /^-\s*\d/.test(v.trim());
      if (neg) this.issues.add(at.row, at.column, `“${at.label}”不能为负数：${v}`, `${at.label} must not be negative`);
      else this.issues.add(at.row, at.column, `“${at.label}”不是有效金额（元，最多两位小数）：${v}`, `${at.label} is not a valid amount in yuan`);
      return undefined;
    }
    return fen;
  }

  integer(v: string | null, at: CellRef, required: boolean, min: number, max: number): number | null | undefined {
    if (v === null || v === '') {
      if (required) {
        this.issues.add(at.row, at.column, `“${at.label}”不能为空`, `${at.label} is required`);
        return undefined;
      }
      return null;
    }
    const t = v.replace(/,/g, '').replace(/\.0+$/, '');
    if (!/^-?\d+$/.test(t) || !Number.isSafeInteger(Number(t))) {
      this.issues.add(at.row, at.column, `“${at.label}”应为整数：${v}`, `${at.label} must be a whole number`);
      return undefined;
    }
    const n = Number(t);
    if (n < min || n > max) {
      this.issues.add(at.row, at.column, `“${at.label}”超出范围 ${min}–${max}：${v}`, `${at.label} out of range ${min}-${max}`);
      return undefined;
    }
    return n;
  }

  /** A decimal number (rates, relative values). */
  decimal(v: string | null, at: CellRef, required: boolean): number | null | undefined {
    if (v === null || v === '') {
      if (required) {
        this.issues.add(at.row, at.column, `“${at.label}”不能为空`, `${at.label} is required`);
        return undefined;
      }
      return null;
    }
    const t = v.replace(/,/g, '').replace(/%$/, '');
    if (!/^-?\d+(\.\d+)?$/.test(t)) {
      this.issues.add(at.row, at.column, `“${at.label}”不是数字：${v}`, `${at.label} is not a number`);
      return undefined;
    }
    return Number(t);
  }

  /** A date: 2024-01-01, 2024/1/1, 2024年1月1日, 2024-01 (first day), 20240101. */
  date(v: string | null, at: CellRef, required: boolean): string | null | undefined {
    if (v === null || v === '') {
      if (required) {
        this.issues.add(at.row, at.column, `“${at.label}”不能为空`, `${at.label} is required`);
        return undefined;
      }
      return null;
    }
    const d = parseDate(v);
    if (!d) {
      this.issues.add(at.row, at.column, `“${at.label}”不是有效日期：${v}`, `${at.label} is not a valid date`);
      return undefined;
    }
    return d;
  }

  /** 6-digit GB/T 2260 code. Existence is checked against the database later. */
  regionCode(v: string | null, at: CellRef, required: boolean): string | null | undefined {
    const t = this.text(v, at, required);
    if (t === undefined || t === null) return t;
    if (!/^\d{6}$/.test(t)) {
      this.issues.add(at.row, at.column, `行政区划代码应为6位数字：${t}`, 'region code must be six digits (GB/T 2260)');
      return undefined;
    }
    return t;
  }

  /** 三级/二级/一级 (also 3/2/1, 三级甲等 …) → 3/2/1. */
  level(v: string | null, at: CellRef): 1 | 2 | 3 | undefined {
    const t = this.text(v, at, true);
    if (t === undefined || t === null) return undefined;
    const l = parseLevel(t);
    if (!l) {
      this.issues.add(at.row, at.column, `医院等级“${t}”不存在（应为三级、二级或一级）`, `unknown hospital level "${t}" (expected 三级/二级/一级)`);
      return undefined;
    }
    return l;
  }
}

export function parseLevel(t: string): 1 | 2 | 3 | null {
  const s = t.replace(/\s/g, '');
  if (/^(三级|3级|3|三甲|三乙)/.test(s)) return 3;
  if (/^(二级|2级|2|二甲|二乙)/.test(s)) return 2;
  if (/^(一级|1级|1|一甲|一乙)/.test(s)) return 1;
  return null;
}

export function parseDate(v: string): string | null {
  const s = v.trim();
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  let y: number, mo: number, d: number;
  if (m) {
    [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  } else {
    m = /^(\d{4})[-/.年](\d{1,2})月?$/.exec(s);
    if (!m) return null;
    [y, mo, d] = [Number(m[1]), Number(m[2]), 1];
  }
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d || y < 1990 || y > 2100) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
