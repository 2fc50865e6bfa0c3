import type { Pool, PoolClient } from 'pg';
import { insertAudit, type AuditActor } from '../../api/src/database/audit-log';
import { KIND_LABEL, type Kind } from './loader';
import { LOADERS } from './loaders';

/**
 * Removal of a load batch: the rows the batch loaded are deleted and the batch is kept as `removed` (who, when), in one
 * transaction with its audit record. What removal means per kind (each loader's `remove`, the one a reload uses):
 *
 * | kind | rows deleted | refused (409) while |
 * |---|---|---|
 * | price-table | its prices; its items that no other price uses | an implemented round (or a loaded 历史调价 file) set prices of its items |
 * | round | the historic rounds of the file, their scenario and prices | such a round has scenarios made by users, or hospital quotes |
 * | guideline | the guideline batch, its items and their mappings | a loaded 映射关系表 maps onto its items |
 * | institutions | its institutions | a volume file, a hospital quote or a user is tied to one of them |
 * | volumes | its partition, coverage rows, and the level rollups rebuilt | — |
 * | catalogue, mapping, costs, indicators, reimbursement, insurance-policy | its rows | — |
 *
 * Removing a batch does not bring back the batch it replaced: load the earlier file again for that.
 */
export interface RemoveOptions {
  /** the user named in the batch (removed_by) and the audit record */
  actor: AuditActor;
  /** the regions the caller may change (null: every region); a batch outside them is "not found" */
  regions?: readonly string[] | null;
}

export interface RemoveResult {
  batchId: number;
  kind: Kind;
  fileName: string;
  regionCode: string | null;
  /** rows the batch had loaded */
  rowsLoaded: number;
  seconds: number;
}

export type RemoveRefusal = 'LOAD.BATCH_NOT_FOUND' | 'LOAD.BATCH_NOT_LOADED' | 'LOAD.BATCH_IN_USE';

