import { z } from 'zod';

export const regionQuerySchema = z
  .object({
    level: z.coerce.number().int().min(0).max(2).optional(),
    parent: z.string().regex(/^[0-9]{6}$/, '须为 6 位行政区划代码 (six-digit GB/T 2260 code)').optional(),
    pilot: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  })
  .strict();
export type RegionQuery = z.infer<typeof regionQuerySchema>;

export const regionSchema = z.object({
  code: z.string(),
  name: z.string(),
  level: z.number(),
  parentCode: z.string().nullable(),
  pilot: z.enum(['city_2021', 'province_2024']).nullable(),
});
export type Region = z.infer<typeof regionSchema>;
