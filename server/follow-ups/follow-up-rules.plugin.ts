import fp from 'fastify-plugin';
import { winBackFor } from './follow-up-rules.js';

/**
 * Turns other domains' facts into owned work (follow-up-rules.ts decides which): a lost high-value
 * customer becomes a win-back for the team that served them last. Registered after the domains it
 * listens to, which know nothing of follow-ups.
 */
export const followUpRulesPlugin = fp(
  async (app) => {
    app.lifecycle.onStageChanged((change) => {
      const tier = app.customers.tierOf(change.customerId);
      if (tier === null) return;
      const rule = winBackFor(change, { tier, lastQueueId: app.followUps.lastQueueOf(change.customerId) });
      if (rule) app.followUps.createByRule(rule);
    });
  },
  { name: 'follow-up-rules', dependencies: ['follow-ups', 'lifecycle', 'customers'] },
);
