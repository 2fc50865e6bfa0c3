import type { RouteRecordRaw } from 'vue-router';

/** /evaluation?year=2025&ruleSet=1&region=511100: the state is in the query, so a link reopens the same view. */
export const routes: RouteRecordRaw[] = [
  { path: '/evaluation', name: 'evaluation', component: () => import('../../pages/evaluation/EvaluationPage.vue'), meta: { nav: 'evaluation' } },
];
