import { Injectable } from '@nestjs/common';
import { inScope, institutionScope, regionScope } from '../auth/access';
import { AuditRepository } from '../audit/audit.repository';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import type { HospitalLevel } from '../domain/reference';
import type { QuoteRound, QuoteRow } from './quotes.schemas';

export type { QuoteRow } from './quotes.schemas';

/** Every SQL statement on hospital_quote. */


export interface NewQuote {
  roundId: number;
  regionCode: string;
  institutionCode: string;
  itemCode: string;
  level: HospitalLevel;
  proposedPriceFen: number;
  unitCostFen: number;
  costBasis: Record<string, number>;
  expectedVolume: number;
  reason: string | null;
}

export class QuoteTaken extends Error {}

const COLUMNS = `
  q.id::int as id, q.round_id::int as "roundId", q.region_code as "regionCode", q.institution_code as "institutionCode",
  i.name as "institutionName", q.item_code as "itemCode", ri.name as "itemName", q.hospital_level::int as level,
  q.proposed_price_fen as "proposedPriceFen", q.unit_cost_fen as "unitCostFen", q.cost_basis as "costBasis",
  q.expected_volume::float8 as "expectedVolume", q.reason, q.score::float8 as score, q.status,
  to_char(q.submitted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "submittedAt"`;

const FROM = `
  from hospital_quote q
  left join institution i on i.region_code = q.region_code and i.code = q.institution_code
  left join region_item ri on ri.region_code = q.region_code and ri.item_code = q.item_code`;

@Injectable()
export class QuotesRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditRepository,
  ) {}

  /** Stores a quote and its audit record (quote.submit) in one transaction. */
  async insert(n: NewQuote): Promise<number> {
    try {
      return await this.ds.transaction(async (em) => {
        const r: { id: number }[] = await em.query(
          `insert into hospital_quote (round_id, region_code, institution_code, item_code, hospital_level, proposed_price_fen,
                                       unit_cost_fen, cost_basis, expected_volume, reason)
           values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10) returning id::int as id`,
          [n.roundId, n.regionCode, n.institutionCode, n.itemCode, n.level, n.proposedPriceFen, n.unitCostFen, JSON.stringify(n.costBasis), n.expectedVolume, n.reason],
        );
        const { regionCode, ...quote } = n;
        await this.audit.record(em, { action: 'quote.submit', entity: 'quote', entityId: r[0].id, regionCode, after: quote });
        return r[0].id;
      });
    } catch (e) {
      if (e instanceof QueryFailedError && (e.driverError as { code?: string })?.code === '23505') throw new QuoteTaken();
      throw e;
    }
  }

  async get(id: number): Promise<QuoteRow | null> {
    const r: QuoteRow[] = await this.ds.query(
      `select ${COLUMNS} ${FROM} where q.id = $1 and ($2::text is null or q.institution_code = $2) and ${inScope('q.region_code', 3)}`,
      [id, institutionScope(), regionScope()],
    );
    return r[0] ?? null;
  }

  list(roundId: number): Promise<QuoteRow[]> {
    // a hospital user reads the quotes of their own institution only
    return this.ds.query(
      `select ${COLUMNS} ${FROM} where q.round_id = $1 and ($2::text is null or q.institution_code = $2) and ${inScope('q.region_code', 3)}
        order by q.item_code, q.hospital_level desc, q.id`,
      [roundId, institutionScope(), regionScope()],
    );
  }

  /**
   * The rounds in the reader's regions with their quotes counted — a hospital user's own only. Historic rounds (the
   * record of earlier adjustments) take no quotes and are left out.
   */
  rounds(): Promise<Omit<QuoteRound, 'open'>[]> {
    return this.ds.query(
      `select r.id::int as id, r.region_code as "regionCode", g.name as "regionName", r.year::int as year, r.name, r.kind, r.status,
              r.effective_date::text as "effectiveDate",
              count(q.id)::int as "quoteCount", (count(q.id) filter (where q.status = 'selected'))::int as "selectedCount"
         from round r join region g on g.code = r.region_code
         left join hospital_quote q on q.round_id = r.id and ($1::text is null or q.institution_code = $1)
        where r.kind <> 'historic' and ${inScope('r.region_code', 2)}
        group by r.id, g.name
        order by r.year desc, r.region_code, r.id desc`,
      [institutionScope(), regionScope()],
    );
  }

  /** Stores the scores and the selected / rejected status of every quote of a round, in one statement. */
  async saveDecisions(
    roundId: number,
    decisions: readonly { id: number; score: number; selected: boolean }[],
    em: EntityManager = this.ds.manager,
    audit?: { regionCode: string; scenarioId: number; details: Record<string, unknown> },
  ): Promise<void> {
    if (audit) {
      await this.audit.record(em, {
        action: 'quote.select', entity: 'round', entityId: roundId, regionCode: audit.regionCode,
        after: {
          scenarioId: audit.scenarioId,
          selected: decisions.filter((d) => d.selected).map((d) => d.id),
          rejected: decisions.filter((d) => !d.selected).map((d) => d.id),
        },
        details: audit.details,
      });
    }
    if (!decisions.length) return;
    await em.query(
      `update hospital_quote q set score = d.score, status = case when d.selected then 'selected' else 'rejected' end
         from unnest($2::bigint[], $3::numeric[], $4::boolean[]) as d(id, score, selected)
        where q.round_id = $1 and q.id = d.id`,
      [roundId, decisions.map((d) => d.id), decisions.map((d) => String(d.score)), decisions.map((d) => d.selected)],
    );
  }
}
