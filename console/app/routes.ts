/** The console's URL space: pure functions from a location to a route and back, and who may see what. */
import type { Role } from '../../server/auth/auth.schemas.js';

export type Route =
  | { name: 'login' }
  /** "/": each role's landing page (see `landingRoute`). */
  | { name: 'home' }
  | { name: 'desk' }
  | { name: 'customers'; query: string }
  | { name: 'customer'; id: number }
  /** The create form; `phone` prefills the number (from the desk, for an unknown caller). */
  | { name: 'customerNew'; phone: string }
  /** Likely duplicate customers to merge or dismiss: supervisors and admins. */
  | { name: 'customerDuplicates' }
  /** Customers from a CSV file; supervisors and admins. */
  | { name: 'customerImport' }
  | { name: 'interactions' }
  /** Supervisors' live views: queue tiles, and every agent's status and call. */
  | { name: 'wallboard' }
  | { name: 'agentGrid' }
  /** Historical figures; `search` holds the report's form (see console/reports/report-query.ts). */
  | { name: 'reports'; search: string }
  /** The interactions behind one figure; `search` is the `/api/reports/interactions` query. */
  | { name: 'reportInteractions'; search: string }
  | { name: 'admin' }
  /** Follow-ups as work: my worklist and my teams'. */
  | { name: 'followUps'; list: 'mine' | 'team' };

export type NavSection =
  'desk' | 'customers' | 'followUps' | 'wallboard' | 'agentGrid' | 'interactions' | 'reports' | 'admin';

/** Unknown paths land on customer search, the page every role may open. */
export function parseRoute(pathname: string, search = ''): Route {
  const segments = pathname.split('/').filter((segment) => segment !== '');
  const [first, second, ...rest] = segments;
  if (first === undefined) return { name: 'home' };
  if (rest.length > 0) return customers(search);
  if (first === 'login' && second === undefined) return { name: 'login' };
  if (first === 'desk' && second === undefined) return { name: 'desk' };
  if (first === 'interactions' && second === undefined) return { name: 'interactions' };
  if (first === 'wallboard' && second === undefined) return { name: 'wallboard' };
  if (first === 'agents-live' && second === undefined) return { name: 'agentGrid' };
  if (first === 'admin' && second === undefined) return { name: 'admin' };
  if (first === 'follow-ups' && second === undefined) {
    return { name: 'followUps', list: new URLSearchParams(search).get('list') === 'team' ? 'team' : 'mine' };
  }
  if (first === 'reports' && second === undefined) return { name: 'reports', search: query(search) };
  if (first === 'reports' && second === 'interactions') {
    return { name: 'reportInteractions', search: query(search) };
  }
  if (first === 'customers' && second === 'duplicates') return { name: 'customerDuplicates' };
  if (first === 'customers' && second === 'import') return { name: 'customerImport' };
  if (first === 'customers' && second === 'new') {
    return { name: 'customerNew', phone: new URLSearchParams(search).get('phone') ?? '' };
  }
  if (first === 'customers' && second !== undefined && /^[1-9]\d{0,15}$/.test(second)) {
    const id = Number(second);
    if (Number.isSafeInteger(id)) return { name: 'customer', id };
  }
  return customers(search);
}

/** A search string without its "?", for routes that keep their whole query. */
function query(search: string): string {
  return new URLSearchParams(search).toString();
}

function customers(search: string): Route {
  return { name: 'customers', query: new URLSearchParams(search).get('q') ?? '' };
}

export function routeHref(route: Route): string {
  switch (route.name) {
    case 'login':
      return '/login';
    case 'home':
      return '/';
    case 'desk':
      return '/desk';
    case 'customers':
      return route.query ? `/customers?${new URLSearchParams({ q: route.query }).toString()}` : '/customers';
    case 'customer':
      return `/customers/${route.id}`;
    case 'customerDuplicates':
      return '/customers/duplicates';
    case 'customerImport':
      return '/customers/import';
    case 'customerNew':
      return route.phone
        ? `/customers/new?${new URLSearchParams({ phone: route.phone }).toString()}`
        : '/customers/new';
    case 'interactions':
      return '/interactions';
    case 'wallboard':
      return '/wallboard';
    case 'agentGrid':
      return '/agents-live';
    case 'reports':
      return route.search ? `/reports?${route.search}` : '/reports';
    case 'reportInteractions':
      return `/reports/interactions?${route.search}`;
    case 'admin':
      return '/admin';
    case 'followUps':
      return route.list === 'team' ? '/follow-ups?list=team' : '/follow-ups';
  }
}

/** The sections a role may open, in navigation order. Everyone may take calls, so everyone has the desk. */
export function navSections(role: Role): NavSection[] {
  switch (role) {
    case 'agent':
      return ['desk', 'customers', 'followUps'];
    case 'supervisor':
      return ['desk', 'customers', 'followUps', 'wallboard', 'agentGrid', 'interactions', 'reports'];
    case 'admin':
      return ['desk', 'customers', 'followUps', 'wallboard', 'agentGrid', 'interactions', 'reports', 'admin'];
  }
}

/** Where a role starts: agents at the desk, supervisors and admins at customer search. */
export function landingRoute(role: Role): Route {
  return role === 'agent' ? { name: 'desk' } : { name: 'customers', query: '' };
}

export function sectionOf(route: Route): NavSection | null {
  switch (route.name) {
    case 'desk':
      return 'desk';
    case 'customers':
    case 'customer':
    case 'customerNew':
    case 'customerDuplicates':
    case 'customerImport':
      return 'customers';
    case 'interactions':
      return 'interactions';
    case 'wallboard':
      return 'wallboard';
    case 'agentGrid':
      return 'agentGrid';
    case 'reports':
    case 'reportInteractions':
      return 'reports';
    case 'admin':
      return 'admin';
    case 'followUps':
      return 'followUps';
    case 'login':
    case 'home':
      return null;
  }
}

/**
 * The route a signed-in user actually gets: "/" is their landing page; pages outside their role, and
 * the login page, fall back to search.
 */
export function routeFor(route: Route, role: Role): Route {
  if (route.name === 'home') return landingRoute(role);
  const section = sectionOf(route);
  if (section === null || !navSections(role).includes(section)) return { name: 'customers', query: '' };
  if (route.name === 'customerDuplicates' && role === 'agent') return { name: 'customers', query: '' };
  if (route.name === 'customerImport' && role === 'agent') return { name: 'customers', query: '' };
  return route;
}
