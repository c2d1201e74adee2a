import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';

/** The OpenAPI document, generated from the routes' schemas, and its UI at /docs. */
export const openApiPlugin = fp(
  async (app) => {
    await app.register(fastifySwagger, {
      openapi: {
        info: {
          title: 'CTI console API',
          version: '0.1.0',
          description: 'REST API of the contact-center CTI console',
        },
        components: {
          securitySchemes: {
            session: { type: 'apiKey', in: 'cookie', name: 'cti_session' },
            apiToken: {
              type: 'http',
              scheme: 'bearer',
              description: 'An API token (cti_…) an admin created',
            },
          },
        },
        security: [{ session: [] }, { apiToken: [] }],
      },
    });
    await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  },
  { name: 'openapi' },
);
