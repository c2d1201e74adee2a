import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import { badRequest } from '../http/errors.js';
import { errors } from '../http/common.schemas.js';
import { routeSpec } from '../http/route-spec.js';
import { SUPERVISORS, actorOf } from '../plugins/auth.plugin.js';
import type { CustomerImportsService } from './customer-imports.service.js';
import { ErrorsCsv, ImportParams, ImportState, StartBody, UploadQuery } from './customer-imports.schemas.js';

const route = routeSpec(['customers'], SUPERVISORS);

/** What browsers and clients send a .csv file as (Windows names it after Excel). */
const CSV_TYPES = ['text/csv', 'application/vnd.ms-excel', 'application/octet-stream'];

/** Imports of customers from CSV; supervisors and admins (agents get 403). */
export const customerImportsRoutes: FastifyPluginAsyncTypebox<{
  imports: CustomerImportsService;
  maxBytes: number;
}> = async (app, { imports, maxBytes }) => {
  // The raw file is the body (no multipart form): these types are read as bytes, in this scope only.
  app.addContentTypeParser(CSV_TYPES, { parseAs: 'buffer', bodyLimit: maxBytes }, (_request, body, done) =>
    done(null, body),
  );
  const megabytes = `${Math.round(maxBytes / 1024 / 1024)} MB`;

  app.post(
    '',
    {
      ...route(
        `Uploads a CSV file as the raw body (text/csv, at most ${megabytes}; UTF-8 with or without a BOM, or GB18030). Answers the headers, a preview and a proposed mapping; nothing is imported until POST /{id}/start`,
        {
          querystring: UploadQuery,
          consumes: CSV_TYPES,
          response: { 201: ImportState, ...errors(400, 401, 403, 413) },
        },
      ),
      bodyLimit: maxBytes,
      errorHandler(error: FastifyError) {
        if (error.code !== 'FST_ERR_CTP_BODY_TOO_LARGE') throw error;
        // Answered by the app's error handler, in its shape, with a message that says what to do.
        throw Object.assign(new Error(`The file is larger than ${megabytes}; split it into smaller files`), {
          statusCode: 413,
        });
      },
    },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body))
        throw badRequest('Send the CSV file as the body, with Content-Type text/csv');
      return reply
        .code(201)
        .send(await imports.upload(actorOf(request), request.body, request.query, request.ip));
    },
  );

  app.get(
    '/:id',
    route("An import's status, progress and counts (the uploader's own, or any for an admin)", {
      params: ImportParams,
      response: { 200: ImportState, ...errors(400, 401, 403, 404) },
    }),
    async (request) => imports.status(actorOf(request), request.params.id),
  );

  app.post(
    '/:id/start',
    route('Starts an uploaded import with a mapping (field → column index) and what a duplicate does', {
      params: ImportParams,
      body: StartBody,
      response: { 202: ImportState, ...errors(400, 401, 403, 404, 409) },
    }),
    async (request, reply) =>
      reply
        .code(202)
        .send(await imports.start(actorOf(request), request.params.id, request.body, request.ip)),
  );

  app.get(
    '/:id/errors.csv',
    route('The rows refused so far, as CSV: row (the spreadsheet row), column, reason', {
      params: ImportParams,
      response: { 200: ErrorsCsv, ...errors(400, 401, 403, 404) },
    }),
    async (request, reply) => {
      const { fileName, stream } = imports.errorsCsv(actorOf(request), request.params.id, request.ip);
      return sendCsv(reply, fileName, stream);
    },
  );
};

function sendCsv(reply: FastifyReply, fileName: string, stream: Readable) {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${encodeURIComponent(fileName)}"`)
    .header('cache-control', 'private, no-store')
    .send(stream);
}
