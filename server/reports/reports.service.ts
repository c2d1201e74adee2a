import { badRequest } from '../http/errors.js';
import { metricsOf } from './metrics.js';
import type { ReportsRepository, RollupFilter, SumsRow } from './reports.repository.js';
import {
  DRILL_METRICS,
  type DrillPage,
  type DrillQuery,
  type GroupBy,
  type Report,
  type ReportQuery,
  type AgentTimes,
  type AgentTimesQuery,
  type StatusSeconds,
  type CustomerReport,
  type CustomerReportQuery,
  type IvrReport,
  type IvrReportQuery,
  type Staffing,
  type StaffingQuery,
} from './reports.schemas.js';
import type { Clock } from '../clock.js';
import type { SlTarget } from '../../contracts/call-queue.js';
import type { CustomerReportsRepository } from './customers.repository.js';
import type { IvrReportsRepository } from './ivr.repository.js';
import { staffingOf, statusTimesOf } from './staffing.js';
import { agentTimeMetricsOf } from './metrics.js';
import { COUNTERS, type Counters } from './rollups.js';
import { MAX_RANGE_DAYS, isTimeZone, localIso, onBucket, periodsOf, type Interval } from './time-periods.js';

const DAY_MS = 86_400_000;
/** A report without periods still has a bound: the longest any interval allows. */
const MAX_TOTAL_DAYS = Math.max(...Object.values(MAX_RANGE_DAYS));

interface CheckedRange {
  fromMs: number;
  toMs: number;
  timeZone: string;
}

const seconds = (ms: number) => Math.floor(ms / 1000);
const countersOf = (row: SumsRow): Counters =>
  Object.fromEntries(COUNTERS.map((c) => [c, row[c] ?? 0])) as Counters;
const EMPTY = Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Counters;
const combine = (a: Counters, b: Counters): Counters =>
  Object.fromEntries(
    COUNTERS.map((c) => [c, c === 'wait_max_ms' ? Math.max(a[c], b[c]) : a[c] + b[c]]),
  ) as Counters;

/**
 * Report rules: what a valid request is (every refusal is a 400 that names the fault and runs no
 * query), how local periods map to rollup buckets, and how sums become figures.
 */
/** A saved segment's customers as a subquery (server/segments); null for an unknown segment. */
export type SegmentCustomers = (
  segmentId: number,
  nowMs: number,
) => { sql: string; params: Record<string, string | number> } | null;

