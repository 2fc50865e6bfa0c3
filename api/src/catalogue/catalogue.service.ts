import { Injectable } from '@nestjs/common';
import { AppError, NotFoundError } from '../common/errors';
import { CatalogueRepository } from './catalogue.repository';
import type { CatalogueItem, CatalogueQuery, CatalogueResponse } from './catalogue.schemas';

/** Today as YYYY-MM-DD in the server's time zone: the default date of the prices carried over. */
function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Whether an item matches a search: a part of its name or code, or of a mapped or old item's code or name (case-insensitive). */
export function matchesSearch(item: CatalogueItem, q: string): boolean {
  const needle = q.toLowerCase();
  const texts = [
    item.name,
    item.code ?? '',
    String(item.seq),
    ...item.mappings.flatMap((m) => [m.code, m.name ?? '']),
    ...item.sources.flatMap((s) => [s.code, s.name ?? '']),
  ];
  return texts.some((t) => t.toLowerCase().includes(needle));
}

/**
 * 目录: the guideline items (立项指南) with their mapping rows (映射关系), and their carried-over prices in a region
 * (价格平移, the ETL's computation) with the carry-over report, searchable by code and name.
 */
@Injectable()
export class CatalogueService {
  constructor(private readonly repo: CatalogueRepository) {}

  async catalogue(regionCode: string, q: CatalogueQuery): Promise<CatalogueResponse> {
    const region = await this.repo.region(regionCode);
    if (!region) throw new NotFoundError('REGION.NOT_FOUND', `地区代码 ${regionCode} 不存在 (unknown region code)`);
    const batches = await this.repo.batches();
    if (q.batch && !batches.some((b) => b.name === q.batch)) {
      throw new AppError(
        'CATALOGUE.BATCH_NOT_FOUND',
        `立项指南批次“${q.batch}”不存在（已导入：${batches.map((b) => b.name).join('、') || '无'}）(unknown guideline batch)`,
        404,
        [{ path: 'query.batch', message: 'unknown guideline batch' }],
      );
    }
    const records = await this.repo.items(q.batch ?? null);
    const report = await this.repo.carryOver({ region: region.code, guidelineBatch: q.batch, date: q.date ?? today(), year: q.year });
    const carried = new Map(report.rows.map((r) => [`${r.guidelineBatch}|${r.seq}`, r]));
    const items: CatalogueItem[] = records.map((it) => {
      const c = carried.get(`${it.batchName}|${it.seq}`)!;
      const missing = c.unresolved.filter((code) => c.sources.length === 0 || it.mappings.some((m) => m.code === code && m.system === 'legacy'));
      return { ...it, sources: c.sources, unresolved: c.unresolved, missing, levels: { '3': c.levels[3], '2': c.levels[2], '1': c.levels[1] }, note: c.note };
    });
    const search = q.q ?? '';
    return {
      region,
      date: report.date,
      year: report.year,
      batches,
      totalCount: items.length,
      items: search ? items.filter((it) => matchesSearch(it, search)) : items,
      report: {
        withoutMapping: report.withoutMapping,
        withoutVolume: report.withoutVolume,
        withoutPrice: report.withoutPrice,
        withUnpriced: report.withUnpriced,
        withUnresolved: report.withUnresolved,
      },
    };
  }
}
