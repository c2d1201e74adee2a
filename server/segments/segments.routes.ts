import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import { errors } from '../http/common.schemas.js';
import { routeSpec } from '../http/route-spec.js';
import { ALL_ROLES, SUPERVISORS, actorOf } from '../plugins/auth.plugin.js';
import type { SegmentsService } from './segments.service.js';
import {
  CountBody,
  CreateSegmentBody,
  CsvResponse,
  Segment,
  SegmentCount,
  SegmentList,
  SegmentParams,
  UpdateSegmentBody,
} from './segments.schemas.js';

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

/** Everyone lists and uses segments; supervisors and admins save, change, delete and export them. */
const route = routeSpec(['segments'], ALL_ROLES);

export const segmentsRoutes: FastifyPluginAsyncTypebox<{ segments: SegmentsService }> = async (
  app,
  { segments },
) => {
  app.get(
    '',
    route('Saved segments with their customer counts now, by name', {
      response: { 200: SegmentList, ...errors(401) },
    }),
    async () => ({ items: segments.list() }),
  );

  app.post(
    '/count',
    route('How many customers an unsaved filter holds (the live count while editing)', {
      body: CountBody,
      response: { 200: SegmentCount, ...errors(400, 401, 413) },
    }),
    async (request) => segments.count(request.body.filter),
  );

  app.get(
    '/:id',
    route('One saved segment with its count now', {
      params: SegmentParams,
      response: { 200: Segment, ...errors(400, 401, 404) },
    }),
    async (request) => segments.get(request.params.id),
  );

  app.post(
    '',
    route(
      'Save a segment (audited)',
      { body: CreateSegmentBody, response: { 201: Segment, ...errors(400, 401, 403, 409, 413) } },
      SUPERVISORS,
    ),
    async (request, reply) =>
      reply.code(201).send(segments.create(actorOf(request), request.body, request.ip)),
  );

  app.patch(
    '/:id',
    route(
      'Rename a segment or change its filter (audited)',
      {
        params: SegmentParams,
        body: UpdateSegmentBody,
        response: { 200: Segment, ...errors(400, 401, 403, 404, 409, 413) },
      },
      SUPERVISORS,
    ),
    async (request) => segments.update(actorOf(request), request.params.id, request.body, request.ip),
  );

  app.delete(
    '/:id',
    route(
      'Delete a segment (audited)',
      { params: SegmentParams, response: { 204: { type: 'null' }, ...errors(400, 401, 403, 404) } },
      SUPERVISORS,
    ),
    async (request, reply) => {
      segments.remove(actorOf(request), request.params.id, request.ip);
      return reply.code(204).send();
    },
  );

  app.get(
    '/:id/customers.csv',
    route(
      "The segment's customers as CSV, streamed (audited)",
      { params: SegmentParams, response: { 200: CsvResponse, ...errors(400, 401, 403, 404) } },
      SUPERVISORS,
    ),
    async (request, reply) =>
      sendCsv(reply, segments.exportCsv(actorOf(request), request.params.id, request.ip)),
  );
};
