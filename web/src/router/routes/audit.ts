import type { RouteRecordRaw } from 'vue-router';

/**
 * 审计日志 (administrators, price officials and analysts; the API shows each the records of their regions):
 * /audit?user=&region=&entity=&entityId=&action=&from=&to=&page=&record=
 */
export const routes: RouteRecordRaw[] = [
  { path: '/audit', name: 'audit', component: () => import('../../pages/audit/AuditPage.vue'), meta: { nav: 'audit', roles: ['admin', 'pricing_officer', 'analyst'] } },
];