/** Why a batch was not removed (nothing was changed). */
export class RemoveError extends Error {
  constructor(
    readonly code: RemoveRefusal,
    message: string,
    readonly details: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

interface BatchRow {
  id: number;
  kind: Kind;
  file_name: string;
  region_code: string | null;
  status: string;
  rows_loaded: number;
  replaced_by: number | null;
}

const STATUS_ZH: Record<string, string> = { replaced: '已被替换', removed: '已删除', loading: '正在导入', failed: '导入失败' };

/** What keeps a batch of this kind from being removed: one sentence per dependency, empty when nothing does. */
async function dependents(db: PoolClient, b: BatchRow): Promise<string[]> {
  const out: string[] = [];
  if (b.kind === 'price-table') {
    const r = await db.query<{ round_id: number; name: string; status: string; batch_id: number | null; n: number }>(
      `select p.round_id::int, r.name, r.status, p.batch_id::int, count(*)::int as n
         from price p join round r on r.id = p.round_id
        where p.round_id is not null and p.batch_id is distinct from $1
          and (p.region_code, p.item_code) in (select region_code, item_code from price where batch_id = $1)
        group by 1, 2, 3, 4 order by 1 limit 5`,
      [b.id],
    );
    for (const x of r.rows) {
      out.push(x.batch_id
        ? `历史调价批次 #${x.batch_id} 的轮次“${x.name}”有 ${x.n} 条价格以本批次的项目为基础`
        : `已实施的调价轮次“${x.name}”（#${x.round_id}）写入了本批次项目的 ${x.n} 条新价格`);
    }
  } else if (b.kind === 'round') {
    const r = await db.query<{ id: number; name: string; scenarios: number; quotes: number }>(
      `select r.id::int, r.name,
              (select count(*)::int from scenario s where s.round_id = r.id and s.method <> 'historic') as scenarios,
              (select count(*)::int from hospital_quote q where q.round_id = r.id) as quotes
         from round r where r.batch_id = $1 order by r.id`,
      [b.id],
    );
    for (const x of r.rows) {
      if (x.scenarios) out.push(`调价轮次“${x.name}”（#${x.id}）有 ${x.scenarios} 个用户编制的调价方案`);
      if (x.quotes) out.push(`调价轮次“${x.name}”（#${x.id}）有 ${x.quotes} 条医院报价`);
    }
  } else if (b.kind === 'guideline') {
    const r = await db.query<{ batch_id: number; file_name: string; n: number }>(
      `select m.batch_id::int, lb.file_name, count(*)::int as n
         from guideline_mapping m join guideline_item gi on gi.id = m.guideline_item_id
         join guideline_batch gb on gb.id = gi.guideline_batch_id
         join load_batch lb on lb.id = m.batch_id
        where gb.batch_id = $1 and m.batch_id is distinct from $1 and lb.status = 'loaded'
        group by 1, 2 order by 1 limit 5`,
      [b.id],
    );
    for (const x of r.rows) out.push(`映射关系表批次 #${x.batch_id}（${x.file_name}）有 ${x.n} 条映射指向本立项指南的项目，请先删除该批次`);
  } else if (b.kind === 'institutions') {
    const r = await db.query<{ what: string; n: number }>(
      `with mine as (select region_code, code from institution where batch_id = $1)
       select 'volumes' as what, count(*)::int as n from volume_coverage v join mine m on m.region_code = v.region_code and m.code = v.institution_code
       union all
       select 'quotes', count(*)::int from hospital_quote q join mine m on m.region_code = q.region_code and m.code = q.institution_code
       union all
       select 'users', count(*)::int from app_user u join mine m on m.region_code = u.region_code and m.code = u.institution_code`,
      [b.id],
    );
    const n = Object.fromEntries(r.rows.map((x) => [x.what, x.n]));
    if (n.volumes) out.push(`已导入的服务量有 ${n.volumes} 组（机构 × 年度）属于本批次的医疗机构，请先删除服务量批次`);
    if (n.quotes) out.push(`有 ${n.quotes} 条医院报价来自本批次的医疗机构`);
    if (n.users) out.push(`有 ${n.users} 个医院报价用户绑定在本批次的医疗机构上`);
  }
  return out;
}

/**
 * Removes the rows of load batch `batchId` in one transaction (see the table above) with its audit record
 * (`load.remove`, entity `load_batch`); refuses, changing nothing, a batch that is unknown or outside `regions`, not
 * loaded (replaced, removed), or that something depends on.
 */
export async function removeBatch(pool: Pool, batchId: number, options: RemoveOptions): Promise<RemoveResult> {
  const t0 = Date.now();
  const db = await pool.connect();
  let open = false;
  try {
    await db.query('begin');
    open = true;
    const found = await db.query<BatchRow>(
      `select id::int, kind, file_name, region_code, status, rows_loaded, replaced_by::int from load_batch where id = $1`,
      [batchId],
    );
    const regions = options.regions ?? null;
    const b = found.rows[0];
    // a national file (no region) belongs to the users of every region only
    if (!b || (regions !== null && (b.region_code === null || !regions.includes(b.region_code)))) {
      throw new RemoveError('LOAD.BATCH_NOT_FOUND', `导入批次 #${batchId} 不存在 (load batch not found)`);
    }
    // the same lock a load of this file takes: a reload and a removal of one file never interleave
    await db.query('select pg_advisory_xact_lock(hashtext($1))', [`${b.kind}|${b.file_name}|${b.region_code ?? ''}`]);
    const now = await db.query<{ status: string }>('select status from load_batch where id = $1 for update', [batchId]);
    const status = now.rows[0]!.status;
    if (status !== 'loaded') {
      throw new RemoveError('LOAD.BATCH_NOT_LOADED',
        `导入批次 #${batchId}（${b.file_name}）${STATUS_ZH[status] ?? status}，没有可删除的数据 (the batch is ${status}; nothing to remove)`,
        [{ path: 'status', message: status }]);
    }
    const deps = await dependents(db, b);
    if (deps.length) {
      throw new RemoveError('LOAD.BATCH_IN_USE',
        `导入批次 #${batchId}（${b.file_name}）仍被使用，未删除：${deps.join('；')} (the batch is in use; nothing was removed)`,
        deps.map((d) => ({ path: 'batch', message: d })));
    }
    await LOADERS[b.kind].remove(db, batchId);
    await db.query(`update load_batch set status = 'removed', removed_at = now(), removed_by = $2 where id = $1`, [batchId, options.actor.actor]);
    await insertAudit((sql, params) => db.query(sql, params), {
      action: 'load.remove', entity: 'load_batch', entityId: batchId, regionCode: b.region_code,
      before: { kind: b.kind, fileName: b.file_name, status: 'loaded', rowsLoaded: b.rows_loaded },
      details: { kindLabel: KIND_LABEL[b.kind] },
    }, options.actor);
    await db.query('commit');
    open = false;
    return { batchId, kind: b.kind, fileName: b.file_name, regionCode: b.region_code, rowsLoaded: b.rows_loaded, seconds: (Date.now() - t0) / 1000 };
  } catch (e) {
    if (open) await db.query('rollback').catch(() => undefined);
    throw e;
  } finally {
    db.release();
  }
}
