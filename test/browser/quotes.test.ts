import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { formatFenAuto } from '../../api/src/domain/money';
import { signedInPage, useBrowserApp } from '../support/browser';
import { shot } from '../support/screenshots';
import { useTestDatabase } from '../support/db';
import { caller } from '../support/http';

const SUZHOU = '320500';

/** Picks an option of an Element Plus select by typing into it and clicking the visible option that matches. */
async function pick(page: Page, testId: string, text: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.keyboard.type(text);
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
}

describe('复杂型项目报价 (complex-item quotes) in Chromium on the demo dataset', () => {
  const db = useTestDatabase({ demo: true });
  const env = useBrowserApp(() => db().url);
  const call = caller(() => env().base);

  it('submits a quote through the 申报 form, shows each criterion\'s score as the API does, selects within the budget and opens the scenario', async () => {
    const r = await call('POST', '/api/rounds', { regionCode: SUZHOU, year: 2025, name: '苏州市2025年复杂型报价（页面）', effectiveDate: '2025-01-01' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const roundId = r.body.id as number;
    // a 复杂型 item priced at level 3 with base-year volume, and two level-3 hospitals
    const item = (
      await db().pool.query(
        `select ri.item_code as code, ri.name, p.price_fen::int as price
           from region_item ri left join item i on i.code = ri.item_code
           join lateral (select price_fen, valid_to from price p where p.region_code = ri.region_code and p.item_code = ri.item_code
                           and p.hospital_level = 3 and p.valid_from <= '2024-12-31' order by valid_from desc limit 1) p on p.valid_to is null or p.valid_to > '2024-12-31'
           join volume_annual_level v on v.region_code = ri.region_code and v.item_code = ri.item_code and v.hospital_level = 3
                                     and v.is_public and v.year = 2024 and v.quantity > 0
          where ri.region_code = $1 and not ri.is_group and coalesce(ri.kind, i.kind, 'complex') <> 'general' and p.price_fen between 10000 and 100000
          order by ri.item_code limit 1`,
        [SUZHOU],
      )
    ).rows[0] as { code: string; name: string; price: number };
    const hospitals = (await db().pool.query(`select code, name from institution where region_code = $1 and hospital_level = 3 order by code limit 2`, [SUZHOU])).rows as { code: string; name: string }[];
    expect(item).toBeDefined();
    expect(hospitals).toHaveLength(2);
    const count = async () => (await db().pool.query('select count(*)::int as n from hospital_quote where round_id = $1', [roundId])).rows[0].n as number;

    const page = await env().browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${env().base}/rounds/${roundId}?tab=scenarios`);
    await page.getByTestId('open-quotes').click();
    await page.waitForURL(`**/rounds/${roundId}/quotes`);
    await expect.poll(() => page.getByTestId('quotes-table').innerText()).toContain('本轮还没有报价');

    // the form says what is missing and sends nothing
    await page.getByTestId('quote-new').click();
    await page.getByTestId('quote-submit').click();
    await expect.poll(() => page.getByTestId('quote-dialog').innerText()).toContain('请填写报价');
    expect(await page.getByTestId('quote-dialog').innerText()).toContain('请选择项目');
    expect(await count()).toBe(0);

    // a quote 10% above the current price with its cost basis (labour 40%) and reasons
    const proposed = Math.round(item.price * 1.1);
    const yuan = (fen: number) => (fen / 100).toFixed(2);
    await pick(page, 'quote-institution', hospitals[0].name);
    await pick(page, 'quote-item', item.code);
    await page.getByTestId('quote-price').fill(yuan(proposed));
    await page.getByTestId('quote-labourFen').fill(yuan(Math.round(proposed * 0.4)));
    await page.getByTestId('quote-materialFen').fill(yuan(proposed - Math.round(proposed * 0.4)));
    await page.getByTestId('quote-volume').fill('300');
    await page.getByTestId('quote-reason').fill('新增专科护士与一次性耗材投入');
    // the unit cost is the sum of the parts, and the quote covers exactly its cost
    expect(await page.getByTestId('quote-cost-sum').innerText()).toContain(formatFenAuto(proposed));
    expect(await page.getByTestId('quote-cost-sum').innerText()).toContain('100%');
    await shot(page, 'quotes-form-1600');
    await page.getByTestId('quote-submit').click();
    await page.getByTestId('quote-dialog').waitFor({ state: 'hidden' });
    expect(await count()).toBe(1);
    const stored = (await db().pool.query('select institution_code, item_code, hospital_level, proposed_price_fen::int as p, unit_cost_fen::int as c, reason from hospital_quote where round_id = $1', [roundId])).rows[0];
    expect(stored).toEqual({ institution_code: hospitals[0].code, item_code: item.code, hospital_level: 3, p: proposed, c: proposed, reason: '新增专科护士与一次性耗材投入' });

    // a second hospital quotes the same item higher (through the API); the table shows the API's scores
    const second = await call('POST', `/api/rounds/${roundId}/quotes`, {
      institutionCode: hospitals[1].code, itemCode: item.code, proposedPriceFen: Math.round(item.price * 1.3),
      costBasis: { labourFen: Math.round(item.price * 0.2), materialFen: Math.round(item.price * 0.8) }, expectedVolume: 100,
    });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    await page.reload();
    const api = (await call('GET', `/api/rounds/${roundId}/quotes`)).body as { scoring: { coverage: number; structure: number; median: number; score: number } }[];
    await expect.poll(() => page.locator('[data-part=score]').allInnerTexts()).toEqual(api.map((q) => q.scoring.score.toFixed(2)));
    expect(await page.locator('[data-part=coverage]').allInnerTexts()).toEqual(api.map((q) => (q.scoring.coverage * 100).toFixed(1)));
    expect(await page.locator('[data-part=structure]').allInnerTexts()).toEqual(api.map((q) => (q.scoring.structure * 100).toFixed(1)));
    expect(await page.locator('[data-part=median]').allInnerTexts()).toEqual(api.map((q) => (q.scoring.median * 100).toFixed(1)));
    await shot(page, 'quotes-1600');

    // select within a budget of 1,000万元: one quote per item and level, the higher score first
    await page.getByTestId('select-budget').fill('1000');
    await page.getByTestId('select-run').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await page.getByTestId('select-result').waitFor();
    expect(await page.getByTestId('select-counts').innerText()).toBe('1 条 / 1 条');
    const decided = (await db().pool.query('select institution_code as code, status from hospital_quote where round_id = $1 order by score desc, id', [roundId])).rows;
    expect(decided.map((d: { status: string }) => d.status)).toEqual(['selected', 'rejected']);
    const scenario = (await db().pool.query(`select id from scenario where round_id = $1 and method = 'quotes'`, [roundId])).rows[0].id as number;
    const impact = (await call('GET', `/api/scenarios/${scenario}/impact`)).body;
    expect(await page.getByTestId('select-net').innerText()).toBe(formatFenAuto(impact.summary.netFen));
    await expect.poll(() => page.locator('[data-status=selected]').count()).toBe(1);
    await page.setViewportSize({ width: 1280, height: 800 });
    await shot(page, 'quotes-selected-1280');
    await page.getByTestId('select-open').click();
    await page.waitForURL(`**/rounds/${roundId}/scenarios/${scenario}`);
    expect(errors).toEqual([]);
    await page.close();

    // a hospital user (who may not read rounds) sees its own quote only, and its form is bound to its institution
    const hs = await env().app.userSession({ username: 'quote-page-hospital', role: 'hospital', regionCode: SUZHOU, institutionCode: hospitals[0].code });
    const hp = await signedInPage(env().raw, env().base, hs, { viewport: { width: 1280, height: 800 } });
    const herrors: string[] = [];
    hp.on('pageerror', (e) => herrors.push(e.message));
    // its home is the list of rounds to quote in (it reads no region's data): one area in the bar, its own quote counted
    await hp.goto(`${env().base}/`);
    await expect.poll(() => new URL(hp.url()).pathname).toBe('/quotes');
    expect(await hp.locator('[data-nav]').evaluateAll((els) => els.map((e) => e.getAttribute('data-nav')))).toEqual(['quotes']);
    // the page names its institution as people know it, not by its code
    await expect.poll(() => hp.locator('.page-subtitle').innerText()).toBe(`本机构可报价的调价轮次（${hospitals[0].name}）`);
    const row = hp.getByTestId('quote-rounds').locator('.el-table__row', { hasText: (await db().pool.query('select name from round where id = $1', [roundId])).rows[0].name as string });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator('td').nth(5).innerText()).toBe('1');
    await hp.waitForTimeout(400); // the tags' entering transition, for the picture
    await shot(hp, 'quote-rounds-hospital-1280');
    await row.locator('a').click();
    await expect.poll(() => new URL(hp.url()).pathname).toBe(`/rounds/${roundId}/quotes`);
    await expect.poll(() => hp.locator('[data-part=score]').count()).toBe(1);
    // no score of its own making: the one the selection stored (over every quote of the item), no criteria
    const storedScore = (await db().pool.query('select score::float8 as s from hospital_quote where round_id = $1 and institution_code = $2', [roundId, hospitals[0].code])).rows[0].s as number;
    expect(await hp.locator('[data-part=score]').innerText()).toBe(storedScore.toFixed(2));
    expect(await hp.locator('[data-part=coverage]').innerText()).toBe('—');
    expect(await hp.getByTestId('quotes-table').innerText()).toContain(hospitals[0].name);
    expect(await hp.getByTestId('quotes-table').innerText()).not.toContain(hospitals[1].name);
    expect(await hp.getByTestId('quotes-select').count()).toBe(0);
    await hp.getByTestId('quote-new').click();
    expect(await hp.getByTestId('quote-dialog').innerText()).toContain(hospitals[0].name);
    await hp.waitForTimeout(400); // the dialog's opening animation, for the picture
    await shot(hp, 'quotes-hospital-1280');
    expect(herrors).toEqual([]);
    await hp.close();
  });
});
