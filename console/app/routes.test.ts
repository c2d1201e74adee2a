import { describe, expect, it } from 'vitest';
import { landingRoute, navSections, parseRoute, routeFor, routeHref, type Route } from './routes.js';

describe('parseRoute', () => {
  it.each<[string, string, Route]>([
    ['/', '', { name: 'home' }],
    ['/login', '', { name: 'login' }],
    ['/desk', '', { name: 'desk' }],
    ['/desk/', '', { name: 'desk' }],
    ['/customers', '', { name: 'customers', query: '' }],
    ['/customers', '?q=olivia%20carter', { name: 'customers', query: 'olivia carter' }],
    ['/customers/', '', { name: 'customers', query: '' }],
    ['/customers/42', '', { name: 'customer', id: 42 }],
    ['/customers/42/', '', { name: 'customer', id: 42 }],
    ['/customers/new', '', { name: 'customerNew', phone: '' }],
    ['/customers/duplicates', '', { name: 'customerDuplicates' }],
    ['/customers/import', '', { name: 'customerImport' }],
    ['/customers/new', '?phone=%2B14155550123', { name: 'customerNew', phone: '+14155550123' }],
    ['/interactions', '', { name: 'interactions' }],
    ['/admin', '', { name: 'admin' }],
    ['/wallboard', '', { name: 'wallboard' }],
    ['/agents-live', '', { name: 'agentGrid' }],
    ['/follow-ups', '', { name: 'followUps', list: 'mine' }],
    ['/follow-ups', '?list=team', { name: 'followUps', list: 'team' }],
  ])('%s%s', (path, search, route) => {
    expect(parseRoute(path, search)).toEqual(route);
  });

  it.each([
    '/nowhere',
    '/customers/0',
    '/customers/abc',
    '/customers/-1',
    '/customers/1e3',
    '/admin/x/y',
    '/desk/x',
    '/customers/new/x',
    '/customers/99999999999999999',
  ])('sends unknown path %s to customer search', (path) => {
    expect(parseRoute(path)).toEqual({ name: 'customers', query: '' });
  });
});

describe('routeHref', () => {
  it('round-trips through parseRoute', () => {
    const routes: Route[] = [
      { name: 'login' },
      { name: 'home' },
      { name: 'desk' },
      { name: 'customers', query: '' },
      { name: 'customers', query: '+1 (415) 555-0123 & co' },
      { name: 'customer', id: 7 },
      { name: 'customerNew', phone: '' },
      { name: 'customerDuplicates' },
      { name: 'customerNew', phone: '+14155550123' },
      { name: 'customerImport' },
      { name: 'interactions' },
      { name: 'wallboard' },
      { name: 'agentGrid' },
      { name: 'reports', search: '' },
      { name: 'reports', search: 'preset=last7&timeZone=Asia%2FKolkata&queueId=2' },
      { name: 'reportInteractions', search: 'metric=abandoned&from=2026-03-01T00%3A00%3A00.000Z' },
      { name: 'admin' },
      { name: 'followUps', list: 'mine' },
      { name: 'followUps', list: 'team' },
    ];
    for (const route of routes) {
      const url = new URL(routeHref(route), 'http://console.test');
      expect(parseRoute(url.pathname, url.search)).toEqual(route);
    }
  });
});

describe('access by role', () => {
  it('shows each role its sections, the desk first for everyone', () => {
    expect(navSections('agent')).toEqual(['desk', 'customers', 'followUps']);
    expect(navSections('supervisor')).toEqual([
      'desk',
      'customers',
      'followUps',
      'wallboard',
      'agentGrid',
      'interactions',
      'reports',
    ]);
    expect(navSections('admin')).toEqual([
      'desk',
      'customers',
      'followUps',
      'wallboard',
      'agentGrid',
      'interactions',
      'reports',
      'admin',
    ]);
  });

  it('lands agents on the desk and the others on customer search', () => {
    expect(landingRoute('agent')).toEqual({ name: 'desk' });
    expect(landingRoute('supervisor')).toEqual({ name: 'customers', query: '' });
    expect(routeFor({ name: 'home' }, 'agent')).toEqual({ name: 'desk' });
    expect(routeFor({ name: 'home' }, 'admin')).toEqual({ name: 'customers', query: '' });
  });

  it('sends a role away from pages it may not see, and signed-in users away from login', () => {
    const search = { name: 'customers', query: '' };
    expect(routeFor({ name: 'interactions' }, 'agent')).toEqual(search);
    expect(routeFor({ name: 'admin' }, 'supervisor')).toEqual(search);
    expect(routeFor({ name: 'wallboard' }, 'agent')).toEqual(search);
    expect(routeFor({ name: 'agentGrid' }, 'agent')).toEqual(search);
    expect(routeFor({ name: 'reports', search: '' }, 'agent')).toEqual(search);
    expect(routeFor({ name: 'reportInteractions', search: 'metric=offered' }, 'agent')).toEqual(search);
    expect(routeFor({ name: 'wallboard' }, 'supervisor')).toEqual({ name: 'wallboard' });
    expect(routeFor({ name: 'login' }, 'admin')).toEqual(search);
    expect(routeFor({ name: 'admin' }, 'admin')).toEqual({ name: 'admin' });
    expect(routeFor({ name: 'customer', id: 3 }, 'agent')).toEqual({ name: 'customer', id: 3 });
    expect(routeFor({ name: 'desk' }, 'admin')).toEqual({ name: 'desk' });
    expect(routeFor({ name: 'followUps', list: 'team' }, 'agent')).toEqual({
      name: 'followUps',
      list: 'team',
    });
    expect(routeFor({ name: 'customerNew', phone: '' }, 'agent')).toEqual({ name: 'customerNew', phone: '' });
    expect(routeFor({ name: 'customerDuplicates' }, 'agent')).toEqual({ name: 'customers', query: '' });
    expect(routeFor({ name: 'customerDuplicates' }, 'supervisor')).toEqual({ name: 'customerDuplicates' });
    // The server refuses agents an import; the page is not offered to them either.
    expect(routeFor({ name: 'customerImport' }, 'agent')).toEqual({ name: 'customers', query: '' });
    expect(routeFor({ name: 'customerImport' }, 'supervisor')).toEqual({ name: 'customerImport' });
  });
});
