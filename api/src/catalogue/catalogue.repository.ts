import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { computeCarryOver, type CarryOverQuery, type CarryOverReport } from '../../../etl/src/carry-over';
import { inScope, regionScope } from '../auth/access';
import type { GuidelineItemRecord } from './catalogue.schemas';

/**
 * The reads of the catalogue room: the region (within the user's regions), the guideline batches and items with their
 * mapping rows, and the carry-over of a region — the ETL's computation (etl/src/carry-over.ts, the one behind
 * `npm run etl -- carry-over`) run on this connection, so the page and the command line give the same prices.
 */


@Injectable()
export class CatalogueRepository {
  constructor(@Inject(DataSource) private readonly ds: Pick<DataSource, 'query'>) {}

  /** The region, when the current request may read it. */
  async region(code: string): Promise<{ code: string; name: string } | null> {
    const r: { code: string; name: string }[] = await this.ds.query(`select code, name from region where code = $1 and ${inScope('code', 2)}`, [code, regionScope()]);
    return r[0] ?? null;
  }

  batches(): Promise<{ name: string; publishedOn: string | null; itemCount: number }[]> {
    return this.ds.query(
      `select b.name, to_char(b.published_on, 'YYYY-MM-DD') as "publishedOn", count(i.id)::int as "itemCount"
         from guideline_batch b left join guideline_item i on i.guideline_batch_id = b.id
        group by b.id order by b.id`,
    );
  }

  /** The guideline items (of one batch, or all) in batch and sequence order, each with its mapping rows. */
  items(batch: string | null): Promise<GuidelineItemRecord[]> {
    return this.ds.query(
      `select b.name as "batchName", i.seq, i.code, i.name, i.unit, i.service_output as "serviceOutput",
              i.price_composition as "priceComposition", i.pricing_note as "pricingNote",
              coalesce((select json_agg(json_build_object('type', m.mapping_type, 'system', m.source_system, 'code', m.source_code, 'name', m.source_name)
                                        order by array_position(array['main', 'addon', 'extension'], m.mapping_type), m.id)
                          from guideline_mapping m where m.guideline_item_id = i.id), '[]') as mappings
         from guideline_item i join guideline_batch b on b.id = i.guideline_batch_id
        where $1::text is null or b.name = $1
        order by b.id, i.seq`,
      [batch],
    );
  }

  /** The carried-over prices of the region (the ETL's computation on this connection's pool). */
  carryOver(q: CarryOverQuery): Promise<CarryOverReport> {
    // computeCarryOver reads `rows` and `rowCount` of pg's results; DataSource.query answers the rows
    const db = {
      query: async (sql: string, params?: unknown[]) => {
        const rows: unknown[] = await this.ds.query(sql, params);
        return { rows, rowCount: rows.length };
      },
    } as unknown as Pool;
    return computeCarryOver(db, q);
  }
}
