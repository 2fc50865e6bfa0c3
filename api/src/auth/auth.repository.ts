import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Role } from './access';

export interface UserRow {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  regionCode: string | null;
  regionName: string | null;
  institutionCode: string | null;
  /** the institution's name (a hospital user's), for the pages that greet it by name */
  institutionName: string | null;
  disabled: boolean;
  createdAt: string;
  passwordChangedAt: string | null;
}

export interface SessionRow {
  user: UserRow;
  csrfToken: string;
  expiresAt: Date;
  lastSeenAt: Date;
}

const USER_COLUMNS = `u.id::int, u.username, u.display_name as "displayName", u.role, u.region_code as "regionCode",
  rg.name as "regionName", u.institution_code as "institutionCode",
  (select i.name from institution i where i.region_code = u.region_code and i.code = u.institution_code) as "institutionName",
  u.disabled, u.created_at as "createdAt",
  u.password_changed_at as "passwordChangedAt"`;

/** Users and signed-in sessions (every SQL statement of access control). */
@Injectable()
export class AuthRepository {
  constructor(private readonly ds: DataSource) {}

  async credentials(username: string): Promise<{ user: UserRow; passwordHash: string | null } | null> {
    const rows = await this.ds.query(
      `select ${USER_COLUMNS}, u.password_hash as "passwordHash"
         from app_user u left join region rg on rg.code = u.region_code
        where lower(u.username) = lower($1)`,
      [username],
    );
    if (!rows[0]) return null;
    const { passwordHash, ...user } = rows[0];
    return { user, passwordHash };
  }

  async passwordHash(userId: number): Promise<string | null> {
    const rows = await this.ds.query(`select password_hash as h from app_user where id = $1`, [userId]);
    return rows[0]?.h ?? null;
  }

  async user(id: number, m: EntityManager = this.ds.manager): Promise<UserRow | null> {
    const rows = await m.query(`select ${USER_COLUMNS} from app_user u left join region rg on rg.code = u.region_code where u.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Every user whose region lies in `regions` (null: every user), by username. */
  users(regions: readonly string[] | null): Promise<UserRow[]> {
    return this.ds.query(
      `select ${USER_COLUMNS} from app_user u left join region rg on rg.code = u.region_code
        where ($1::text[] is null or u.region_code = any($1)) order by u.username`,
      [regions],
    );
  }

  /** The region and every region under it (the region tree by parent_code). */
  async regionTree(code: string): Promise<string[]> {
    const rows: { code: string }[] = await this.ds.query(
      `with recursive t(code) as (select code from region where code = $1
                                  union select r.code from region r join t on r.parent_code = t.code)
       select code from t order by code`,
      [code],
    );
    return rows.map((r) => r.code);
  }

  async regionExists(code: string): Promise<boolean> {
    const rows = await this.ds.query(`select 1 from region where code = $1`, [code]);
    return rows.length > 0;
  }

  async institutionRegion(code: string): Promise<string | null> {
    const rows = await this.ds.query(`select region_code as "regionCode" from institution where code = $1 limit 1`, [code]);
    return rows[0]?.regionCode ?? null;
  }

  async usernameTaken(username: string): Promise<boolean> {
    const rows = await this.ds.query(`select 1 from app_user where lower(username) = lower($1)`, [username]);
    return rows.length > 0;
  }

  async insertUser(
    m: EntityManager,
    u: { username: string; displayName: string; role: Role; regionCode: string | null; institutionCode: string | null; passwordHash: string },
  ): Promise<number> {
    const rows = await m.query(
      `insert into app_user (username, display_name, role, region_code, institution_code, password_hash, password_changed_at)
       values ($1, $2, $3, $4, $5, $6, now()) returning id::int`,
      [u.username, u.displayName, u.role, u.regionCode, u.institutionCode, u.passwordHash],
    );
    return rows[0].id;
  }

  async updateUser(
    m: EntityManager,
    id: number,
    u: { displayName: string; role: Role; regionCode: string | null; institutionCode: string | null; disabled: boolean },
  ): Promise<void> {
    await m.query(
      `update app_user set display_name = $2, role = $3, region_code = $4, institution_code = $5, disabled = $6, updated_at = now()
        where id = $1`,
      [id, u.displayName, u.role, u.regionCode, u.institutionCode, u.disabled],
    );
    if (u.disabled) await m.query(`delete from app_session where user_id = $1`, [id]);
  }

  /** Sets a password; every session of the user but `keepSession` ends. */
  async setPassword(m: EntityManager, id: number, passwordHash: string, keepSession: string | null): Promise<void> {
    await m.query(`update app_user set password_hash = $2, password_changed_at = now(), updated_at = now() where id = $1`, [id, passwordHash]);
    await m.query(`delete from app_session where user_id = $1 and token_hash is distinct from $2`, [id, keepSession]);
  }

  async createSession(s: { tokenHash: string; userId: number; csrfToken: string; expiresAt: Date; ip: string | null; userAgent: string | null }): Promise<void> {
    await this.ds.query(`delete from app_session where expires_at < now()`);
    await this.ds.query(
      `insert into app_session (token_hash, user_id, csrf_token, expires_at, ip, user_agent) values ($1, $2, $3, $4, $5, $6)`,
      [s.tokenHash, s.userId, s.csrfToken, s.expiresAt, s.ip, s.userAgent?.slice(0, 300) ?? null],
    );
  }

  /** A live session of an enabled user, or null. */
  async session(tokenHash: string): Promise<SessionRow | null> {
    const rows = await this.ds.query(
      `select ${USER_COLUMNS}, s.csrf_token as "csrfToken", s.expires_at as "expiresAt", s.last_seen_at as "lastSeenAt"
         from app_session s join app_user u on u.id = s.user_id left join region rg on rg.code = u.region_code
        where s.token_hash = $1 and s.expires_at > now() and not u.disabled`,
      [tokenHash],
    );
    if (!rows[0]) return null;
    const { csrfToken, expiresAt, lastSeenAt, ...user } = rows[0];
    return { user, csrfToken, expiresAt, lastSeenAt };
  }

  /** Slides a session's expiry (idle timeout). */
  async touchSession(tokenHash: string, expiresAt: Date): Promise<void> {
    await this.ds.query(`update app_session set last_seen_at = now(), expires_at = $2 where token_hash = $1`, [tokenHash, expiresAt]);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.ds.query(`delete from app_session where token_hash = $1`, [tokenHash]);
  }

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(fn);
  }
}
