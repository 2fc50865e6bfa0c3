/**
 * The routes, one file per area (router/routes/<area>.ts exporting `routes`), every page lazy-loaded; the view's state
 * (region, round, scenario, filters) lives in the path and the query, so a link reopens the same view and Back works.
 */
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { fetchSession } from '../api/auth';
import { session, setSession, whenSignedOut, type Role } from '../stores/session';
import { routes as admin } from './routes/admin';
import { routes as audit } from './routes/audit';
import { routes as auth } from './routes/auth';
import { routes as data } from './routes/data';
import { routes as evaluation } from './routes/evaluation';
import { routes as forecast } from './routes/forecast';
import { routes as overview } from './routes/overview';
import { routes as quotes } from './routes/quotes';
import { routes as rounds } from './routes/rounds';
import { routes as scenarios } from './routes/scenarios';
import { routes as analysis } from './routes/analysis';

export const routes: RouteRecordRaw[] = [
  ...auth,
  ...overview,
  ...evaluation,
  ...rounds,
  ...scenarios,
  ...forecast,
  ...quotes,
  ...data,
  ...admin,
  ...analysis,
  ...audit,
  { path: '/:rest(.*)*', name: 'not-found', component: () => import('../pages/NotFoundPage.vue') },
  // reached by name only (a path always matches not-found first): the 403 state at the address that was refused
  { path: '/:rest(.*)*', name: 'forbidden', component: () => import('../pages/ForbiddenPage.vue') },
];

declare module 'vue-router' {
  interface RouteMeta {
    /** the roles that may open the page (none: every signed-in user); others see the 403 state */
    roles?: readonly Role[];
  }
}

export const router = createRouter({ history: createWebHistory(), routes });

/**
 * Every page but the sign-in page needs a session: read it once, then send a visitor without one to sign in. A page
 * with `meta.roles` (user management) is refused to the other roles with the 403 state.
 */
router.beforeEach(async (to) => {
  if (!session.checked) setSession(await fetchSession().catch(() => null));
  if (to.meta.public) return session.user && to.name === 'login' ? { path: String(to.query.redirect ?? '/') } : true;
  if (!session.user) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  // a hospital user reads no region's data: its home is the rounds it may quote in
  if (session.user.role === 'hospital' && to.name === 'overview') return { name: 'quote-rounds', replace: true };
  if (to.meta.roles && !to.meta.roles.includes(session.user.role)) {
    // the page is not loaded at all; the address stays, so signing in as an administrator and reloading opens it
    return { name: 'forbidden', params: { rest: to.path.slice(1).split('/') }, query: to.query, hash: to.hash, replace: true };
  }
  return true;
});

whenSignedOut(() => {
  const here = router.currentRoute.value;
  if (!here.meta.public) void router.push({ name: 'login', query: { redirect: here.fullPath } });
});
