import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyError } from 'fastify';
import fp from 'fastify-plugin';
import { SERVER_ERROR, type RequestError } from '../http/errors.js';

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
function unknownProperty(
  validation: readonly { keyword: string; params: Record<string, unknown> }[],
): string {
  const first = validation[0];
  return first?.keyword === 'additionalProperties' ? ` (${String(first.params.additionalProperty)})` : '';
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
        return reply
          .code(statusCode)
          .send({ statusCode, error: REASONS[statusCode] ?? REASONS[500]!, message: SERVER_ERROR });
      }
      const message =
        'validation' in error && error.validation
          ? `Invalid ${error.validationContext ?? 'request'}: ${error.message.replace(/^(body|querystring|params)\/?/, '')}${unknownProperty(error.validation)}`
          : error.message;
      return reply.code(statusCode).send({ statusCode, error: reasonPhrase(statusCode), message });
    });
  },
  { name: 'http' },
);
