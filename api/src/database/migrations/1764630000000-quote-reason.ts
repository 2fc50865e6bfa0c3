import { MigrationInterface, QueryRunner } from 'typeorm';

/** 复杂型 quotes carry the hospital's reasons (申报理由) beside the price and its cost basis. */
export class QuoteReason1764630000000 implements MigrationInterface {
  name = 'QuoteReason1764630000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
alter table hospital_quote add column reason text check (char_length(reason) <= 2000);
comment on column hospital_quote.reason is '申报理由: why the institution asks for this price (free text, at most 2,000 characters)';
`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table hospital_quote drop column if exists reason;`);
  }
}
