import { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS_BEFORE = `'catalogue', 'guideline', 'mapping', 'price-table', 'costs', 'volumes', 'indicators', 'round', 'institutions'`;

/**
 * 医保支付比例表 as a load kind: reimbursement_rate rows come from a loaded file (etl kind `reimbursement`) and point to
 * their load batch like every other fact row. Rows entered before this migration keep a null batch.
 */
export class ReimbursementLoads1764100000000 implements MigrationInterface {
  name = 'ReimbursementLoads1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
alter table load_batch drop constraint load_batch_kind_check;
alter table load_batch add constraint load_batch_kind_check check (kind in (${KINDS_BEFORE}, 'reimbursement'));
alter table reimbursement_rate add column batch_id bigint references load_batch(id);
create index reimbursement_rate_batch_idx on reimbursement_rate (batch_id);
comment on column reimbursement_rate.batch_id is 'The 医保支付比例表 load that wrote the row';
`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
delete from reimbursement_rate where batch_id in (select id from load_batch where kind = 'reimbursement');
delete from load_batch where kind = 'reimbursement';
alter table reimbursement_rate drop column batch_id;
alter table load_batch drop constraint load_batch_kind_check;
alter table load_batch add constraint load_batch_kind_check check (kind in (${KINDS_BEFORE}));
`);
  }
}
