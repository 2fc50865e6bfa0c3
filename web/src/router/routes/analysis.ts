import type { RouteRecordRaw } from 'vue-router';

/**
 * 分析: the analyst's views of a scenario, each with its round and scenario in the query (?round=&scenario=) and its
 * own filters: /analysis/cost (成本比价), /analysis/position (区域比价); /analysis/catalogue (目录与价格平移) by region
 * (?region=&q=&batch=&date=); /analysis/monitoring (监测) of an implemented round (?round=&year=&cat=&measure=&threshold=);
 * /analysis/regions (区域对比) of several regions side by side (?codes=130200,320500&year=2024). 复杂型报价 of a round
 * is the round's own page (/rounds/:id/quotes).
 */
export const routes: RouteRecordRaw[] = [
  { path: '/analysis', redirect: (to) => ({ path: '/analysis/cost', query: to.query }) },
  { path: '/analysis/cost', name: 'analysis-cost', component: () => import('../../pages/analysis/CostValuePage.vue'), meta: { nav: 'analysis' } },
  { path: '/analysis/catalogue', name: 'analysis-catalogue', component: () => import('../../pages/analysis/CataloguePage.vue'), meta: { nav: 'analysis' } },
  { path: '/analysis/monitoring', name: 'analysis-monitoring', component: () => import('../../pages/analysis/MonitoringPage.vue'), meta: { nav: 'analysis' } },
  { path: '/analysis/position', name: 'analysis-position', component: () => import('../../pages/analysis/PositionPage.vue'), meta: { nav: 'analysis' } },
  { path: '/analysis/regions', name: 'analysis-regions', component: () => import('../../pages/analysis/RegionComparePage.vue'), meta: { nav: 'analysis' } },
];
