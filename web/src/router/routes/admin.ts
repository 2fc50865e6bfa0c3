import type { RouteRecordRaw } from 'vue-router';

/** 用户管理 (administrators only; the router shows others the 403 state): /admin/users?role=&region=&q= */
export const routes: RouteRecordRaw[] = [
  { path: '/admin/users', name: 'users', component: () => import('../../pages/admin/UsersPage.vue'), meta: { nav: 'users', roles: ['admin'] } },
];
