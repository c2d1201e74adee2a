import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ALL_ROLES, actorOf } from '../plugins/auth.plugin.js';
import { errors, IdParams } from '../http/common.schemas.js';
import { MergedCustomerRedirect } from './customers.schemas.js';
import { routeSpec } from '../http/route-spec.js';
import type { CustomersService } from './customers.service.js';
import {
  AddNoteBody,
  AddPhoneBody,
  CreateCustomerBody,
  Customer360,
  CustomerSearchQuery,
  CustomerSearchResult,
  UpdateCustomerBody,
} from './customers.schemas.js';

const route = routeSpec(['customers'], ALL_ROLES);

export const customersRoutes: FastifyPluginAsyncTypebox<{ customers: CustomersService }> = async (
  app,
  { customers },
) => {
  app.get(
    '',
    route(
      "Search customers by name, phone (any form or a fragment), email or company; or list a segment's customers",
      {
        querystring: CustomerSearchQuery,
        response: { 200: CustomerSearchResult, ...errors(400, 401, 404) },
      },
    ),
    async (request) => customers.search(request.query),
  );

  app.get(
    '/:id',
    route('The customer 360 view; a customer merged into another redirects to the survivor', {
      params: IdParams,
      response: { 200: Customer360, 301: MergedCustomerRedirect, ...errors(400, 401, 404) },
    }),
    async (request, reply) => {
      const survivor = customers.mergedInto(request.params.id);
      if (survivor === null) return customers.get(request.params.id);
      return reply.code(301).header('location', `/api/customers/${survivor}`).send({ mergedInto: survivor });
    },
  );

  app.post(
    '',
    route('Create a customer', {
      body: CreateCustomerBody,
      response: { 201: Customer360, ...errors(400, 401, 403, 409, 413) },
    }),
    async (request, reply) =>
      reply.code(201).send(customers.create(actorOf(request), request.body, request.ip)),
  );

  app.patch(
    '/:id',
    route('Update a customer', {
      params: IdParams,
      body: UpdateCustomerBody,
      response: { 200: Customer360, ...errors(400, 401, 403, 404, 409, 413) },
    }),
    async (request) => customers.update(actorOf(request), request.params.id, request.body, request.ip),
  );

  app.post(
    '/:id/phones',
    route('Add a phone number (normalized to E.164)', {
      params: IdParams,
      body: AddPhoneBody,
      response: { 200: Customer360, ...errors(400, 401, 403, 404, 409) },
    }),
    async (request) => customers.addPhone(actorOf(request), request.params.id, request.body, request.ip),
  );

  app.post(
    '/:id/notes',
    route('Add a note to the customer', {
      params: IdParams,
      body: AddNoteBody,
      response: { 200: Customer360, ...errors(400, 401, 403, 404, 409) },
    }),
    async (request) => customers.addNote(actorOf(request), request.params.id, request.body, request.ip),
  );
};
