/**
 * The routes, one file per area (router/routes/<area>.ts exporting `routes`), every page lazy-loaded; the view's state
 * (region, round, scenario, filters) lives in the path and the query, so a link reopens the same view and Back works.
 */
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { routes as data } from './routes/data';
import { routes as evaluation } from './routes/evaluation';
import { routes as forecast } from './routes/forecast';
import { routes as overview } from './routes/overview';
import { routes as rounds } from './routes/rounds';
import { routes as scenarios } from './routes/scenarios';

export const routes: RouteRecordRaw[] = [
  ...overview,
  ...evaluation,
  ...rounds,
  ...scenarios,
  ...forecast,
  ...data,
  { path: '/:rest(.*)*', name: 'not-found', component: () => import('../pages/NotFoundPage.vue') },
];

export const router = createRouter({ history: createWebHistory(), routes });
