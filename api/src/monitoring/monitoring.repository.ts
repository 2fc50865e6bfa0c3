import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * The reads of the monitoring room that the facts room does not make: the public hospitals' volumes of a year by
 * month (rows with month 1–12 of the loaded volume files; a whole-year row, month 0, is not a month). The round, and so
 * its region, was read within the user's regions before.
 */

export interface MonthVolumeRow {
  itemCode: string;
  level: number;
  month: number;
  quantity: number;
}

@Injectable()
export class MonitoringRepository {
  constructor(@Inject(DataSource) private readonly ds: Pick<DataSource, 'query'>) {}

  /** Σ quantity of the public institutions per item, level and month of `year`, for the items given. */
  monthVolumes(region: string, year: number, itemCodes: readonly string[]): Promise<MonthVolumeRow[]> {
    return this.ds.query(
      `select v.item_code as "itemCode", i.hospital_level::int as level, v.month::int as month, sum(v.quantity)::float8 as quantity
         from volume v
         join institution i on i.region_code = v.region_code and i.code = v.institution_code and i.is_public
        where v.region_code = $1 and v.year = $2 and v.month between 1 and 12
          and v.batch_id = any (array(select c.batch_id from volume_coverage c where c.region_code = $1 and c.year = $2))
          and v.item_code in (select unnest($3::text[]))
        group by 1, 2, 3`,
      [region, year, itemCodes],
    );
  }

  /** The months of `year` with any volume loaded for the region (volume_coverage: bit m = month m). */
  async reportedMonths(region: string, year: number): Promise<number[]> {
    const rows: { bits: number | null }[] = await this.ds.query(
      `select bit_or(months)::int as bits from volume_coverage where region_code = $1 and year = $2`,
      [region, year],
    );
    const bits = rows[0]?.bits ?? 0;
    return [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].filter((m) => (bits & (1 << m)) !== 0);
  }
}
