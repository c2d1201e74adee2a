import fp from 'fastify-plugin';
import { loadFlows } from '../../ivr/index.js';
import type { AppContext } from '../plugins/app-context.js';
import { createSurveysRepository } from './surveys.repository.js';
import { createSurveysService, type SurveysService } from './surveys.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The post-call satisfaction survey: its Twilio steps, the SIP record, `onCompleted`. */
    surveys: SurveysService;
  }
}

/** The post-call survey; its questions come from the IVR flow files, read here once at start. */
export const surveysPlugin = fp<AppContext>(
  async (app, { clock, flowsDir }) => {
    app.decorate(
      'surveys',
      createSurveysService({
        surveys: createSurveysRepository(app.db),
        interactions: app.interactions,
        flows: await loadFlows(flowsDir),
        clock,
        log: app.log,
      }),
    );
  },
  { name: 'surveys', dependencies: ['db', 'interactions'] },
);
