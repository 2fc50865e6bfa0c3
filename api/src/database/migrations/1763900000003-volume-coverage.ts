import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Volume coverage instead of the institution rollup. volume_annual_institution held one row per (region, year,
 * institution, item) — as many rows as a file of whole-year figures, rewritten on every load. What it was for
 * (finding overlapping periods) needs much less: volume_coverage holds one row per region, year, institution and
 * batch with the months that batch loaded (bit m = month m, bit 0 = a whole-year total). A new file is compared
 * with it first, and only the institution-years that collide there are checked item by item against `volume`.
 * Item-level volumes of a year are read from `volume` itself.
 */
export class VolumeCoverage1763900000003 implements MigrationInterface {
  name = 'VolumeCoverage1763900000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
create table volume_coverage (
  region_code      text not null,
  year             smallint not null,
  institution_code text not null,
  batch_id         bigint not null references load_batch(id),
  months           integer not null check (months > 0),
  primary key (region_code, year, institution_code, batch_id)
);
comment on table volume_coverage is 'Months of volume data per region, year, institution and load batch; how overlapping periods are found';
comment on column volume_coverage.months is 'bit m set when the batch holds month m of the year (bit 0: a whole-year total)';

insert into volume_coverage (region_code, year, institution_code, batch_id, months)
select region_code, year, institution_code, batch_id, bit_or(1 << month::int)
  from volume
 group by region_code, year, institution_code, batch_id;

drop table volume_annual_institution;
`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
create table volume_annual_institution (
  region_code      text not null,
  institution_code text not null,
  item_code        text not null,
  year             smallint not null,
  quantity         bigint not null,
  months           integer not null default 0,
  primary key (region_code, year, institution_code, item_code)
);
comment on column volume_annual_institution.months is 'bit m set when month m (0 = whole year) was loaded; detects overlapping periods';

insert into volume_annual_institution (region_code, institution_code, item_code, year, quantity, months)
select region_code, institution_code, item_code, year, sum(quantity), bit_or(1 << month::int)
  from volume
 group by region_code, year, institution_code, item_code;

drop table volume_coverage;
`);
  }
}
