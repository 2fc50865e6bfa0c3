/**
 * 价格平移 for a region: the carried-over price of every guideline item at each hospital level, from the region's
 * current prices of the old items mapped onto it (main mappings) weighted by their base-period volumes in public
 * hospitals. The arithmetic is api/src/domain/carry-over.ts; this module gathers its inputs.
 *
 * Old items of a guideline item: every code of its main mappings that the region's price table lists (any code
 * system), and for a 2023 specification or NHSA code the region does not list, the region's items among the legacy
 * codes it crosswalks to (code_crosswalk, written by the catalogue loader). A mapped code that resolves to nothing is
 * reported (legacy codes always; 2023/NHSA codes when nothing else resolved, since the code groups of one mapping row
 * usually name the same old item in three code systems) and does not enter the average.
 */
import type { Pool, PoolClient } from 'pg';
import { carryOverPrice, type CarryOverResult, type CarryOverSource } from '../../api/src/domain/carry-over';
import { HOSPITAL_LEVEL_LABEL, HOSPITAL_LEVELS, type HospitalLevel } from '../../api/src/domain/reference';

export interface CarryOverQuery {
  region: string;
  /** guideline_batch.name; all batches when absent. */
  guidelineBatch?: string;
  /** Base year of the volumes; default the latest year with volumes for the region up to the year of `date`. */
  year?: number;
  /** Prices in force on this date (latest valid_from ≤ date); default today. */
  date?: string;
}

export interface CarryOverRow {
  guidelineBatch: string;
  seq: number;
  name: string;
  unit: string;
  /** The region's old items the guideline item maps onto (`via`: the mapped code system, or the crosswalked code). */
  sources: { code: string; name: string | null; via: string }[];
  /** Mapped codes that the region's price table does not list and that no crosswalk resolves. */
  unresolved: string[];
  /** Old items with a price at one level at least. */
  basisCount: number;
  levels: Record<HospitalLevel, CarryOverResult>;
  note: string;
}

export interface CarryOverReport {
  region: string;
  regionName: string;
  guidelineBatch: string | null;
  date: string;
  year: number | null;
  rows: CarryOverRow[];
  /** Guideline items without any main mapping. */
  withoutMapping: string[];
  /** Guideline items carried over by the simple average at one level at least (no base-period volume). */
  withoutVolume: string[];
  /** Guideline items with mapped old items that have no price at some level. */
  withUnpriced: { name: string; codes: string[] }[];
  /** Guideline items with mappings but no price at some level (or no mapped item in the region's price table). */
  withoutPrice: string[];
  /** Guideline items with mapped codes that the region's price table does not list (and no crosswalk resolves). */
  withUnresolved: { name: string; codes: string[] }[];
}

export class CarryOverError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(`${zh} (${en})`);
  }
}

type Db = Pool | PoolClient;

/** Guideline items of the query, their main mappings, and the region items each mapped code resolves to. */
const RESOLVE = `
with gi as (
  select gi.id, gb.id as batch_id, gb.name as batch_name, gi.seq, gi.name, gi.unit
    from guideline_item gi join guideline_batch gb on gb.id = gi.guideline_batch_id
   where $2::text is null or gb.name = $2
),
m as (
  select g.id as gi_id, m.source_system, m.source_code, m.source_name,
         exists (select 1 from region_item ri where ri.region_code = $1 and ri.item_code = m.source_code and not ri.is_group) as listed
    from guideline_mapping m join gi g on g.id = m.guideline_item_id
   where m.mapping_type = 'main'
),
src as (
  -- a code the region lists itself (any code system)
  select m.gi_id, m.source_code as code, m.source_system as via from m where m.listed
  union
  -- a 2023 / NHSA code the region does not list: the region's legacy items it crosswalks to
  select m.gi_id, c.to_code, m.source_system || ' ' || m.source_code
    from m join code_crosswalk c on c.from_code = m.source_code and c.to_system = 'legacy2001'
     and c.from_system = case m.source_system when 'nhc2023' then 'nhc2023' else 'nhsa15' end
    join region_item ri on ri.region_code = $1 and ri.item_code = c.to_code and not ri.is_group
   where not m.listed and m.source_system <> 'legacy'
),
unresolved as (
  select m.gi_id, m.source_code, m.source_system from m
   where not m.listed and not exists (select 1 from src s where s.gi_id = m.gi_id and s.via = m.source_system || ' ' || m.source_code)
)
select g.batch_id, g.batch_name, g.seq, g.name, g.unit,
       (select count(*)::int from m where m.gi_id = g.id) as mapped,
       coalesce((select json_agg(json_build_object('code', s.code, 'via', s.via) order by s.code, s.via) from src s where s.gi_id = g.id), '[]') as sources,
       coalesce((select json_agg(json_build_object('code', u.source_code, 'system', u.source_system) order by u.source_code)
                   from unresolved u where u.gi_id = g.id), '[]') as unresolved
  from gi g
 order by g.batch_id, g.seq`;

