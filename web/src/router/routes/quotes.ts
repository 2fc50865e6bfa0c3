import type { RouteRecordRaw } from 'vue-router';

/**
 * 复杂型项目报价: /quotes, the rounds to quote in (a hospital user's home), and a round's quotes at
 * /rounds/:roundId/quotes — hospitals' 申报, the scores and the selection into a scenario.
 */
export const routes: RouteRecordRaw[] = [
  { path: '/quotes', name: 'quote-rounds', component: () => import('../../pages/quotes/QuoteRoundsPage.vue'), meta: { nav: 'quotes' } },
  {
    path: '/rounds/:roundId(\\d+)/quotes',
    name: 'quotes',
    component: () => import('../../pages/quotes/QuotesPage.vue'),
    meta: { nav: 'quotes' },
  },
];
