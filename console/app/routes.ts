/** The console's URL space: pure functions from a location to a route and back, and who may see what. */
import type { Role } from '../../server/auth/auth.schemas.js';

export type Route =
  | { name: 'login' }
  | { name: 'customers'; query: string }
  | { name: 'customer'; id: number }
  | { name: 'interactions' }
  | { name: 'admin' };

export type NavSection = 'customers' | 'interactions' | 'admin';

/** Unknown paths land on customer search, the page every role starts from. */
export function parseRoute(pathname: string, search = ''): Route {
  const segments = pathname.split('/').filter((segment) => segment !== '');
  const [first, second, ...rest] = segments;
  if (rest.length > 0) return customers(search);
  if (first === 'login' && second === undefined) return { name: 'login' };
  if (first === 'interactions' && second === undefined) return { name: 'interactions' };
  if (first === 'admin' && second === undefined) return { name: 'admin' };
  if (first === 'customers' && second !== undefined && /^[1-9]\d{0,15}$/.test(second)) {
    const id = Number(second);
    if (Number.isSafeInteger(id)) return { name: 'customer', id };
  }
  return customers(search);
}

function customers(search: string): Route {
  return { name: 'customers', query: new URLSearchParams(search).get('q') ?? '' };
}

export function routeHref(route: Route): string {
  switch (route.name) {
    case 'login':
      return '/login';
    case 'customers':
      return route.query ? `/customers?${new URLSearchParams({ q: route.query }).toString()}` : '/customers';
    case 'customer':
      return `/customers/${route.id}`;
    case 'interactions':
      return '/interactions';
    case 'admin':
      return '/admin';
  }
}

/** The sections a role may open, in navigation order. */
export function navSections(role: Role): NavSection[] {
  switch (role) {
    case 'agent':
      return ['customers'];
    case 'supervisor':
      return ['customers', 'interactions'];
    case 'admin':
      return ['customers', 'interactions', 'admin'];
  }
}

export function sectionOf(route: Route): NavSection | null {
  switch (route.name) {
    case 'customers':
    case 'customer':
      return 'customers';
    case 'interactions':
      return 'interactions';
    case 'admin':
      return 'admin';
    case 'login':
      return null;
  }
}

/** The route a signed-in user actually gets: pages outside their role, and the login page, fall back to search. */
export function routeFor(route: Route, role: Role): Route {
  const section = sectionOf(route);
  if (section === null || !navSections(role).includes(section)) return { name: 'customers', query: '' };
  return route;
}
