import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyError } from 'fastify';
import fp from 'fastify-plugin';
import { RequestError, SERVER_ERROR, STATUS_CODES, type ErrorParams } from '../http/errors.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** Two validators: query strings and params arrive as text and are coerced; JSON bodies must have the right types. */
function validators() {
  const make = (coerceTypes: false | 'array') => {
    const ajv = new Ajv({
      coerceTypes,
      useDefaults: true,
      removeAdditional: false,
      allErrors: false,
      strict: false,
    });
    addFormats(ajv);
    return ajv;
  };
  return { body: make(false), text: make('array') };
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};
const reasonPhrase = (statusCode: number) => REASONS[statusCode] ?? 'Error';

/** Ajv's "must NOT have additional properties" does not say which: the answer names it. */
function unknownProperty(validation: readonly AjvError[]): string {
  const first = validation[0];
  return first?.keyword === 'additionalProperties' ? ` (${String(first.params.additionalProperty)})` : '';
}

interface AjvError {
  keyword: string;
  instancePath?: string;
  params: Record<string, unknown>;
}

/** The field a schema error is about (`phones/0/number`), the rule it broke, and its limit when it has one. */
function fieldError(validation: readonly AjvError[], context: string | undefined): ErrorParams {
  const first = validation[0];
  if (!first) return { field: context ?? 'request', rule: 'schema' };
  const path = (first.instancePath ?? '').replace(/^\//, '');
  const named = first.params.missingProperty ?? first.params.additionalProperty;
  const field =
    [path, typeof named === 'string' ? named : ''].filter(Boolean).join('/') || (context ?? 'request');
  const limit = first.params.limit;
  return {
    field,
    rule: first.keyword,
    ...((typeof limit === 'number' || typeof limit === 'string') && { limit }),
  };
}

/**
 * How every route validates and fails: the validators above, the request id echoed on each response,
 * and one error shape. A server fault is logged and answered with SERVER_ERROR, never its message.
 */
export const httpPlugin = fp(
  async (app) => {
    const ajv = validators();
    app.setValidatorCompiler(({ schema, httpPart }) =>
      (httpPart === 'body' ? ajv.body : ajv.text).compile(schema),
    );
    app.addHook('onSend', async (request, reply) => {
      reply.header('x-request-id', request.id);
    });
    app.setErrorHandler((error: FastifyError | RequestError, request, reply) => {
      const statusCode = error.statusCode ?? 500;
      if (statusCode >= 500) {
        request.log.error({ err: error }, 'request failed');
        return reply.code(statusCode).send({
          statusCode,
          error: REASONS[statusCode] ?? REASONS[500]!,
          message: SERVER_ERROR,
          code: 'server_error',
        });
      }
      if ('validation' in error && error.validation) {
        const message = `Invalid ${error.validationContext ?? 'request'}: ${error.message.replace(/^(body|querystring|params)\/?/, '')}${unknownProperty(error.validation)}`;
        return reply.code(statusCode).send({
          statusCode,
          error: reasonPhrase(statusCode),
          message,
          code: 'invalid_field',
          params: fieldError(error.validation, error.validationContext),
        });
      }
      const coded =
        error instanceof RequestError
          ? { code: error.code, ...(error.params && { params: error.params }) }
          : { code: STATUS_CODES[statusCode as keyof typeof STATUS_CODES] ?? 'bad_request' };
      return reply
        .code(statusCode)
        .send({ statusCode, error: reasonPhrase(statusCode), message: error.message, ...coded });
    });
  },
  { name: 'http' },
);
