import type { RouteRecordRaw } from 'vue-router';

export const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('../../pages/auth/LoginPage.vue'), meta: { public: true, bare: true } },
];
