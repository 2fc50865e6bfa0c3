import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Users, sessions and the audit trail's request link.
 * - app_user gains a password hash (argon2id, PHC string), the hospital role (医院报价, bound to one institution) and
 *   the rule that every user but an administrator belongs to a region.
 * - app_session: one row per signed-in browser; the cookie carries a random token, the table keeps only its SHA-256,
 *   with the CSRF token the web app sends back on every change.
 * - audit_log gains the request id and the record's state before and after.
 */
export class AccessControl1764400000000 implements MigrationInterface {
  name = 'AccessControl1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
alter table app_user drop constraint app_user_role_check;
alter table app_user add constraint app_user_role_check check (role in ('admin', 'pricing_officer', 'analyst', 'hospital', 'viewer'));
alter table app_user
  add column password_hash       text,
  add column institution_code    text,
  add column password_changed_at timestamptz,
  add column updated_at          timestamptz not null default now(),
  add constraint app_user_username_check check (username ~ '^[A-Za-z0-9_.@-]{2,64}$'),
  add constraint app_user_region_check check (role = 'admin' or region_code is not null),
  add constraint app_user_institution_check check ((role = 'hospital') = (institution_code is not null));
comment on column app_user.password_hash is 'argon2id PHC string; null: the user cannot sign in until an administrator sets a password';

create table app_session (
  token_hash    text primary key check (token_hash ~ '^[0-9a-f]{64}$'),
  user_id       bigint not null references app_user(id) on delete cascade,
  csrf_token    text not null,
  created_at    timestamptz not null default now(),
  last_seen_at  timestamptz not null default now(),
  expires_at    timestamptz not null,
  ip            text,
  user_agent    text
);
create index app_session_user_idx on app_session (user_id);
comment on table app_session is 'Signed-in sessions: the SHA-256 of the cookie''s token, never the token itself';

alter table audit_log
  add column request_id text,
  add column before     jsonb,
  add column after      jsonb;
create index audit_log_at_idx on audit_log (at desc);
create index audit_log_user_idx on audit_log (user_id, at desc);
create index audit_log_region_idx on audit_log (region_code, at desc);
`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
drop index if exists audit_log_region_idx, audit_log_user_idx, audit_log_at_idx;
alter table audit_log drop column if exists request_id, drop column if exists before, drop column if exists after;
drop table if exists app_session;
delete from app_user where role = 'hospital';
alter table app_user
  drop constraint if exists app_user_institution_check,
  drop constraint if exists app_user_region_check,
  drop constraint if exists app_user_username_check,
  drop column if exists password_hash,
  drop column if exists institution_code,
  drop column if exists password_changed_at,
  drop column if exists updated_at;
alter table app_user drop constraint app_user_role_check;
alter table app_user add constraint app_user_role_check check (role in ('admin', 'pricing_officer', 'analyst', 'viewer'));
`);
  }
}
