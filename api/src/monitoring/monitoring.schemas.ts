import { z } from 'zod';

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
