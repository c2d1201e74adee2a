/**
 * Follow-ups as work: the worklists, the counts behind the navigation badge (a store the server's
 * `follow-up:changed` pushes keep current), and the actions, as REST calls.
 */
import type { FollowUpAction } from '../../contracts/glossary.js';
import type {
  CreateFollowUpBody,
  FollowUpCounts,
  FollowUpPage,
  FollowUpWork,
  ReassignFollowUpBody,
  WorklistQuery,
} from '../../server/follow-ups/follow-ups.schemas.js';
import { request } from './api.js';
import { desk } from './desk.data.js';

export type { FollowUpCounts, FollowUpPage, FollowUpWork, WorklistQuery };
export type { FollowUpReminder } from '../../contracts/follow-up.js';
export type Worklist = 'mine' | 'team';

export function listWorklist(
  list: Worklist,
  query: WorklistQuery,
  signal?: AbortSignal,
): Promise<FollowUpPage> {
  return request<FollowUpPage>('GET', `/api/follow-ups/${list}`, { query: { ...query }, signal });
}

/** Rejects with ApiError 403 (not for this owner), 404 (no such customer) or 400. */
export function createFollowUp(body: CreateFollowUpBody): Promise<FollowUpWork> {
  return request<FollowUpWork>('POST', '/api/follow-ups', { body });
}

/** Rejects with ApiError 409 when the follow-up's status does not allow the action (it changed meanwhile). */
export function moveFollowUp(id: number, action: FollowUpAction): Promise<FollowUpWork> {
  return request<FollowUpWork>('PATCH', `/api/follow-ups/${id}`, { body: { action } });
}

/** Supervisors and admins only. */
export function reassignFollowUp(id: number, body: ReassignFollowUpBody): Promise<FollowUpWork> {
  return request<FollowUpWork>('PUT', `/api/follow-ups/${id}/owner`, { body });
}

/** The call queues whose teams the signed-in user may give a follow-up to. */
export async function listFollowUpTeams(signal?: AbortSignal): Promise<{ id: number; name: string }[]> {
  return (
    await request<{ items: { id: number; name: string }[] }>('GET', '/api/follow-ups/teams', { signal })
  ).items;
}

/** The end of the user's local day, so "due today" means their today. */
function endOfLocalDay(): string {
  const end = new Date();
  end.setHours(24, 0, 0, 0);
  return end.toISOString();
}

function getCounts(): Promise<FollowUpCounts> {
  return request<FollowUpCounts>('GET', '/api/follow-ups/counts', {
    query: { todayEndsAt: endOfLocalDay() },
  });
}

/**
 * The navigation badge's counts, shared by every element that shows them: fetched when the first
 * subscriber comes, again whenever the server says a follow-up of ours changed or fell due, or the desk socket
 * reconnects (what changed meanwhile is unknown), and on `refresh()` after our own actions.
 */
function createCountsStore() {
  const listeners = new Set<(counts: FollowUpCounts | null) => void>();
  let counts: FollowUpCounts | null = null;
  let stopSocket: (() => void) | null = null;
  let inFlight = false;
  let again = false;

  async function refresh(): Promise<void> {
    // Pushes arrive in bursts (a reassignment tells two owners): one request at a time, one more after.
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    try {
      counts = await getCounts();
      for (const listener of listeners) listener(counts);
    } catch (error) {
      console.error(error);
    } finally {
      inFlight = false;
      if (again) {
        again = false;
        void refresh();
      }
    }
  }

  return {
    get counts(): FollowUpCounts | null {
      return counts;
    },
    refresh,
    subscribe(listener: (counts: FollowUpCounts | null) => void): () => void {
      listeners.add(listener);
      if (listeners.size === 1) {
        // A reminder means one of ours fell due or overdue: the badge's figures moved with the clock.
        stopSocket = desk.onFollowUps({
          changed: () => void refresh(),
          reminder: () => void refresh(),
          connected: () => void refresh(),
        });
        void refresh();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          stopSocket?.();
          stopSocket = null;
          counts = null;
        }
      };
    },
  };
}

export const followUpCounts = createCountsStore();
