import type { RouteRecordRaw } from 'vue-router';

export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'overview', component: () => import('../../pages/overview/OverviewPage.vue'), meta: { nav: 'overview' } },
];
