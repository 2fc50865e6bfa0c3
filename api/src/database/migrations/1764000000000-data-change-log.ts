import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A log of the transactions that changed the facts a round is computed from, so that the API can keep those facts
 * in memory and know, with one cheap query, whether they are still current (api/src/rounds/base-data.cache.ts).
 *
 * A statement-level trigger on each of these tables records the writing transaction's id once (one row per
 * transaction, however many statements it runs; inserts never wait for each other, so concurrent loads do not
 * serialise on it). A reader takes `count(*)` in the same snapshot as the facts it caches: a transaction that
 * commits later adds a row and so changes the count, whatever order transactions commit in.
 *
 * The volume fact table itself is not watched: a volumes load or removal always rewrites volume_annual_level of the
 * (region, year) pairs it touches in the same transaction.
 */
export const WATCHED_TABLES = [
  'category', 'item', 'institution', 'region_item', 'price', 'cost', 'volume_annual_level', 'indicator_value', 'reimbursement_rate',
] as const;

export class DataChangeLog1764000000000 implements MigrationInterface {
  name = 'DataChangeLog1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
create table data_change (
  id          bigserial primary key,
  txid        bigint not null unique,
  changed_at  timestamptz not null default now()
);
comment on table data_change is 'One row per transaction that wrote a fact table the API caches; count(*) is the data revision';

create function note_data_change() returns trigger language plpgsql as $$
begin
  insert into data_change (txid) values (txid_current()) on conflict (txid) do nothing;
  return null;
end $$;`);
    for (const t of WATCHED_TABLES) {
      await q.query(`create trigger ${t}_data_change after insert or update or delete or truncate on ${t}
                       for each statement execute function note_data_change()`);
    }
    await q.query(`insert into data_change (txid) values (txid_current())`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of WATCHED_TABLES) await q.query(`drop trigger if exists ${t}_data_change on ${t}`);
    await q.query('drop function if exists note_data_change()');
    await q.query('drop table if exists data_change');
  }
}