export function createReportsService(deps: {
  repository: ReportsRepository;
  customers: CustomerReportsRepository;
  ivr: IvrReportsRepository;
  segments: SegmentCustomers;
  clock: Clock;
}) {
  const { repository, customers, ivr, clock } = deps;

  /** The sums, from the rollups, or from the segment's interactions when the query names one. */
  function sumsFor(
    filter: RollupFilter,
    segmentId: number | undefined,
    periods: [number, number][],
    by: GroupBy | undefined,
  ): SumsRow[] {
    if (segmentId === undefined) return repository.sums(filter, periods, by);
    const segment = segmentSql(segmentId);
    return repository.segmentSums(filter, segment, periods, by);
  }

  function segmentSql(segmentId: number) {
    let segment: ReturnType<SegmentCustomers>;
    try {
      segment = deps.segments(segmentId, clock.now().getTime());
    } catch (error) {
      // A stored filter the compiler refuses (a field not wired in this version): the request's fault.
      if (error instanceof Error && error.name === 'SegmentFilterError')
        throw badRequest(`Segment ${segmentId}: ${error.message}`);
      throw error;
    }
    if (!segment) throw badRequest(`Unknown segment ${segmentId}`);
    return segment;
  }

  function checkRange(
    query: { from: string; to: string; timeZone?: string },
    interval?: Interval,
  ): CheckedRange {
    const timeZone = query.timeZone ?? 'UTC';
    if (!isTimeZone(timeZone))
      throw badRequest(`Unknown time zone "${timeZone}": use an IANA name such as Europe/Paris`);
    const fromMs = Date.parse(query.from);
    const toMs = Date.parse(query.to);
    if (fromMs >= toMs) throw badRequest('from must be before to');
    if (!onBucket(fromMs) || !onBucket(toMs))
      throw badRequest('from and to must fall on a quarter hour (reports are kept in 15-minute intervals)');
    const maxDays = interval ? MAX_RANGE_DAYS[interval] : MAX_TOTAL_DAYS;
    if (toMs - fromMs > maxDays * DAY_MS)
      throw badRequest(
        interval
          ? `A report by ${interval} covers at most ${maxDays} days; choose a longer interval or a shorter range`
          : `A report covers at most ${maxDays} days`,
      );
    return { fromMs, toMs, timeZone };
  }

  function checkFilter(filter: RollupFilter): RollupFilter {
    if (filter.queueId !== undefined && !repository.exists('queue', filter.queueId))
      throw badRequest(`Unknown call queue ${filter.queueId}`);
    if (filter.agentId !== undefined && !repository.exists('agent', filter.agentId))
      throw badRequest(`Unknown agent ${filter.agentId}`);
    if (filter.wrapUpCodeId !== undefined && !repository.exists('code', filter.wrapUpCodeId))
      throw badRequest(`Unknown wrap-up code ${filter.wrapUpCodeId}`);
    return filter;
  }

  const filterOf = (query: RollupFilter): RollupFilter => ({
    queueId: query.queueId,
    agentId: query.agentId,
    tier: query.tier,
    lifecycleStage: query.lifecycleStage,
    wrapUpCodeId: query.wrapUpCodeId,
    provider: query.provider,
    direction: query.direction,
  });

  function groupName(
    by: GroupBy,
  ): (id: number | string | null) => { id: number | string | null; name: string | null } {
    if (by === 'tier' || by === 'lifecycle')
      return (id) => (id === '' || id === null ? { id: null, name: null } : { id, name: String(id) });
    const names = repository.namesOf(by);
    return (id) =>
      id === 0 || id === null ? { id: null, name: null } : { id, name: names.get(Number(id)) ?? null };
  }

  /** Each tier row's target when a queue is filtered and rows are by tier; null otherwise. */
  function rowTarget(query: ReportQuery): ((tier: number | string | null) => SlTarget) | null {
    if (query.queueId === undefined || query.by !== 'tier') return null;
    const queue = repository.queueTarget(query.queueId)!;
    const tiers = repository.tierTargets(query.queueId);
    return (tier) => tiers.get(String(tier)) ?? queue;
  }

  return {
    /** Figures over a range: totals, and rows per local period and/or group. */
    summary(query: ReportQuery): Report {
      const { fromMs, toMs, timeZone } = checkRange(query, query.interval);
      const filter = checkFilter(filterOf(query));
      let totals: Counters = EMPTY;
      let rows: Report['rows'] = [];
      if (query.interval || query.by) {
        const periods = query.interval
          ? periodsOf(query.interval, fromMs, toMs, timeZone)
          : [{ startMs: fromMs, endMs: toMs }];
        const name = query.by ? groupName(query.by) : null;
        const targetOf = rowTarget(query);
        const sums = sumsFor(
          filter,
          query.segmentId,
          periods.map((p) => [seconds(p.startMs), seconds(p.endMs)]),
          query.by,
        );
        // The periods cover the range and every group is kept, so the rows add up to the totals.
        totals = sums.map(countersOf).reduce(combine, EMPTY);
        rows = sums.map((row) => {
          const period = periods[row.period]!;
          return {
            periodStart: query.interval ? new Date(period.startMs).toISOString() : null,
            periodLabel: query.interval ? localIso(period.startMs, timeZone) : null,
            group: name ? name(row.grp) : null,
            metrics: metricsOf(countersOf(row)),
            ...(targetOf && { target: targetOf(row.grp) }),
          };
        });
      } else {
        const sums = sumsFor(filter, query.segmentId, [[seconds(fromMs), seconds(toMs)]], undefined)[0];
        if (sums) totals = countersOf(sums);
      }
      return {
        from: new Date(fromMs).toISOString(),
        to: new Date(toMs).toISOString(),
        timeZone,
        totals: metricsOf(totals),
        ...(query.queueId !== undefined && { target: repository.queueTarget(query.queueId)! }),
        rows,
      };
    },

    /** Time in each status, occupancy and utilisation per agent, from the status history. */
    agentTimes(query: AgentTimesQuery): AgentTimes {
      const { fromMs, toMs } = checkRange(query, 'day');
      checkFilter({ agentId: query.agentId });
      const spans = repository
        .agentStatuses(
          { agentId: query.agentId },
          new Date(fromMs).toISOString(),
          new Date(toMs).toISOString(),
        )
        .map((row) => ({ agentId: row.agentId, status: row.status, startMs: Date.parse(row.startedAt) }));
      const names = repository.namesOf('agent');
      const times = statusTimesOf(spans, Math.min(toMs, clock.now().getTime()));
      return {
        agents: [...times.entries()]
          .sort(([a], [b]) => a - b)
          .map(([agentId, ms]) => ({
            agentId,
            agentName: names.get(agentId) ?? null,
            seconds: Object.fromEntries(
              Object.entries(ms).map(([s, v]) => [s, Math.round(v / 1000)]),
            ) as StatusSeconds,
            ...agentTimeMetricsOf(ms),
          })),
      };
    },

    /** Who contacts us, how often, and whether the first contact resolved it. */
    customers(query: CustomerReportQuery): CustomerReport {
      const { fromMs, toMs } = checkRange(query, 'day');
      checkFilter({ queueId: query.queueId });
      const filter = {
        from: new Date(fromMs).toISOString(),
        to: new Date(toMs).toISOString(),
        queueId: query.queueId ?? null,
        tier: query.tier ?? null,
        days: query.repeatDays,
      };
      const totals = customers.totals(filter);
      const share = (part: number, whole: number) =>
        whole > 0 ? Math.round((part / whole) * 1000) / 10 : null;
      return {
        repeatDays: query.repeatDays,
        contacts: totals.contacts,
        uniqueCustomers: totals.customers,
        contactsPerCustomer:
          totals.customers > 0 ? Math.round((totals.contacts / totals.customers) * 100) / 100 : null,
        repeatContactPercent: share(totals.repeated, totals.contacts),
        firstContactResolutionPercent: share(totals.resolved, totals.coded),
        topRepeatCallers: customers.topRepeatCallers(filter, 20),
        byLifecycleStage: customers.byLifecycleStage(filter),
      };
    },

    /** Entries, continuations, drop-offs and containment per IVR node, of calls closed in the range. */
    ivr(query: IvrReportQuery): IvrReport {
      const { fromMs, toMs } = checkRange(query, 'day');
      const filter = {
        from: new Date(fromMs).toISOString(),
        to: new Date(toMs).toISOString(),
        flowId: query.flowId ?? null,
      };
      return {
        calls: ivr.calls(filter),
        nodes: ivr.nodes(filter).map((row) => ({
          ...row,
          dropOffPercent: row.entered > 0 ? Math.round((row.droppedOff / row.entered) * 1000) / 10 : null,
        })),
      };
    },

    /** Agents needed (Erlang C) beside agents staffed, per 15-minute interval of one queue. */
    staffing(query: StaffingQuery): Staffing {
      const { fromMs, toMs, timeZone } = checkRange(query, '15min');
      const target = repository.queueTarget(query.queueId);
      if (!target) throw badRequest(`Unknown call queue ${query.queueId}`);
      const load = new Map(
        repository
          .queueLoad(query.queueId, [seconds(fromMs), seconds(toMs)])
          .map((row) => [row.bucket * 1000, row]),
      );
      const intervals = periodsOf('15min', fromMs, toMs, timeZone).map((p) => p.startMs);
      const spans = repository
        .agentStatuses(
          { queueId: query.queueId },
          new Date(fromMs).toISOString(),
          new Date(toMs).toISOString(),
        )
        .map((row) => ({ agentId: row.agentId, status: row.status, startMs: Date.parse(row.startedAt) }));
      const rows = staffingOf({
        intervals,
        load,
        spans,
        untilMs: Math.min(toMs, clock.now().getTime()),
        ...target,
      });
      return {
        queueId: query.queueId,
        ...target,
        rows: rows.map((row) => ({
          ...row,
          intervalLabel: localIso(Date.parse(row.intervalStart), timeZone),
        })),
      };
    },

    /**
     * Refuses a query as `summary` (given its `interval`) or `drill` (without one) would, running
     * nothing: for work done later, such as an export job.
     */
    check(
      query: RollupFilter & {
        from: string;
        to: string;
        timeZone?: string;
        interval?: Interval;
        segmentId?: number;
      },
    ): void {
      checkRange(query, query.interval);
      checkFilter(filterOf(query));
      if (query.segmentId !== undefined) segmentSql(query.segmentId);
    },

    /** The interactions behind one figure, a page at a time. */
    drill(query: DrillQuery): DrillPage {
      const { fromMs, toMs } = checkRange(query);
      const filter = checkFilter(filterOf(query));
      const after = query.after ? (query.after.split('.').map(Number) as [number, number]) : null;
      const rows = repository.drill(
        filter,
        [seconds(fromMs), seconds(toMs)],
        DRILL_METRICS[query.metric],
        after,
        query.limit + 1,
      );
      const page = rows.slice(0, query.limit);
      return {
        items: page.map(({ cursor: _cursor, ...item }) => item),
        nextAfter: rows.length > query.limit ? page.at(-1)!.cursor : null,
      };
    },
  };
}

export type ReportsService = ReturnType<typeof createReportsService>;
