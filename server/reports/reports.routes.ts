import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors } from '../http/common.schemas.js';
import { routeSpec } from '../http/route-spec.js';
import { ALL_ROLES, SUPERVISORS, actorOf } from '../plugins/auth.plugin.js';
import {
  AgentTimes,
  AgentTimesQuery,
  CustomerReport,
  CustomerReportQuery,
  DrillPage,
  DrillQuery,
  IvrReport,
  IvrReportQuery,
  MyReportQuery,
  Report,
  ReportQuery,
  Staffing,
  StaffingQuery,
} from './reports.schemas.js';
import type { ReportQueries } from './report-runner.js';

const route = routeSpec(['reports'], SUPERVISORS);

/**
 * Historical figures from the rollups: supervisors and admins see all, agents only their own. The
 * reads run off the event loop (report-runner.ts); 503 when the worker stopped while holding one.
 */
export const reportsRoutes: FastifyPluginAsyncTypebox<{ reports: ReportQueries }> = async (
  app,
  { reports },
) => {
  app.get(
    '/summary',
    route('Figures over a range, in total and per local period and/or queue, agent, tier or wrap-up code', {
      querystring: ReportQuery,
      response: { 200: Report, ...errors(400, 401, 403, 503) },
    }),
    async (request) => reports.summary(request.query),
  );

  app.get(
    '/interactions',
    route('The interactions behind one figure of a report, oldest first, a page at a time', {
      querystring: DrillQuery,
      response: { 200: DrillPage, ...errors(400, 401, 403, 503) },
    }),
    async (request) => reports.drill(request.query),
  );

  app.get(
    '/staffing',
    route("One queue's agents needed (Erlang C) beside agents staffed, per 15-minute interval", {
      querystring: StaffingQuery,
      response: { 200: Staffing, ...errors(400, 401, 403, 503) },
    }),
    async (request) => reports.staffing(request.query),
  );

  app.get(
    '/agent-times',
    route('Time in each status, occupancy and utilisation per agent, from the status history', {
      querystring: AgentTimesQuery,
      response: { 200: AgentTimes, ...errors(400, 401, 403, 503) },
    }),
    async (request) => reports.agentTimes(request.query),
  );

  app.get(
    '/customers',
    route(
      'Unique customers, contacts per customer, repeat contacts, first-contact resolution, top repeat callers',
      {
        querystring: CustomerReportQuery,
        response: { 200: CustomerReport, ...errors(400, 401, 403, 503) },
      },
    ),
    async (request) => reports.customers(request.query),
  );

  app.get(
    '/ivr',
    route(
      'Per IVR node: calls that entered it, went on, hung up there (drop-off), were contained or routed',
      {
        querystring: IvrReportQuery,
        response: { 200: IvrReport, ...errors(400, 401, 403) },
      },
    ),
    async (request) => reports.ivr(request.query),
  );

  app.get(
    '/me',
    route(
      "The signed-in agent's own figures over a range",
      {
        querystring: MyReportQuery,
        response: { 200: Report, ...errors(400, 401, 503) },
      },
      ALL_ROLES,
    ),
    async (request) => reports.summary({ ...request.query, agentId: actorOf(request).id }),
  );
};
