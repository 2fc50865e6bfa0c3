import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { LoadBatchRef } from './briefing.schemas';

/**
 * The briefing's own reads: the load batches a region's facts come from (lineage for 六、数据来源与假设 and the
 * 数据截至 date). Every other figure comes from the services of the rooms that own them.
 */
@Injectable()
export class BriefingRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * The loaded batches holding rows of the region's items, prices, costs, institutions, indicators, payment rates and
   * historic rounds, and its volumes of the base year (from the volume coverage, never the volume facts), in load order.
   */
  batchesOf(regionCode: string, baseYear: number): Promise<LoadBatchRef[]> {
    return this.ds.query(
      `with used as (
         select batch_id from region_item where region_code = $1
         union select batch_id from price where region_code = $1
         union select batch_id from cost where region_code = $1
         union select batch_id from institution where region_code = $1
         union select batch_id from indicator_value where region_code = $1
         union select batch_id from reimbursement_rate where region_code = $1
         union select batch_id from round where region_code = $1
         union select batch_id from volume_coverage where region_code = $1 and year = $2
       )
       select b.id::int, b.kind, b.file_name as "fileName", b.checksum, b.region_code as "regionCode",
              b.rows_loaded as "rowsLoaded", b.origin, b.source,
              to_char(coalesce(b.finished_at, b.started_at) at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') as "loadedAt"
         from load_batch b
        where b.id in (select batch_id from used where batch_id is not null) and b.status = 'loaded'
        order by b.id`,
      [regionCode, baseYear],
    );
  }
}
