// Synthetic national-scale data for `npm run bench -- engine`, inserted set-based (generate_series) into a migrated
// scratch database: every provincial region × 10,000 items, prices at three levels, regional costs, public
// institutions, base-year volume rollups, indicator values, and one round with a scenario of 10,000 changed rows.
import type { Client } from 'pg';
import { INDICATORS } from '../../../api/src/domain/reference';
import { partitionDdl, partitionName } from '../../../etl/src/volumes/load';

export const ITEMS = 10_000;
export const CHANGES = 10_000;
export const BASE_YEAR = 2024;
export const ROUND_YEAR = 2025;
export const INSTITUTIONS_PER_LEVEL = 3;
export const ROUND_PARAMS = { changeCap: 0.15, itemShareFloor: 0.1, totalFen: 50_000_000_000 };

/** Item i (0-based): 9-digit numeric code. */
export const itemCodeSql = (i: string) => `(310000001 + ${i})::text`;

export interface Seeded {
  regions: string[];
  roundId: number;
  scenarioId: number;
  rows: Record<string, number>;
}

/**
 * Fills the scratch database. `region` is the region of the round and scenario; `indicators` the indicator codes
 * the trigger preset reads (the service-revenue share the impact reads is added).
 */
export async function seed(c: Client, region: string, indicators: readonly string[], log: (s: string) => void): Promise<Seeded> {
  const regions = (await c.query<{ code: string }>(`select code from region where level = 1 and code not in ('710000', '810000', '820000') order by code`)).rows.map((r) => r.code);
  if (!regions.includes(region)) throw new Error(`region ${region} is not a provincial region`);

  // helper tables (session-local)
  await c.query(`create temp table b_region as select code, row_number() over (order by code)::int as r from region where code = any($1::text[])`, [regions]);
  await c.query(`create temp table b_item as
    select i, ${itemCodeSql('i')} as code, cat.code as category_code, cat.family,
           (array['甲', '甲', '乙', '乙', '乙', '丙', '自费'])[1 + (i * 3) % 7] as payment_class,
           500 + (i::bigint * 7919) % 20000 as p0
      from generate_series(0, ${ITEMS - 1}) i
      join (select code, family, row_number() over (order by sort)::int - 1 as k, count(*) over ()::int as n from category) cat
        on cat.k = i % cat.n`);
  await c.query(`create temp table b_level as select l as level, (array[0.80, 0.90, 1.00])[l]::numeric as f from generate_series(1, 3) l`);
  const step = async (label: string, sql: string, params: unknown[] = []) => {
    const t0 = process.hrtime.bigint();
    const r = await c.query(sql, params);
    log(`  ${label}: ${(r.rowCount ?? 0).toLocaleString('en')} rows, ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s`);
    return r.rowCount ?? 0;
  };
  const rows: Record<string, number> = {};
  rows.region_item = await step('region_item', `insert into region_item (region_code, item_code, name, unit, payment_class, category_code, sort_no)
    select g.code, it.code, '服务项目' || it.code, '次', it.payment_class, it.category_code, it.i + 1 from b_region g cross join b_item it`);
  rows.price = await step('price', `insert into price (region_code, item_code, hospital_level, valid_from, price_fen)
    select g.code, it.code, l.level, date '2023-01-01', round(it.p0 * (0.85 + (g.r * 37 % 30) / 100.0) * l.f)::bigint
      from b_region g cross join b_item it cross join b_level l`);
  // regional average cost of the base year: labour items under-recover, equipment items over-recover
  rows.cost = await step('cost', `insert into cost (region_code, institution_code, item_code, year, labour_fen, material_fen, depreciation_fen, other_fen, unit_cost_fen)
    select code, '', item, ${BASE_YEAR}, round(u * ls)::bigint, round(u * (1 - ls) * 0.6)::bigint, round(u * (1 - ls) * 0.3)::bigint,
           round(u) - round(u * ls)::bigint - round(u * (1 - ls) * 0.6)::bigint - round(u * (1 - ls) * 0.3)::bigint, round(u)::bigint
      from (select g.code, it.code as item,
                   it.p0 * (0.85 + (g.r * 37 % 30) / 100.0) * 0.9
                     * case it.family when 'labour' then 1.25 + (it.i % 20) / 100.0 when 'equipment' then 0.75 + (it.i % 10) / 100.0 else 1.0 + (it.i % 10) / 100.0 end as u,
                   case it.family when 'labour' then 0.7 when 'equipment' then 0.2 else 0.45 end as ls
              from b_region g cross join b_item it) x`);
  rows.institution = await step('institution', `insert into institution (region_code, code, name, hospital_level, is_public, type, beds)
    select g.code, left(g.code, 2) || l.level || lpad(k::text, 3, '0'), g.code || ' ' || l.level || '级医院' || k, l.level, true,
           (array['综合医院', '中医医院', '专科医院'])[k], 100 * l.level * k
      from b_region g cross join b_level l cross join generate_series(1, ${INSTITUTIONS_PER_LEVEL}) k`);
  // base-year volumes as one volumes batch (whole-year rows), laid out as the loader does: a partition of `volume`,
  // its volume_coverage rows, and the level rollup
  const batch = Number((await c.query<{ id: string }>(`insert into load_batch (kind, file_name, checksum, file_size, status, origin, loaded_by, finished_at)
    values ('volumes', 'bench-volumes.csv', md5('bench') || md5('volumes'), 0, 'loaded', 'generated', 'bench', now()) returning id`)).rows[0].id);
  const partition = partitionName(batch);
  await c.query(partitionDdl(partition, batch, null));
  rows.volume = await step('volume', `insert into ${partition} (region_code, institution_code, item_code, year, month, quantity)
    select i.region_code, i.code, it.code, ${BASE_YEAR}, 0, (1 + (it.i * 131 + ascii(right(i.code, 1)) * 977 + g.r * 53) % 4000) * i.hospital_level
      from institution i join b_region g on g.code = i.region_code cross join b_item it`);
  await c.query(`alter table volume attach partition ${partition} for values in (${batch})`);
  await c.query(`comment on table ${partition} is '${JSON.stringify({ batch, regionYears: regions.map((r) => [r, BASE_YEAR]) })}'`);
  await step('volume_coverage', `insert into volume_coverage (region_code, year, institution_code, batch_id, months)
    select region_code, year, institution_code, batch_id, bit_or(1 << month::int) from ${partition} group by 1, 2, 3, 4`);
  rows.volume_annual_level = await step('volume_annual_level', `insert into volume_annual_level (region_code, item_code, hospital_level, is_public, year, quantity)
    select v.region_code, v.item_code, i.hospital_level, i.is_public, v.year, sum(v.quantity)
      from ${partition} v join institution i on i.region_code = v.region_code and i.code = v.institution_code
     group by 1, 2, 3, 4, 5`);

  // indicator values 2020–2025, every region, as the catalogue's units
  const codes = [...new Set([...indicators, 'service_revenue_share'])];
  const values: { region_code: string; indicator_code: string; period: string; value: number; unit: string }[] = [];
  regions.forEach((code, r) => {
    for (const ind of codes) {
      const def = INDICATORS.find((d) => d.code === ind);
      if (!def) continue;
      for (let y = 2020; y <= ROUND_YEAR; y++) {
        const t = y - 2020;
        const wobble = ((r * 7 + t * 3) % 11) / 10; // 0 … 1
        let v: number;
        if (def.kind === 'flag') v = 0;
        else if (ind === 'outpatient_cost_per_visit') v = 280 + r * 4 + (r % 3 === 0 ? -3 * t : 6 * t);
        else if (ind === 'inpatient_cost_per_stay') v = 9000 + r * 90 + (r % 4 === 0 ? -80 * t : 150 * t);
        else if (ind === 'medical_revenue_growth') v = 4 + wobble * 4;
        else if (ind === 'gdp_growth') v = 5.2;
        else if (ind === 'medical_total_cost_growth') v = 6 + wobble * 5;
        else if (ind === 'cost_growth_target') v = 5;
        else if (ind === 'cpi_growth') v = 0.2 + wobble * 2;
        else if (ind === 'cpi_target') v = 3;
        else if (ind === 'fund_current_balance') v = -5 + r + t;
        else if (ind === 'fund_accumulated_balance') v = 150 + 10 * r + 5 * t;
        else if (ind === 'fund_expenditure' || ind === 'fund_income') v = 300 + 8 * r + 12 * t;
        else if (ind === 'fund_reserve_months') v = 6 + wobble * 10;
        else if (def.kind === 'share') v = 25 + wobble * 10;
        else if (def.kind === 'rate') v = 3 + wobble * 5;
        else v = 100 + r + t;
        values.push({ region_code: code, indicator_code: ind, period: String(y), value: Math.round(v * 100) / 100, unit: def.unit });
      }
    }
  });
  rows.indicator_value = await step('indicator_value', `insert into indicator_value (region_code, indicator_code, period, release_type, value, unit, source, is_generated)
    select x.region_code, x.indicator_code, x.period, 'final', x.value, x.unit, '基准测试合成数据', true
      from jsonb_to_recordset($1::jsonb) as x(region_code text, indicator_code text, period text, value numeric, unit text)`, [JSON.stringify(values)]);

  // the round and a scenario of 10,000 changed rows (3,334 items × 3 levels, trimmed): labour items up, equipment down
  const round = await c.query<{ id: string }>(
    `insert into round (region_code, year, name, kind, status, params, base_period_from, base_period_to, created_by)
     values ($1, $2, '基准测试调价轮次', 'regular', 'scenarios', $3::jsonb, make_date($4, 1, 1), make_date($4, 12, 31), 'bench') returning id`,
    [region, ROUND_YEAR, JSON.stringify(ROUND_PARAMS), BASE_YEAR],
  );
  const roundId = Number(round.rows[0].id);
  const scenario = await c.query<{ id: string }>(
    `insert into scenario (round_id, region_code, name, method, status, params, created_by)
     values ($1, $2, '基准测试方案', 'manual', 'draft', '{}'::jsonb, 'bench') returning id`,
    [roundId, region],
  );
  const scenarioId = Number(scenario.rows[0].id);
  rows.scenario_change = await step('scenario_change', `insert into scenario_change (region_code, scenario_id, item_code, hospital_level, old_price_fen, new_price_fen, reason, source)
    select p.region_code, $2, p.item_code, p.hospital_level, p.price_fen,
           round(p.price_fen * case it.family when 'labour' then 1.08 when 'equipment' then 0.93 else 1.03 end)::bigint, '基准测试', 'bench'
      from price p join b_item it on it.code = p.item_code
     where p.region_code = $1 and it.i < ${Math.ceil(CHANGES / 3)}
     order by it.i, p.hospital_level desc
     limit ${CHANGES}`, [region, scenarioId]);
  await c.query('drop table b_region, b_item, b_level');
  await c.query('analyze');
  return { regions, roundId, scenarioId, rows };
}
