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

/** How often surveys whose last callback was lost are looked for, in ms. */
const SWEEP_EVERY_MS = 60_000;

/**
 * The post-call survey; its questions come from the IVR flow files, read here once at start. The
 * sweep of surveys left running (see `SurveysService.sweep`) runs at start and, with the call
 * timers, every minute: one SQLite pass in which each survey ends once, so every process may run it
 * with no claim to share.
 */
export const surveysPlugin = fp<AppContext>(
  async (app, { clock, flowsDir, callTimers }) => {
    const surveys = createSurveysService({
      surveys: createSurveysRepository(app.db),
      interactions: app.interactions,
      flows: await loadFlows(flowsDir),
      clock,
      log: app.log,
    });
    app.decorate('surveys', surveys);
    const sweep = () => {
      try {
        const closed = surveys.sweep();
        if (closed > 0) app.log.info({ closed }, 'closed surveys whose last callback was lost');
      } catch (error) {
        app.log.error({ err: error }, 'the survey sweep failed');
      }
    };
    app.addHook('onReady', async () => sweep());
    if (!callTimers) return;
    let timer: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      timer = setInterval(sweep, SWEEP_EVERY_MS);
    });
    app.addHook('preClose', async () => clearInterval(timer));
  },
  { name: 'surveys', dependencies: ['db', 'interactions'] },
);
