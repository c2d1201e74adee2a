import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import { errors, IdParams } from '../http/common.schemas.js';
import { routeSpec } from '../http/route-spec.js';
import { ADMINS, SUPERVISORS, actorOf } from '../plugins/auth.plugin.js';
import type { CustomerDataService } from './customer-data.service.js';
import {
  CsvResponse,
  DataPackage,
  ErasureBody,
  ErasureResult,
  ExportQuery,
} from './customer-data.schemas.js';
import type { ErasureService } from './erasure.service.js';

function sendCsv(reply: FastifyReply, { fileName, stream }: { fileName: string; stream: Readable }) {
  return (
    reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${fileName}"`)
      // Customer data: no shared cache may keep the file.
      .header('cache-control', 'private, no-store')
      .send(stream)
  );
}

/** Export and access packages: supervisors and admins. Erasure: admins. */
const route = routeSpec(['customers'], SUPERVISORS);

export const customerDataRoutes: FastifyPluginAsyncTypebox<{
  customerData: CustomerDataService;
  erasure: ErasureService;
}> = async (app, { customerData, erasure }) => {
  app.get(
    '/export.csv',
    route('Every customer, a search (q) or a saved segment as CSV, streamed (audited)', {
      querystring: ExportQuery,
      response: { 200: CsvResponse, ...errors(400, 401, 403, 404) },
    }),
    async (request, reply) =>
      sendCsv(reply, customerData.exportCsv(actorOf(request), request.query, request.ip)),
  );

  app.get(
    '/:id/data-package',
    route("Everything held about the customer, as JSON: a subject-access request's answer (audited)", {
      params: IdParams,
      response: { 200: DataPackage, ...errors(400, 401, 403, 404) },
    }),
    async (request, reply) =>
      reply
        .header('content-disposition', `attachment; filename="customer-${request.params.id}-data.json"`)
        .header('cache-control', 'private, no-store')
        .send(customerData.dataPackage(actorOf(request), request.params.id, request.ip)),
  );

  app.post(
    '/:id/erasure',
    route(
      'Erase the customer’s personal data for good, typing their name to confirm (audited; 409 when already erased)',
      {
        params: IdParams,
        body: ErasureBody,
        response: { 200: ErasureResult, ...errors(400, 401, 403, 404, 409) },
      },
      ADMINS,
    ),
    async (request) => erasure.erase(actorOf(request), request.params.id, request.body, request.ip),
  );
};
