import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Removal of a load batch (`npm run etl -- remove <id>`, `DELETE /api/loads/:id`): the batch's rows are deleted and the
 * batch itself is kept as `removed`, with who removed it and when, so the list of batches stays the file's history.
 */
export class LoadBatchRemoval1764610000000 implements MigrationInterface {
  name = 'LoadBatchRemoval1764610000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
alter table load_batch drop constraint load_batch_status_check;
alter table load_batch add constraint load_batch_status_check check (status in ('loading', 'loaded', 'replaced', 'failed', 'removed'));
alter table load_batch add column removed_at timestamptz, add column removed_by text;
comment on column load_batch.removed_by is 'who removed the batch''s rows (status removed)';
`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
alter table load_batch drop column if exists removed_at, drop column if exists removed_by;
update load_batch set status = 'failed' where status = 'removed';
alter table load_batch drop constraint load_batch_status_check;
alter table load_batch add constraint load_batch_status_check check (status in ('loading', 'loaded', 'replaced', 'failed'));
`);
  }
}
