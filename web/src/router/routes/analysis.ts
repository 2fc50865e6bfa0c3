import type { RouteRecordRaw } from 'vue-router';

/**
 * 分析: the analyst's views of a scenario, each with its round and scenario in the query (?round=&scenario=) and its
 * own filters: /analysis/cost (成本比价), /analysis/position (区域比价).
 */
export const routes: RouteRecordRaw[] = [
  { path: '/analysis', redirect: (to) => ({ path: '/analysis/cost', query: to.query }) },
  { path: '/analysis/cost', name: 'analysis-cost', component: () => import('../../pages/analysis/CostValuePage.vue'), meta: { nav: 'analysis' } },
  { path: '/analysis/position', name: 'analysis-position', component: () => import('../../pages/analysis/PositionPage.vue'), meta: { nav: 'analysis' } },
];
