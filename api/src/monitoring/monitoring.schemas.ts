import { z } from 'zod';
import type { MonthPoint } from '../domain/monitoring/monthly';
import type { Round } from '../rounds/rounds.schemas';

/** Query of GET /api/rounds/:id/monitoring (跟踪监测评估). */
export const monitoringQuerySchema = z
  .object({
    /** The year whose actual volumes are compared with the forecast (default: the year of 执行日期, else base year + 1). */
    year: z.coerce.number().int().min(2000).max(2100).optional(),
    /** How many items to list as top movers (default 20). */
    top: z.coerce.number().int().min(1).max(500).optional(),
  })
  .strict();
export type MonitoringQuery = z.infer<typeof monitoringQuerySchema>;

/** What GET /api/rounds/:id/monitoring/months answers (the web app imports the type). */
export interface MonthlyMonitoringResponse {
  round: Pick<Round, 'id' | 'name' | 'year' | 'kind' | 'status' | 'regionCode' | 'regionName' | 'effectiveDate' | 'approvedScenarioId'>;
  baseYear: number;
  year: number;
  /** months of the year with volumes loaded; the others have no actual */
  reportedMonths: number[];
  methodZh: string;
  total: MonthPoint[];
  byCategory: { key: string; labelZh: string; points: MonthPoint[] }[];
  warnings: string[];
}
