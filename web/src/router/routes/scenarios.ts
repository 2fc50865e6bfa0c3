import type { RouteRecordRaw } from 'vue-router';

/** A round's scenarios: the editor and the side-by-side comparison (?scenarios=12,15). */
export const routes: RouteRecordRaw[] = [
  {
    path: '/rounds/:roundId(\\d+)/scenarios/:scenarioId(\\d+)',
    name: 'scenario',
    component: () => import('../../pages/scenarios/ScenarioPage.vue'),
    meta: { nav: 'rounds' },
  },
  {
    path: '/rounds/:roundId(\\d+)/compare',
    name: 'compare',
    component: () => import('../../pages/scenarios/ComparePage.vue'),
    meta: { nav: 'rounds' },
  },
];
