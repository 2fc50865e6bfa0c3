import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The whole domain schema (DOMAIN.md): regions, institutions, catalogues of every code generation, guideline batches
 * and mappings, prices, costs, volumes, indicators, rule sets, rounds, scenarios, quotes, load batches, users, audit.
 *
 * Conventions: money is integer 分 (bigint, column suffix _fen); every fact table carries region_code in its key;
 * hospital levels are 1/2/3 (一级/二级/三级); codes are text (leading zeros and letter suffixes matter).
 */
export class InitialSchema1763900000000 implements MigrationInterface {
  name = 'InitialSchema1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
create schema if not exists staging;

create table region (
  code          text primary key check (code ~ '^[0-9]{6}$'),
  name          text not null,
  level         smallint not null check (level between 0 and 3),
  parent_code   text references region(code),
  pilot         text check (pilot in ('city_2021', 'province_2024')),
  created_at    timestamptz not null default now()
);
comment on table region is 'Administrative divisions (GB/T 2260): 000000 national, provinces, prefecture cities';

create table app_user (
  id            bigserial primary key,
  username      text not null unique,
  display_name  text not null,
  role          text not null check (role in ('admin', 'pricing_officer', 'analyst', 'viewer')),
  region_code   text references region(code),
  disabled      boolean not null default false,
  created_at    timestamptz not null default now()
);

create table audit_log (
  id            bigserial primary key,
  at            timestamptz not null default now(),
  user_id       bigint references app_user(id),
  actor         text not null,
  action        text not null,
  entity        text not null,
  entity_id     text,
  region_code   text references region(code),
  details       jsonb not null default '{}'
);
create index audit_log_entity_idx on audit_log (entity, entity_id);

create table load_batch (
  id            bigserial primary key,
  kind          text not null check (kind in ('catalogue', 'guideline', 'mapping', 'price-table', 'costs', 'volumes',
                                              'indicators', 'round', 'institutions')),
  file_name     text not null,
  checksum      text not null check (checksum ~ '^[0-9a-f]{64}$'),
  file_size     bigint not null,
  region_code   text references region(code),
  status        text not null check (status in ('loading', 'loaded', 'replaced', 'failed')),
  rows_read     integer not null default 0,
  rows_loaded   integer not null default 0,
  rows_rejected integer not null default 0,
  errors        jsonb not null default '[]',
  options       jsonb not null default '{}',
  origin        text not null default 'user' check (origin in ('real', 'generated', 'user')),
  source        text,
  loaded_by     text not null,
  started_at    timestamptz not null default now(),
  finished_at   timestamptz,
  replaced_by   bigint references load_batch(id)
);
create unique index load_batch_loaded_checksum_uq on load_batch (kind, checksum, coalesce(region_code, '')) where status = 'loaded';
create index load_batch_file_idx on load_batch (kind, file_name, coalesce(region_code, ''));
comment on table load_batch is 'One row per loaded file: lineage of every loaded row (batch_id), idempotent reloads by checksum';

create table category (
  code          text primary key,
  name_zh       text not null unique,
  name_en       text not null,
  family        text not null check (family in ('labour', 'equipment', 'mixed')),
  sort          smallint not null
);
comment on column category.family is 'labour: technical-labour items raised first; equipment: exam/lab items cut first';

create table item (
  code            text primary key,
  code_system     text not null check (code_system in ('nhc2023', 'nhc2012', 'legacy2001', 'nhsa15', 'provincial')),
  name            text not null,
  name_en         text,
  unit            text,
  category_code   text references category(code),
  kind            text check (kind in ('general', 'complex')),
  relative_value  numeric(8, 2),
  tech_difficulty numeric(6, 2),
  risk_level      numeric(6, 2),
  hr_time         text,
  note            text,
  parent_code     text,
  batch_id        bigint references load_batch(id)
);
comment on table item is 'Reference catalogues: NHC 2023/2012 技术规范 (8 chars), 2001 national codes (9 digits), NHSA 15-digit codes';
comment on column item.relative_value is '人力资源消耗相对值 (relative value of labour input, 0-100)';

create table code_crosswalk (
  from_code     text not null,
  from_system   text not null,
  to_code       text not null,
  to_system     text not null,
  batch_id      bigint references load_batch(id),
  primary key (from_code, to_code)
);
create index code_crosswalk_to_idx on code_crosswalk (to_code);

create table institution (
  region_code    text not null references region(code),
  code           text not null,
  name           text not null,
  hospital_level smallint not null check (hospital_level between 1 and 3),
  is_public      boolean not null,
  type           text,
  beds           integer check (beds >= 0),
  batch_id       bigint references load_batch(id),
  primary key (region_code, code)
);

create table region_item (
  region_code    text not null references region(code),
  item_code      text not null,
  name           text not null,
  unit           text,
  content        text,
  excluded       text,
  pricing_note   text,
  payment_class  text check (payment_class in ('甲', '乙', '丙', '自费')),
  category_code  text references category(code),
  kind           text check (kind in ('general', 'complex')),
  labour_share   numeric(5, 4) check (labour_share between 0 and 1),
  parent_code    text,
  is_group       boolean not null default false,
  sort_no        integer,
  batch_id       bigint references load_batch(id),
  primary key (region_code, item_code)
);
comment on table region_item is 'A region''s own item list, as in its price table (names and notes differ between regions)';

create table price (
  region_code     text not null,
  item_code       text not null,
  hospital_level  smallint not null check (hospital_level between 1 and 3),
  valid_from      date not null,
  valid_to        date,
  price_fen       bigint not null check (price_fen >= 0),
  float_up_pct    numeric(5, 2),
  float_down_pct  numeric(5, 2),
  batch_id        bigint references load_batch(id),
  round_id        bigint,
  primary key (region_code, item_code, hospital_level, valid_from),
  foreign key (region_code, item_code) references region_item(region_code, item_code),
  check (valid_to is null or valid_to > valid_from)
);
comment on column price.valid_to is 'exclusive end of the period; null while in force';

create table cost (
  region_code      text not null references region(code),
  institution_code text not null default '',
  item_code        text not null,
  year             smallint not null check (year between 1990 and 2100),
  labour_fen       bigint not null check (labour_fen >= 0),
  material_fen     bigint not null check (material_fen >= 0),
  depreciation_fen bigint not null check (depreciation_fen >= 0),
  other_fen        bigint not null check (other_fen >= 0),
  unit_cost_fen    bigint not null check (unit_cost_fen >= 0),
  batch_id         bigint references load_batch(id),
  primary key (region_code, institution_code, item_code, year)
);
comment on column cost.institution_code is 'empty string: the regional average cost';

create table volume (
  region_code      text not null,
  institution_code text not null,
  item_code        text not null,
  year             smallint not null,
  month            smallint not null,
  quantity         bigint not null,
  batch_id         bigint not null
) partition by list (batch_id);
comment on table volume is 'Service volumes, one partition per load batch (attached after validation, dropped on replace)';
comment on column volume.month is '1-12, or 0 for a whole-year total';

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
create table volume_annual_level (
  region_code      text not null,
  item_code        text not null,
  hospital_level   smallint not null,
  is_public        boolean not null,
  year             smallint not null,
  quantity         bigint not null,
  primary key (region_code, year, item_code, hospital_level, is_public)
);
comment on table volume_annual_level is 'Rollup of volume by region, item, level, ownership and year, refreshed by the loader';

create table indicator (
  code         text primary key,
  name_zh      text not null unique,
  name_en      text not null,
  unit         text not null,
  kind         text not null check (kind in ('rate', 'amount', 'count', 'share', 'flag', 'index')),
  description  text
);

create table indicator_value (
  region_code    text not null references region(code),
  indicator_code text not null references indicator(code),
  period         text not null check (period ~ '^[0-9]{4}((-(0[1-9]|1[0-2]))|(Q[1-4]))?$'),
  release_type   text not null check (release_type in ('express', 'final', 'yearbook', 'estimate', 'other')),
  value          numeric not null,
  unit           text not null,
  source         text not null,
  is_generated   boolean not null default false,
  batch_id       bigint references load_batch(id),
  primary key (region_code, indicator_code, period, release_type)
);
comment on column indicator_value.release_type is 'express 快报, final 公报, yearbook 统计年鉴, estimate 测算; both 快报 and 公报 are kept';

create table guideline_batch (
  id            bigserial primary key,
  name          text not null unique,
  published_on  date,
  issuer        text,
  batch_id      bigint references load_batch(id)
);
create table guideline_item (
  id                 bigserial primary key,
  guideline_batch_id bigint not null references guideline_batch(id) on delete cascade,
  seq                integer not null,
  code               text,
  name               text not null,
  service_output     text not null,
  price_composition  text,
  addons             text,
  extensions         text,
  unit               text not null,
  pricing_note       text,
  unique (guideline_batch_id, name),
  unique (guideline_batch_id, seq)
);
create table guideline_mapping (
  id                 bigserial primary key,
  guideline_item_id  bigint not null references guideline_item(id) on delete cascade,
  mapping_type       text not null check (mapping_type in ('main', 'addon', 'extension')),
  source_system      text not null check (source_system in ('nhsa15', 'nhc2023', 'legacy')),
  source_code        text not null,
  source_name        text,
  batch_id           bigint references load_batch(id),
  unique (guideline_item_id, source_system, source_code, mapping_type)
);
create index guideline_mapping_source_idx on guideline_mapping (source_code);

create table reimbursement_rate (
  region_code     text not null references region(code),
  payment_class   text not null check (payment_class in ('甲', '乙', '丙', '自费')),
  hospital_level  smallint not null check (hospital_level between 1 and 3),
  valid_from      date not null,
  fund_share      numeric(5, 4) not null check (fund_share between 0 and 1),
  primary key (region_code, payment_class, hospital_level, valid_from)
);
comment on table reimbursement_rate is 'Share of a price paid by the fund, per payment class and hospital level';

create table rule_set (
  id             bigserial primary key,
  region_code    text not null references region(code),
  name           text not null,
  version        integer not null check (version >= 1),
  valid_from     date not null,
  valid_to       date,
  start_combine  text not null check (start_combine in ('any', 'all')),
  is_preset      boolean not null default false,
  definition     jsonb not null,
  created_by     text,
  created_at     timestamptz not null default now(),
  unique (region_code, name, version),
  check (valid_to is null or valid_to > valid_from)
);
create table rule (
  id            bigserial primary key,
  rule_set_id   bigint not null references rule_set(id) on delete cascade,
  seq           smallint not null,
  role          text not null check (role in ('start', 'constraint', 'reminder')),
  label         text not null,
  expression    jsonb not null,
  comparison    text not null check (comparison in ('<', '<=', '>', '>=', '=', '!=')),
  threshold     numeric,
  unique (rule_set_id, seq)
);

create table round (
  id                   bigserial primary key,
  region_code          text not null references region(code),
  year                 smallint not null,
  name                 text not null,
  kind                 text not null check (kind in ('regular', 'special', 'historic')),
  status               text not null check (status in ('draft', 'evaluated', 'triggered', 'blocked', 'scenarios',
                                                        'approved', 'implemented')),
  rule_set_id          bigint references rule_set(id),
  params               jsonb not null default '{}',
  base_period_from     date,
  base_period_to       date,
  total_fen            bigint,
  effective_date       date,
  evaluation           jsonb,
  approved_scenario_id bigint,
  batch_id             bigint references load_batch(id),
  version              integer not null default 1,
  created_by           text,
  created_at           timestamptz not null default now(),
  updated_at           timestamptz not null default now()
);
create index round_region_idx on round (region_code, year);
comment on column round.params is '调价总金额, 调价项目数比例下限, 调价幅度上限, 申报/抽样起止时间 and the total-volume model settings';

create table scenario (
  id           bigserial primary key,
  round_id     bigint not null references round(id) on delete cascade,
  region_code  text not null references region(code),
  name         text not null,
  method       text not null check (method in ('manual', 'import', 'quotes', 'indexation', 'scaling', 'optimiser',
                                               'historic')),
  status       text not null default 'draft' check (status in ('draft', 'approved', 'archived')),
  version      integer not null default 1,
  params       jsonb not null default '{}',
  notes        text,
  created_by   text,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  unique (round_id, name)
);
alter table round add foreign key (approved_scenario_id) references scenario(id);
alter table price add foreign key (round_id) references round(id);

create table scenario_change (
  region_code     text not null,
  scenario_id     bigint not null references scenario(id) on delete cascade,
  item_code       text not null,
  hospital_level  smallint not null check (hospital_level between 1 and 3),
  old_price_fen   bigint not null check (old_price_fen >= 0),
  new_price_fen   bigint not null check (new_price_fen >= 0),
  reason          text,
  source          text,
  primary key (region_code, scenario_id, item_code, hospital_level)
);

create table round_allocation (
  round_id          bigint not null references round(id) on delete cascade,
  region_code       text not null,
  institution_code  text not null,
  base_revenue_fen  bigint not null,
  weight            numeric(12, 6) not null default 1,
  allocated_fen     bigint not null,
  primary key (round_id, region_code, institution_code)
);

create table hospital_quote (
  id                 bigserial primary key,
  round_id           bigint not null references round(id) on delete cascade,
  region_code        text not null,
  institution_code   text not null,
  item_code          text not null,
  hospital_level     smallint not null check (hospital_level between 1 and 3),
  proposed_price_fen bigint not null check (proposed_price_fen >= 0),
  unit_cost_fen      bigint check (unit_cost_fen >= 0),
  cost_basis         jsonb not null default '{}',
  expected_volume    bigint check (expected_volume >= 0),
  score              numeric(8, 2),
  status             text not null default 'submitted' check (status in ('submitted', 'selected', 'rejected')),
  submitted_at       timestamptz not null default now(),
  unique (round_id, institution_code, item_code)
);
`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
drop table if exists hospital_quote, round_allocation, scenario_change cascade;
alter table if exists round drop constraint if exists round_approved_scenario_id_fkey;
alter table if exists price drop constraint if exists price_round_id_fkey;
drop table if exists scenario, round, rule, rule_set, reimbursement_rate, guideline_mapping, guideline_item,
  guideline_batch, indicator_value, indicator, volume_annual_level, volume_annual_institution, volume, cost, price,
  region_item, institution, code_crosswalk, item, category, load_batch, audit_log, app_user, region cascade;
drop schema if exists staging cascade;
`);
  }
}
