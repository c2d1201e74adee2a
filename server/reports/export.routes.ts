import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { errors } from '../http/common.schemas.js';
import { routeSpec } from '../http/route-spec.js';
import { SUPERVISORS, actorOf } from '../plugins/auth.plugin.js';
import {
  CsvResponse,
  ExportBody,
  ExportParams,
  ExportStarted,
  ExportState,
  InteractionsExportQuery,
} from './export.schemas.js';
import type { Csv, ExportService } from './export.service.js';
import { ReportQuery } from './reports.schemas.js';

const route = routeSpec(['reports'], SUPERVISORS);

function sendCsv(reply: FastifyReply, { fileName, stream }: Csv) {
  return (
    reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${fileName}"`)
      // Customer names: no shared cache may keep the file.
      .header('cache-control', 'private, no-store')
      .send(stream)
  );
}

/** CSV exports of report tables and drill-downs, direct or as a background job; supervisors and admins. */
export const exportRoutes: FastifyPluginAsyncTypebox<{ exports: ExportService }> = async (
  app,
  { exports },
) => {
  app.get(
    '/summary.csv',
    route('The table of GET /summary (same query) as CSV, streamed', {
      querystring: ReportQuery,
      response: { 200: CsvResponse, ...errors(400, 401, 403) },
    }),
    async (request, reply) =>
      sendCsv(reply, exports.csv(actorOf(request), 'summary', request.query, request.ip)),
  );

  app.get(
    '/interactions.csv',
    route(
      'Every interaction behind a figure (the query of GET /interactions without paging) as CSV, streamed',
      {
        querystring: InteractionsExportQuery,
        response: { 200: CsvResponse, ...errors(400, 401, 403) },
      },
    ),
    async (request, reply) =>
      sendCsv(reply, exports.csv(actorOf(request), 'interactions', request.query, request.ip)),
  );

  app.post(
    '/exports',
    route('Starts a CSV export as a background job; poll GET /exports/{id}, then download its file', {
      body: ExportBody,
      response: { 202: ExportStarted, ...errors(400, 401, 403) },
    }),
    async (request, reply) =>
      reply.code(202).send(await exports.start(actorOf(request), request.body, request.ip)),
  );

  app.get(
    '/exports/:id',
    route("An export job's status and progress (the requester's own, or any for an admin)", {
      params: ExportParams,
      response: { 200: ExportState, ...errors(400, 401, 403, 404) },
    }),
    async (request) => exports.status(actorOf(request), request.params.id),
  );

  app.get(
    '/exports/:id/file',
    route("A finished export's CSV file (the requester's own, or any for an admin); kept 24 hours", {
      params: ExportParams,
      response: { 200: CsvResponse, ...errors(400, 401, 403, 404, 409) },
    }),
    async (request, reply) => sendCsv(reply, exports.file(actorOf(request), request.params.id, request.ip)),
  );
};
