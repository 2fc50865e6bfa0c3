/**
 * The routes, one file per area (router/routes/<area>.ts exporting `routes`), every page lazy-loaded; the view's state
 * (region, round, scenario, filters) lives in the path and the query, so a link reopens the same view and Back works.
 */
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { fetchSession } from '../api/auth';
import { session, setSession, whenSignedOut } from '../stores/session';
import { routes as auth } from './routes/auth';
import { routes as data } from './routes/data';
import { routes as evaluation } from './routes/evaluation';
import { routes as forecast } from './routes/forecast';
import { routes as overview } from './routes/overview';
import { routes as rounds } from './routes/rounds';
import { routes as scenarios } from './routes/scenarios';

export const routes: RouteRecordRaw[] = [
  ...auth,
  ...overview,
  ...evaluation,
  ...rounds,
  ...scenarios,
  ...forecast,
  ...data,
  { path: '/:rest(.*)*', name: 'not-found', component: () => import('../pages/NotFoundPage.vue') },
];

export const router = createRouter({ history: createWebHistory(), routes });

/** Every page but the sign-in page needs a session: read it once, then send a visitor without one to sign in. */
router.beforeEach(async (to) => {
  if (!session.checked) setSession(await fetchSession().catch(() => null));
  if (to.meta.public) return session.user && to.name === 'login' ? { path: String(to.query.redirect ?? '/') } : true;
  if (!session.user) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  return true;
});

whenSignedOut(() => {
  const here = router.currentRoute.value;
  if (!here.meta.public) void router.push({ name: 'login', query: { redirect: here.fullPath } });
});
