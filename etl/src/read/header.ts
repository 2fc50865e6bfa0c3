import type { HeaderColumn } from './types';

/**
 * Canonical form of a header text: NFKC (full-width latin and digits become half-width), all whitespace removed
 * (spaces, ideographic spaces, line breaks inside a cell, zero-width characters), round brackets of either width
 * unified to the full-width `（）`, latin letters in lower case.
 */
export function normalizeHeader(s: string | null | undefined): string {
  if (!s) return '';
  return s
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[\s\u200b-\u200d\u2060\ufeff]+/gu, '')
    .replace(/[(（]/gu, '（')
    .replace(/[)）]/gu, '）');
}

/** The normalized text with bracketed parts removed (`人员经费（元）` → `人员经费`); the text itself if nothing is left. */
function looseHeader(normalized: string): string {
  const loose = normalized.replace(/（[^（）]*）/gu, '');
  return loose || normalized;
}

export interface ColumnSpec<K extends string = string> {
  key: K;
  /** Accepted variants of the column label (flat labels such as `三级医院价格（元）`, or sub-labels such as `三级`). */
  names: string[];
  required?: boolean;
  /** Accepted variants of the parent group label of a two-level header (`价格（元）`, `价格`). */
  group?: string[];
}

export interface ColumnMatch<K extends string = string> {
  /** The column found for each matched key. */
  columns: Partial<Record<K, HeaderColumn>>;
  /** Required keys with no column. */
  missing: K[];
  /** Keys with more than one equally good column (the leftmost one is in `columns`). */
  duplicates: K[];
}

interface Norm {
  n: string;
  l: string;
}

function norm(s: string): Norm {
  const n = normalizeHeader(s);
  return { n, l: looseHeader(n) };
}

/** Match quality: 4 exact, 3 equal without bracketed parts, 2 variant contained in the label, 1 label contained in the variant. */
interface Hit {
  q: number;
  len: number;
  idx: number;
}

function better(a: Hit | null, b: Hit | null): Hit | null {
  if (!a) return b;
  if (!b) return a;
  if (a.q !== b.q) return a.q > b.q ? a : b;
  if (a.len !== b.len) return a.len > b.len ? a : b;
  return a.idx <= b.idx ? a : b;
}

function matchText(label: Norm, variants: Norm[], allowReverse: boolean): Hit | null {
  if (!label.n) return null;
  let best: Hit | null = null;
  variants.forEach((v, idx) => {
    if (!v.n) return;
    let hit: Hit | null = null;
    if (v.n === label.n) hit = { q: 4, len: v.n.length, idx };
    else if (v.l === label.l) hit = { q: 3, len: v.l.length, idx };
    else if (label.n.includes(v.n)) hit = { q: 2, len: v.n.length, idx };
    else if (label.l.includes(v.l)) hit = { q: 2, len: v.l.length, idx };
    else if (allowReverse && v.n.includes(label.n)) hit = { q: 1, len: label.n.length, idx };
    best = better(best, hit);
  });
  return best;
}

/** A flat label made of a group variant and a name variant (`三级医院价格（元）` = `三级医院` + `价格（元）`). */
function matchCombined(label: Norm, groups: Norm[], names: Norm[]): Score | null {
  let best: Score | null = null;
  for (const g of groups) {
    for (const [idx, v] of names.entries()) {
      if (!g.n || !v.n) continue;
      let score: Score | null = null;
      if (label.n === v.n + g.n || label.n === g.n + v.n) {
        score = [4, 4, g.n.length + v.n.length, -idx];
      } else if (label.l === v.l + g.l || label.l === g.l + v.l) {
        score = [3, 3, g.l.length + v.l.length, -idx];
      } else {
        for (const [gt, vt, lt] of [
          [g.n, v.n, label.n],
          [g.l, v.l, label.l],
        ] as const) {
          const at = lt.indexOf(gt);
          if (at < 0) continue;
          const rest = lt.slice(0, at) + '\u0000' + lt.slice(at + gt.length);
          if (rest.includes(vt)) {
            score = [2, 2, gt.length + vt.length, -idx];
            break;
          }
        }
      }
      if (score && (!best || compareScore(score, best) > 0)) best = score;
    }
  }
  return best;
}

/** [primary quality, group quality, matched length, −variant index]; compared lexicographically. */
type Score = [number, number, number, number];

