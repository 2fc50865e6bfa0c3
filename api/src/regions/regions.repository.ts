import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Region, RegionQuery } from './regions.schemas';

@Injectable()
export class RegionsRepository {
  constructor(private readonly ds: DataSource) {}

  list(q: RegionQuery): Promise<Region[]> {
    return this.ds.query(
      `select code, name, level, parent_code as "parentCode", pilot
         from region
        where ($1::smallint is null or level = $1)
          and ($2::text is null or parent_code = $2)
          and ($3::boolean is null or (pilot is not null) = $3)
        order by code`,
      [q.level ?? null, q.parent ?? null, q.pilot ?? null],
    );
  }

  async get(code: string): Promise<Region | null> {
    const rows: Region[] = await this.ds.query(
      `select code, name, level, parent_code as "parentCode", pilot from region where code = $1`,
      [code],
    );
    return rows[0] ?? null;
  }
}
