import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

@Injectable()
export class HealthRepository {
  constructor(private readonly ds: DataSource) {}

  async probe(): Promise<{ serverVersion: string; migrations: number }> {
    const rows: { v: string; n: number }[] = await this.ds.query(
      `select current_setting('server_version') as v, (select count(*)::int from schema_migration) as n`,
    );
    return { serverVersion: rows[0].v, migrations: rows[0].n };
  }
}