/** Prices in force on a date and base-year volumes (public hospitals) of region items, per level. */
const INPUTS = `
with codes as (select unnest($2::text[]) as code),
price_at as (
  select distinct on (p.item_code, p.hospital_level) p.item_code, p.hospital_level, p.price_fen
    from price p join codes c on c.code = p.item_code
   where p.region_code = $1 and p.valid_from <= $3::date and (p.valid_to is null or p.valid_to > $3::date)
   order by p.item_code, p.hospital_level, p.valid_from desc
),
vol as (
  select v.item_code, v.hospital_level, sum(v.quantity) as quantity
    from volume_annual_level v join codes c on c.code = v.item_code
   where v.region_code = $1 and v.year = $4 and v.is_public
   group by 1, 2
)
select c.code, ri.name, l.level, pa.price_fen, v.quantity
  from codes c
  join region_item ri on ri.region_code = $1 and ri.item_code = c.code
  cross join (values (3), (2), (1)) as l(level)
  left join price_at pa on pa.item_code = c.code and pa.hospital_level = l.level
  left join vol v on v.item_code = c.code and v.hospital_level = l.level`;

function levelsText(levels: HospitalLevel[]): string {
  return levels.length === HOSPITAL_LEVELS.length ? '各级' : levels.map((l) => HOSPITAL_LEVEL_LABEL[l]).join('、');
}

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Computes the carried-over prices of the guideline items for a region. */
export async function computeCarryOver(db: Db, q: CarryOverQuery): Promise<CarryOverReport> {
  const region = await db.query('select code, name from region where code = $1', [q.region]);
  if (!region.rowCount) throw new CarryOverError(`地区代码 ${q.region} 不存在`, `unknown region ${q.region}`);
  if (q.guidelineBatch) {
    const gb = await db.query('select 1 from guideline_batch where name = $1', [q.guidelineBatch]);
    if (!gb.rowCount) {
      const all = await db.query('select name from guideline_batch order by id');
      throw new CarryOverError(
        `立项指南批次“${q.guidelineBatch}”不存在（已导入：${all.rows.map((r) => r.name).join('、') || '无'}）`,
        `guideline batch "${q.guidelineBatch}" not found`,
      );
    }
  }
  const date = q.date ?? today();
  let year = q.year ?? null;
  if (year === null) {
    const y = await db.query(
      `select max(year)::int as y from volume_annual_level where region_code = $1 and is_public and year <= extract(year from $2::date)`,
      [q.region, date],
    );
    year = y.rows[0].y ?? null;
  }
  const items = await db.query(RESOLVE, [q.region, q.guidelineBatch ?? null]);
  const allCodes = [...new Set(items.rows.flatMap((r) => (r.sources as { code: string }[]).map((x) => x.code)))];
  const inputs = await db.query(INPUTS, [q.region, allCodes, date, year]);
  const names = new Map<string, string>();
  const input = new Map<string, CarryOverSource>();
  for (const r of inputs.rows) {
    names.set(r.code, r.name);
    input.set(`${r.code}|${r.level}`, {
      code: r.code,
      priceFen: r.price_fen === null ? null : Number(r.price_fen),
      volume: r.quantity === null ? null : Number(r.quantity),
    });
  }

  const rows: CarryOverRow[] = [];
  const report = {
    withoutMapping: [] as string[],
    withoutVolume: [] as string[],
    withoutPrice: [] as string[],
    withUnpriced: [] as CarryOverReport['withUnpriced'],
    withUnresolved: [] as CarryOverReport['withUnresolved'],
  };
  for (const it of items.rows) {
    const sources = (it.sources as { code: string; via: string }[]).filter((x, i, a) => a.findIndex((y) => y.code === x.code) === i);
    const unresolved = it.unresolved as { code: string; system: string }[];
    const levels = {} as Record<HospitalLevel, CarryOverResult>;
    for (const l of HOSPITAL_LEVELS) levels[l] = carryOverPrice(sources.map((x) => input.get(`${x.code}|${l}`)!));
    const basis = new Set(HOSPITAL_LEVELS.flatMap((l) => levels[l].basis));
    const notes: string[] = [];
    const name: string = it.name;
    if (it.mapped === 0) {
      report.withoutMapping.push(name);
      notes.push('无映射的原项目');
    } else if (sources.length === 0) {
      report.withoutPrice.push(name);
      notes.push('映射的原项目均不在本地区价格表中');
    } else {
      const noVol = HOSPITAL_LEVELS.filter((l) => levels[l].flags.includes('no-volume'));
      if (noVol.length) {
        report.withoutVolume.push(name);
        notes.push(`${levelsText(noVol)}无基期服务量，按简单平均`);
      }
      const zeroWeight = [...new Set(HOSPITAL_LEVELS.filter((l) => levels[l].method === 'weighted').flatMap((l) => levels[l].withoutVolume))];
      if (zeroWeight.length) notes.push(`无服务量（权重为0）：${zeroWeight.join('、')}`);
      const noPrice = HOSPITAL_LEVELS.filter((l) => levels[l].flags.includes('no-price'));
      if (noPrice.length) {
        report.withoutPrice.push(name);
        notes.push(`${levelsText(noPrice)}原项目均无价格`);
      }
      const unpriced = HOSPITAL_LEVELS.filter((l) => !levels[l].flags.includes('no-price') && levels[l].unpriced.length > 0)
        .map((l) => `${HOSPITAL_LEVEL_LABEL[l]} ${levels[l].unpriced.join('、')}`);
      if (unpriced.length) {
        report.withUnpriced.push({ name, codes: [...new Set(HOSPITAL_LEVELS.flatMap((l) => levels[l].unpriced))] });
        notes.push(`无价格未计入：${unpriced.join('；')}`);
      }
    }
    // Mapped codes the region does not list: old (legacy) items always matter; other code systems only when nothing
    // else resolved (they usually name the same old items as the legacy codes of the row).
    const missing = unresolved.filter((u) => u.system === 'legacy' || sources.length === 0).map((u) => u.code);
    if (missing.length) {
      report.withUnresolved.push({ name, codes: missing });
      notes.push(`本地区价格表中没有：${missing.join('、')}`);
    }
    rows.push({
      guidelineBatch: it.batch_name,
      seq: it.seq,
      name,
      unit: it.unit,
      sources: sources.map((x) => ({ code: x.code, name: names.get(x.code) ?? null, via: x.via })),
      unresolved: unresolved.map((u) => u.code),
      basisCount: basis.size,
      levels,
      note: notes.join('；'),
    });
  }
  return {
    region: q.region,
    regionName: region.rows[0].name,
    guidelineBatch: q.guidelineBatch ?? null,
    date,
    year,
    rows,
    ...report,
  };
}

