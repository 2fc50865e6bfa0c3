import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CategoryRow } from './analysis.schemas';

/**
 * The reads of the analysis room that the facts room does not make: the item categories and each region item's
 * 人力资源消耗相对值 from the 2023 技术规范 catalogue. Every SQL statement of the room.
 */

export interface RelativeValueRow {
  itemCode: string;
  /** mean of the catalogue items' relative values the region item maps to */
  relativeValue: number;
  /** the 2023 catalogue codes it was taken from, ascending */
  catalogueCodes: string[];
}

@Injectable()
export class AnalysisRepository {
  constructor(@Inject(DataSource) private readonly ds: Pick<DataSource, 'query'>) {}

  categories(): Promise<CategoryRow[]> {
    return this.ds.query(`select code, name_zh as "nameZh", name_en as "nameEn", family from category order by sort, code`);
  }

  /**
   * Relative values of the region's items: the catalogue item of the same code, else the 2023 catalogue items the
   * crosswalk maps to that code (an old item split into several new ones takes their mean). Items without points
   * are left out. The region is the scenario's, already checked by the caller's read of the scenario.
   */
  async relativeValues(region: string): Promise<RelativeValueRow[]> {
    const rows: { itemCode: string; rv: string; codes: string[] }[] = await this.ds.query(
      `with src as (
         select ri.item_code, i.code, i.relative_value
           from region_item ri join item i on i.code = ri.item_code
          where ri.region_code = $1 and not ri.is_group and i.relative_value is not null
         union
         select ri.item_code, i.code, i.relative_value
           from region_item ri
           join code_crosswalk x on x.to_code = ri.item_code and x.from_system = 'nhc2023'
           join item i on i.code = x.from_code
          where ri.region_code = $1 and not ri.is_group and i.relative_value is not null
            and not exists (select 1 from item j where j.code = ri.item_code and j.relative_value is not null))
       select item_code as "itemCode", avg(relative_value)::text as rv, array_agg(code order by code) as codes
         from src group by item_code`,
      [region],
    );
    return rows.map((r) => ({ itemCode: r.itemCode, relativeValue: Number(r.rv), catalogueCodes: r.codes }));
  }
}
