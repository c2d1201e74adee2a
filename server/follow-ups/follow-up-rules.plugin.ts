import fp from 'fastify-plugin';
import { serviceRecoveryFor, winBackFor } from './follow-up-rules.js';

/**
 * Turns other domains' facts into owned work (follow-up-rules.ts decides which): a lost high-value
 * customer becomes a win-back for the team that served them last; a low survey score or an unsolved
 * problem a service recovery for the surveyed call's queue team (its supervisors see every team).
 * A survey also re-evaluates the customer's lifecycle, whose rules read the latest score. Registered
 * after the domains it listens to, which know nothing of follow-ups.
 */
export const followUpRulesPlugin = fp(
  async (app) => {
    app.lifecycle.onStageChanged((change) => {
      const tier = app.customers.tierOf(change.customerId);
      if (tier === null) return;
      const rule = winBackFor(change, { tier, lastQueueId: app.followUps.lastQueueOf(change.customerId) });
      if (rule) app.followUps.createByRule(rule);
    });
    app.surveys.onCompleted((survey) => {
      if (survey.customerId === null) return;
      app.lifecycle.afterSurveyCompleted(survey.customerId);
      const rule = serviceRecoveryFor(survey, app.lifecycle.lowScore);
      if (rule) app.followUps.createByRule(rule);
    });
  },
  { name: 'follow-up-rules', dependencies: ['follow-ups', 'lifecycle', 'customers', 'surveys'] },
);