/** Display width on a terminal: CJK and full-width characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}

const pad = (s: string, w: number, right = false) => (right ? ' '.repeat(Math.max(0, w - width(s))) + s : s + ' '.repeat(Math.max(0, w - width(s))));

function yuan(fen: number | null): string {
  if (fen === null) return '—';
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** The report as text: a table (项目名称, 三级/二级/一级 平移价格（元）, 依据项目数, 备注) and the lists of exceptions. */
export function formatCarryOver(r: CarryOverReport): string {
  const head = ['项目名称', ...HOSPITAL_LEVELS.map((l) => `${HOSPITAL_LEVEL_LABEL[l]}平移价格（元）`), '依据项目数', '备注'];
  const body = r.rows.map((x) => [x.name, ...HOSPITAL_LEVELS.map((l) => yuan(x.levels[l].priceFen)), String(x.basisCount), x.note]);
  const widths = head.map((h, i) => Math.max(width(h), ...body.map((b) => width(b[i]!))));
  const numeric = (i: number) => i >= 1 && i <= 4;
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]!, numeric(i)))).join('  ').trimEnd();
  const out: string[] = [];
  out.push(`价格平移 ${r.regionName}（${r.region}）${r.guidelineBatch ? ` · ${r.guidelineBatch}` : ''} · 价格执行日 ${r.date} · 基期服务量 ${r.year ?? '无'}年（公立医院）`);
  out.push(line(head));
  out.push(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) out.push(line(b));
  out.push('');
  out.push(`共 ${r.rows.length} 个立项指南项目。`);
  const list = (title: string, xs: string[]) => out.push(`${title}（${xs.length}）${xs.length ? '：' + xs.join('、') : ''}`);
  list('无映射的项目', r.withoutMapping);
  list('无基期服务量（按简单平均）的项目', r.withoutVolume);
  list('映射的原项目均无价格的项目', r.withoutPrice);
  list('有原项目在某级别无价格的项目', r.withUnpriced.map((u) => `${u.name}（${u.codes.join('、')}）`));
  list('映射编码不在本地区价格表中的项目', r.withUnresolved.map((u) => `${u.name}（${u.codes.join('、')}）`));
  return out.join('\n');
}
