import { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS_BEFORE = `'catalogue', 'guideline', 'mapping', 'price-table', 'costs', 'volumes', 'indicators', 'round', 'institutions', 'reimbursement'`;

/**
 * 医保待遇政策表 as a load kind (etl kind `insurance-policy`): per region, insurance scheme and 执行日期, what each
 * layer pays — 基本医保 (住院起付线 and 报销比例 by level, 封顶线; 门诊统筹), 大病保险 (threshold, pay-rate bands on the
 * excess, ceiling, and the tilt for 医疗救助 recipients), 医疗救助 (起付线, rate, annual limit) and an optional 惠民保.
 * Money in fen (bigint), rates as decimals; a rate of basic insurance left empty falls back to the 医保支付比例表.
 */
export class InsurancePolicy1764300000000 implements MigrationInterface {
  name = 'InsurancePolicy1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
alter table load_batch drop constraint load_batch_kind_check;
alter table load_batch add constraint load_batch_kind_check check (kind in (${KINDS_BEFORE}, 'insurance-policy'));

create table insurance_policy (
  region_code                     text not null references region(code),
  scheme                          text not null check (scheme in ('resident', 'employee')),
  valid_from                      date not null,
  inpatient_deductible_3_fen      bigint not null check (inpatient_deductible_3_fen >= 0),
  inpatient_deductible_2_fen      bigint not null check (inpatient_deductible_2_fen >= 0),
  inpatient_deductible_1_fen      bigint not null check (inpatient_deductible_1_fen >= 0),
  inpatient_rate_3                numeric(5, 4) check (inpatient_rate_3 between 0 and 1),
  inpatient_rate_2                numeric(5, 4) check (inpatient_rate_2 between 0 and 1),
  inpatient_rate_1                numeric(5, 4) check (inpatient_rate_1 between 0 and 1),
  inpatient_ceiling_fen           bigint not null check (inpatient_ceiling_fen >= 0),
  outpatient_deductible_fen       bigint check (outpatient_deductible_fen >= 0),
  outpatient_rate                 numeric(5, 4) check (outpatient_rate between 0 and 1),
  outpatient_ceiling_fen          bigint check (outpatient_ceiling_fen >= 0),
  critical_threshold_fen          bigint not null check (critical_threshold_fen >= 0),
  critical_band_from_fen          bigint[] not null,
  critical_band_rate              numeric(5, 4)[] not null,
  critical_ceiling_fen            bigint check (critical_ceiling_fen >= 0),
  assisted_critical_threshold_fen bigint not null check (assisted_critical_threshold_fen >= 0),
  assisted_critical_rate_uplift   numeric(5, 4) not null default 0 check (assisted_critical_rate_uplift between 0 and 1),
  assisted_critical_no_ceiling    boolean not null default false,
  assistance_deductible_fen       bigint not null default 0 check (assistance_deductible_fen >= 0),
  assistance_rate                 numeric(5, 4) not null check (assistance_rate between 0 and 1),
  assistance_ceiling_fen          bigint not null check (assistance_ceiling_fen >= 0),
  huiminbao_deductible_fen        bigint check (huiminbao_deductible_fen >= 0),
  huiminbao_rate                  numeric(5, 4) check (huiminbao_rate between 0 and 1),
  huiminbao_ceiling_fen           bigint check (huiminbao_ceiling_fen >= 0),
  batch_id                        bigint references load_batch(id),
  primary key (region_code, scheme, valid_from),
  check ((inpatient_rate_3 is null) = (inpatient_rate_2 is null) and (inpatient_rate_2 is null) = (inpatient_rate_1 is null)),
  check ((outpatient_rate is null) = (outpatient_deductible_fen is null) and (outpatient_rate is null) = (outpatient_ceiling_fen is null)),
  check ((huiminbao_rate is null) = (huiminbao_deductible_fen is null) and (huiminbao_rate is null) = (huiminbao_ceiling_fen is null)),
  check (cardinality(critical_band_from_fen) >= 1 and cardinality(critical_band_from_fen) = cardinality(critical_band_rate)
         and critical_band_from_fen[1] = 0)
);
create index insurance_policy_batch_idx on insurance_policy (batch_id);
comment on table insurance_policy is '医保待遇政策表: what 基本医保, 大病保险, 医疗救助 and 惠民保 pay, per region, scheme and 执行日期';
comment on column insurance_policy.critical_band_from_fen is '大病保险 bands: lower edges on the self-paid cost above the threshold (the first is 0)';
comment on column insurance_policy.inpatient_rate_3 is 'null: the 医保支付比例表''s 甲类 share of the level is used';
`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
drop table insurance_policy;
delete from load_batch where kind = 'insurance-policy';
alter table load_batch drop constraint load_batch_kind_check;
alter table load_batch add constraint load_batch_kind_check check (kind in (${KINDS_BEFORE}));
`);
  }
}
