import type { RouteRecordRaw } from 'vue-router';

/**
 * 预测与负担 of a scenario: /rounds/:roundId/scenarios/:scenarioId/forecast?tab=forecast|burden and the assumptions
 * under the API's own parameter names (elasticity=-0.3,-0.1&recognition=0.02,0.08&year=2027&scheme=resident …).
 */
export const routes: RouteRecordRaw[] = [
  {
    path: '/rounds/:roundId(\\d+)/scenarios/:scenarioId(\\d+)/forecast',
    name: 'forecast',
    component: () => import('../../pages/forecast/ForecastPage.vue'),
    meta: { nav: 'rounds' },
  },
];
