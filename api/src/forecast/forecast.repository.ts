import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { InsurancePolicy } from '../domain/burden';
import type { YearVolume } from '../domain/forecast';

/**
 * The reads of the forecast room that the facts room does not already make: the region's public volumes of every
 * loaded year up to the base year (for the trend) and the 医保待遇政策表 in force. Every SQL statement of the room.
 */

export interface PolicyRecord {
  policy: InsurancePolicy;
  batchId: number | null;
  fileName: string | null;
}

interface PolicyRow {
  region_code: string;
  scheme: 'resident' | 'employee';
  valid_from: string;
  d3: number;
  d2: number;
  d1: number;
  r3: string | null;
  r2: string | null;
  r1: string | null;
  ceiling: number;
  od: number | null;
  orate: string | null;
  oc: number | null;
  ct: number;
  cfrom: number[];
  crate: string[];
  cc: number | null;
  act: number;
  up: string;
  nc: boolean;
  ad: number;
  ar: string;
  ac: number;
  hd: number | null;
  hr: string | null;
  hc: number | null;
  batch_id: number | null;
  file_name: string | null;
}

@Injectable()
export class ForecastRepository {
  constructor(@Inject(DataSource) private readonly ds: Pick<DataSource, 'query'>) {}

  /** Public hospitals' volumes by item, level and year, for the years up to `toYear` (rollup volume_annual_level). */
  publicVolumesUpTo(region: string, toYear: number): Promise<YearVolume[]> {
    return this.ds.query(
      `select v.item_code as "itemCode", v.hospital_level::int as level, v.year::int as year, v.quantity::float8 as quantity
         from volume_annual_level v
        where v.region_code = $1 and v.year <= $2 and v.is_public`,
      [region, toYear],
    );
  }

  /** The policy of a region and scheme in force on `date` (the latest 执行日期 on or before it), with its load batch. */
  async policyInForce(region: string, scheme: 'resident' | 'employee', date: string): Promise<PolicyRecord | null> {
    const rows: PolicyRow[] = await this.ds.query(
      `select p.region_code, p.scheme, p.valid_from::text as valid_from,
              p.inpatient_deductible_3_fen as d3, p.inpatient_deductible_2_fen as d2, p.inpatient_deductible_1_fen as d1,
              p.inpatient_rate_3::text as r3, p.inpatient_rate_2::text as r2, p.inpatient_rate_1::text as r1, p.inpatient_ceiling_fen as ceiling,
              p.outpatient_deductible_fen as od, p.outpatient_rate::text as orate, p.outpatient_ceiling_fen as oc,
              p.critical_threshold_fen as ct, p.critical_band_from_fen as cfrom, p.critical_band_rate::text[] as crate,
              p.critical_ceiling_fen as cc, p.assisted_critical_threshold_fen as act, p.assisted_critical_rate_uplift::text as up,
              p.assisted_critical_no_ceiling as nc, p.assistance_deductible_fen as ad, p.assistance_rate::text as ar,
              p.assistance_ceiling_fen as ac, p.huiminbao_deductible_fen as hd, p.huiminbao_rate::text as hr, p.huiminbao_ceiling_fen as hc,
              p.batch_id::int as batch_id, b.file_name
         from insurance_policy p left join load_batch b on b.id = p.batch_id
        where p.region_code = $1 and p.scheme = $2 and p.valid_from <= $3::date
        order by p.valid_from desc
        limit 1`,
      [region, scheme, date],
    );
    const r = rows[0];
    if (!r) return null;
    const n = (x: string) => Number(x);
    return {
      batchId: r.batch_id,
      fileName: r.file_name,
      policy: {
        regionCode: r.region_code,
        scheme: r.scheme,
        validFrom: r.valid_from,
        inpatient: {
          deductibleFen: { 3: r.d3, 2: r.d2, 1: r.d1 },
          rate: r.r3 === null || r.r2 === null || r.r1 === null ? null : { 3: n(r.r3), 2: n(r.r2), 1: n(r.r1) },
          ceilingFen: r.ceiling,
        },
        outpatient: r.od === null || r.orate === null || r.oc === null ? null : { deductibleFen: r.od, rate: n(r.orate), ceilingFen: r.oc },
        critical: {
          thresholdFen: r.ct,
          bands: r.cfrom.map((from, i) => ({ fromFen: from, rate: n(r.crate[i]) })),
          ceilingFen: r.cc,
          assisted: { thresholdFen: r.act, rateUplift: n(r.up), noCeiling: r.nc },
        },
        assistance: { deductibleFen: r.ad, rate: n(r.ar), ceilingFen: r.ac },
        huiminbao: r.hd === null || r.hr === null || r.hc === null ? null : { deductibleFen: r.hd, rate: n(r.hr), ceilingFen: r.hc },
      },
    };
  }
}
