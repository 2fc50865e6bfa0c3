import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { inScope, regionScope } from '../auth/access';
import type { LoadBatch } from './loads.schemas';

export interface RegionDataSummary {
  regionCode: string;
  regionName: string;
  institutions: number;
  items: number;
  prices: number;
  costs: number;
  volumeYears: number[];
  indicators: number;
  rounds: number;
}

@Injectable()
export class LoadsRepository {
  constructor(private readonly ds: DataSource) {}

  /** The pool the ETL's loads and removals take their connection from (the API's own). */
  pool(): Pool {
    return (this.ds.driver as PostgresDriver).master as Pool;
  }

  async list(limit: number): Promise<LoadBatch[]> {
    const rows = await this.ds.query(
      `select b.id::int, b.kind, b.file_name as "fileName", b.checksum, b.file_size::float8 as "fileSize", b.region_code as "regionCode",
              b.status, b.rows_read as "rowsRead", b.rows_loaded as "rowsLoaded", b.rows_rejected as "rowsRejected", b.origin, b.source,
              b.loaded_by as "loadedBy", b.started_at as "startedAt", b.finished_at as "finishedAt",
              (select max(p.id)::int from load_batch p where p.replaced_by = b.id) as replaces, b.replaced_by::int as "replacedBy",
              b.removed_by as "removedBy", b.removed_at as "removedAt",
              -- what DELETE /api/loads/:id would take on (a national file: users of every region only)
              b.status = 'loaded' and ($2::text[] is null or b.region_code = any($2::text[])) as removable
         from load_batch b
        -- files of the user's regions, and the national files every region reads (catalogue, guidelines: no region)
        where b.region_code is null or ${inScope('b.region_code', 2)}
        order by b.id desc limit $1`,
      [limit, regionScope()],
    );
    return rows;
  }

  /** What is loaded per region: counts of each kind of fact (rollups for volumes, never the fact table). */
  summary(): Promise<RegionDataSummary[]> {
    return this.ds.query(
      `
      with r as (
        select region_code from institution union select region_code from region_item union select region_code from cost
        union select region_code from volume_annual_level union select region_code from indicator_value
        union select region_code from round)
      select r.region_code as "regionCode", g.name as "regionName",
             (select count(*)::int from institution i where i.region_code = r.region_code) as institutions,
             (select count(*)::int from region_item ri where ri.region_code = r.region_code and not ri.is_group) as items,
             (select count(*)::int from price p where p.region_code = r.region_code) as prices,
             (select count(*)::int from cost c where c.region_code = r.region_code) as costs,
             coalesce((select array_agg(distinct v.year::int order by v.year::int) from volume_annual_level v where v.region_code = r.region_code), '{}') as "volumeYears",
             (select count(*)::int from indicator_value iv where iv.region_code = r.region_code) as indicators,
             (select count(*)::int from round ro where ro.region_code = r.region_code) as rounds
        from r join region g on g.code = r.region_code
       where ${inScope('r.region_code', 1)}
       order by r.region_code`,
      [regionScope()],
    );
  }
}
