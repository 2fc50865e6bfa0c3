import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inScope, regionScope } from '../auth/access';

export interface LoadBatchRow {
  id: number;
  kind: string;
  fileName: string;
  regionCode: string | null;
  status: string;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  origin: string;
  source: string | null;
  loadedBy: string;
  startedAt: string;
  finishedAt: string | null;
}

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

  async list(limit: number): Promise<LoadBatchRow[]> {
    const rows = await this.ds.query(
      `select id::int, kind, file_name as "fileName", region_code as "regionCode", status, rows_read as "rowsRead",
              rows_loaded as "rowsLoaded", rows_rejected as "rowsRejected", origin, source, loaded_by as "loadedBy",
              started_at as "startedAt", finished_at as "finishedAt"
         from load_batch
        -- files of the user's regions, and the national files every region reads (catalogue, guidelines: no region)
        where region_code is null or ${inScope('region_code', 2)}
        order by id desc limit $1`,
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