function compareScore(a: Score, b: Score): number {
  for (let i = 0; i < 4; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function hitScore(h: Hit | null): Score | null {
  return h ? [h.q, 0, h.len, -h.idx] : null;
}

function maxScore(...scores: (Score | null)[]): Score | null {
  let best: Score | null = null;
  for (const s of scores) if (s && (!best || compareScore(s, best) > 0)) best = s;
  return best;
}

interface PreparedSpec {
  names: Norm[];
  group: Norm[] | null;
}

interface PreparedColumn {
  path: Norm[];
  joined: Norm;
  /** Two-level column whose group label matches the group of some spec. */
  knownGroup: boolean;
}

/**
 * How well a spec describes a column, or null.
 * - two-level column, spec with a group: the group label must match a group variant and the sub-label a name;
 *   such a match outranks any match without a group; a group label that no spec knows is ignored (the column is
 *   judged by its sub-label as a flat one);
 * - two-level column, spec without a group: the names are matched against the sub-label and the joined label;
 * - flat column: the names are matched against the label; with a group, a label combining a group variant and a
 *   name (`三级医院价格（元）`, `三级原价`) also matches.
 */
function scoreOf(spec: PreparedSpec, col: PreparedColumn): Score | null {
  if (col.path.length >= 2) {
    const g = col.path[0]!;
    const s = col.path[col.path.length - 1]!;
    if (spec.group && !col.knownGroup) {
      // a group label no spec knows (a note row taken for a group row): judge the sub-label alone
      return maxScore(hitScore(matchText(s, spec.names, false)), matchCombined(s, spec.group, spec.names));
    }
    if (spec.group) {
      const gh = matchText(g, spec.group, false);
      if (!gh) return null;
      const sh = matchText(s, spec.names, true);
      if (!sh) return null;
      return [4 + sh.q, gh.q, sh.len + gh.len, -sh.idx];
    }
    return maxScore(hitScore(matchText(s, spec.names, false)), hitScore(matchText(col.joined, spec.names, false)));
  }
  const label = col.path[0];
  if (!label) return null;
  const direct = hitScore(matchText(label, spec.names, false));
  if (!spec.group) return direct;
  return maxScore(direct, matchCombined(label, spec.group, spec.names));
}

/**
 * Finds the column for each spec by header text. Every column goes to the spec that describes it best (exact
 * label, then the label without bracketed units, then the longest variant contained in the label), so a generic
 * spec (`价格`) never takes a column that a more specific one (`三级医院价格（元）`) matches; ties go to the
 * leftmost column and then to the earlier spec.
 */
export function matchColumns<K extends string>(
  table: { columns: readonly HeaderColumn[] },
  spec: readonly ColumnSpec<K>[],
): ColumnMatch<K> {
  // Entries sharing a key are alternatives of one column.
  const keys: K[] = [];
  const required = new Set<K>();
  const specsOf = new Map<K, PreparedSpec[]>();
  for (const s of spec) {
    if (!specsOf.has(s.key)) {
      keys.push(s.key);
      specsOf.set(s.key, []);
    }
    specsOf.get(s.key)!.push({
      names: s.names.map(norm),
      group: s.group && s.group.length > 0 ? s.group.map(norm) : null,
    });
    if (s.required) required.add(s.key);
  }
  const allGroups = [...specsOf.values()].flat().flatMap((s) => s.group ?? []);
  const cols: PreparedColumn[] = table.columns.map((c) => {
    const path = c.path.map(norm);
    return {
      path,
      joined: norm(c.path.join('')),
      knownGroup: path.length >= 2 && matchText(path[0]!, allGroups, false) !== null,
    };
  });

  const scores: (Score | null)[][] = keys.map((k) =>
    cols.map((c) => maxScore(...specsOf.get(k)!.map((s) => scoreOf(s, c)))),
  );
  const pairs: { k: number; c: number; score: Score }[] = [];
  scores.forEach((row, k) =>
    row.forEach((score, c) => {
      if (score) pairs.push({ k, c, score });
    }),
  );
  pairs.sort(
    (a, b) =>
      compareScore(b.score, a.score) ||
      table.columns[a.c]!.index - table.columns[b.c]!.index ||
      a.k - b.k,
  );

  const keyCol = new Map<number, number>();
  const colKey = new Map<number, number>();
  for (const p of pairs) {
    if (keyCol.has(p.k) || colKey.has(p.c)) continue;
    keyCol.set(p.k, p.c);
    colKey.set(p.c, p.k);
  }

  const columns: Partial<Record<K, HeaderColumn>> = {};
  const missing: K[] = [];
  const duplicates: K[] = [];
  keys.forEach((key, k) => {
    const c = keyCol.get(k);
    if (c === undefined) {
      if (required.has(key)) missing.push(key);
      return;
    }
    columns[key] = table.columns[c]!;
    const best = scores[k]![c]!;
    const rival = scores[k]!.some(
      (score, other) => other !== c && !colKey.has(other) && score !== null && compareScore(score, best) === 0,
    );
    if (rival) duplicates.push(key);
  });
  return { columns, missing, duplicates };
}
