import { z } from 'zod';
import type { FieldIssue } from './errors';

/**
 * Checks of a request's input before its zod schema sees it, and the schemas of ids given as text.
 *
 * JSON bodies may be nested to any depth (express's parser accepts it), and zod's recursive schemas (rule-set
 * expressions) or JSON.stringify of a free-form object (a round's evaluation) would overflow the stack on a body
 * nested thousands deep; PostgreSQL refuses a NUL character in text and jsonb, and an unpaired surrogate in jsonb. Both are found here in one iterative
 * walk, so that every body, query and path parameter is refused with a 400 naming the field instead of a 500.
 */

/** Deepest nesting of arrays and objects accepted in a request (a rule set with the deepest expressions needs ~20). */
export const MAX_INPUT_DEPTH = 64;

/** Problems reported at most for one request. */
const MAX_ISSUES = 20;

const NUL_MESSAGE = '不能含有 NUL 字符 (must not contain a NUL character \\u0000)';
const SURROGATE_MESSAGE = '含有无效的 Unicode 字符（不成对的代理项）(contains an unpaired surrogate: not valid Unicode text)';
/** A UTF-16 surrogate without its pair: JSON carries it as \\ud800, which PostgreSQL's jsonb refuses. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const DEPTH_MESSAGE = `嵌套过深，超过 ${MAX_INPUT_DEPTH} 层 (nested deeper than ${MAX_INPUT_DEPTH} levels)`;

/**
 * NUL characters and unpaired surrogates (in strings and object keys) and nesting deeper than MAX_INPUT_DEPTH in a request's value, as field
 * issues with their path under `where` ('body.rules.0.label'). Iterative: any depth is walked without recursion.
 */
export function inputProblems(value: unknown, where: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: value, path: where, depth: 0 }];
  while (stack.length > 0 && issues.length < MAX_ISSUES) {
    const { v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) issues.push({ path, message: NUL_MESSAGE });
      else if (LONE_SURROGATE.test(v)) issues.push({ path, message: SURROGATE_MESSAGE });
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) {
      issues.push({ path, message: DEPTH_MESSAGE });
      continue;
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: `${path}.${i}`, depth: depth + 1 });
      continue;
    }
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i]!;
      if (k.includes('\u0000') || LONE_SURROGATE.test(k)) {
        issues.push({ path: `${path}.${JSON.stringify(k).slice(1, -1)}`, message: k.includes('\u0000') ? NUL_MESSAGE : SURROGATE_MESSAGE });
        continue;
      }
      stack.push({ v: (v as Record<string, unknown>)[k], path: `${path}.${k}`, depth: depth + 1 });
    }
  }
  return issues;
}

const ID_MESSAGE = '须为正整数编号（十进制数字，不带符号、前导零、小数点或空格）(positive decimal integer id)';

/**
 * A positive decimal integer given as text (a path id, a query version): digits only, without sign, leading zeros,
 * exponent, hex prefix, decimal point or spaces, at most `max` (what an integer column holds).
 */
export function positiveIntText(max = 2 ** 31 - 1, message = ID_MESSAGE) {
  return z
    .string({ error: message })
    .regex(/^[1-9][0-9]{0,15}$/, { error: message })
    .transform(Number)
    .pipe(z.number().max(max, { error: message }));
}

/** A row id in a path or query string. */
export const idSchema = positiveIntText();
