import type { RouteRecordRaw } from 'vue-router';

/** 复杂型项目报价 of a round: /rounds/:roundId/quotes — hospitals' 申报, the scores and the selection into a scenario. */
export const routes: RouteRecordRaw[] = [
  {
    path: '/rounds/:roundId(\\d+)/quotes',
    name: 'quotes',
    component: () => import('../../pages/quotes/QuotesPage.vue'),
    meta: { nav: 'rounds' },
  },
];
