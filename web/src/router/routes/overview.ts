import type { RouteRecordRaw } from 'vue-router';

/** /?region=511100: the region chosen (its rounds and key indicators) is in the query; none = all regions. */
export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'overview', component: () => import('../../pages/overview/OverviewPage.vue'), meta: { nav: 'overview' } },
];
