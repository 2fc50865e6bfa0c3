import { MigrationInterface, QueryRunner } from 'typeorm';
import regions from '../seeds/regions-gbt2260.json';
import reference from '../seeds/reference-1763900000001.json';

/** Reference rows the schema needs before any file is loaded: regions, categories, the indicator catalogue. */
export class ReferenceData1763900000001 implements MigrationInterface {
  name = 'ReferenceData1763900000001';

  async up(q: QueryRunner): Promise<void> {
    const pilots: Record<string, string> = {
      '130200': 'city_2021', '320500': 'city_2021', '350200': 'city_2021', '360700': 'city_2021', '511100': 'city_2021',
      '150000': 'province_2024', '330000': 'province_2024', '510000': 'province_2024',
    };
    const rows = regions as { code: string; name: string; level: number; parent: string | null }[];
    await q.query(
      `insert into region (code, name, level, parent_code, pilot)
       select r.code, r.name, r.level, r.parent, r.pilot
       from jsonb_to_recordset($1::jsonb) as r(code text, name text, level smallint, parent text, pilot text)
       order by r.level`,
      [JSON.stringify(rows.map((r) => ({ ...r, pilot: pilots[r.code] ?? null })))],
    );
    await q.query(
      `insert into category (code, name_zh, name_en, family, sort)
       select * from jsonb_to_recordset($1::jsonb) as c(code text, name_zh text, name_en text, family text, sort smallint)`,
      [JSON.stringify(reference.categories.map((c, i) => ({ ...c, sort: i + 1 })))],
    );
    await q.query(
      `insert into indicator (code, name_zh, name_en, unit, kind, description)
       select * from jsonb_to_recordset($1::jsonb)
         as i(code text, name_zh text, name_en text, unit text, kind text, description text)`,
      [JSON.stringify(reference.indicators)],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`delete from indicator; delete from category; delete from region;`);
  }
}
