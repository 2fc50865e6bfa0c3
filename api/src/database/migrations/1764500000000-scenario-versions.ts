import { gzipSync } from 'node:zlib';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * scenario_version: every saved version of a scenario — who saved it (the user and the request), when, how (the
 * action), the scenario's name and params then, the number of changes, and its change list, compactly: gzip'd JSON of
 * the whole list (`full`, ~60 KB for 10,000 rows instead of ~660 KB of JSON) or, for a PATCH, of the rows it set and
 * removed (`delta`, a few hundred bytes for an edited cell), with a full list at least every 20 versions. Written in
 * the same transaction as the save (ScenariosRepository).
 *
 * Backfill: each existing scenario's current change list becomes its current version (action `backfill`, no user).
 * The encoding is written out here (not imported) so that this migration stays what it was when it ran.
 */
export class ScenarioVersions1764500000000 implements MigrationInterface {
  name = 'ScenarioVersions1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
create table scenario_version (
  scenario_id    bigint not null references scenario(id) on delete cascade,
  version        integer not null check (version >= 1),
  action         text not null check (action in ('create', 'manual', 'patch', 'import', 'scale', 'index', 'optimise', 'quotes',
                                                  'restore', 'historic', 'backfill')),
  kind           text not null check (kind in ('full', 'delta')),
  body           bytea not null,
  row_count      integer not null check (row_count >= 0),
  user_id        bigint references app_user(id) on delete set null,
  actor          text,
  request_id     text,
  at             timestamptz not null default now(),
  name           text not null,
  params         jsonb not null default '{}',
  restored_from  integer,
  primary key (scenario_id, version)
);
comment on table scenario_version is 'Every saved version of a scenario: gzip''d JSON of its change list (full) or of a PATCH''s set and removed rows (delta)';
comment on column scenario_version.body is 'gzip of JSON {"rows": [[item_code, level, old_fen, new_fen, reason, source], …]} (full) or {"set": [...], "remove": [[item_code, level], …]} (delta)';
comment on column scenario_version.actor is 'username of the user who saved it (null: unknown, e.g. the backfill)';
`);
    const scenarios: { id: string; version: number; name: string; params: unknown; at: string }[] = await q.query(
      `select id, version, name, params, updated_at as at from scenario order by id`,
    );
    for (const s of scenarios) {
      const rows: { item_code: string; level: number; old: string; new: string; reason: string | null; source: string | null }[] = await q.query(
        `select item_code, hospital_level::int as level, old_price_fen::text as old, new_price_fen::text as new, reason, source
           from scenario_change where scenario_id = $1 order by item_code, hospital_level desc`,
        [s.id],
      );
      const body = gzipSync(Buffer.from(JSON.stringify({ rows: rows.map((r) => [r.item_code, r.level, Number(r.old), Number(r.new), r.reason, r.source]) }), 'utf8'));
      await q.query(
        `insert into scenario_version (scenario_id, version, action, kind, body, row_count, at, name, params)
         values ($1, $2, 'backfill', 'full', $3, $4, $5, $6, $7)`,
        [s.id, s.version, body, rows.length, s.at, s.name, JSON.stringify(s.params ?? {})],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table if exists scenario_version');
  }
}
