import type { RouteRecordRaw } from 'vue-router';

/** /rounds?region=&status=&year= and /rounds/:roundId?tab=overview|scenarios|total|implemented */
export const routes: RouteRecordRaw[] = [
  { path: '/rounds', name: 'rounds', component: () => import('../../pages/rounds/RoundsPage.vue'), meta: { nav: 'rounds' } },
  { path: '/rounds/:roundId(\\d+)', name: 'round', component: () => import('../../pages/rounds/RoundPage.vue'), meta: { nav: 'rounds' } },
];
