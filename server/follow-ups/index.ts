/**
 * Follow-ups as work (README.md here). Other domains use `app.followUps` (the service below):
 * `createByRule` for rules, `createFromWrapUp` for the call path.
 */
export { followUpsPlugin } from './follow-ups.plugin.js';
export { followUpRulesPlugin } from './follow-up-rules.plugin.js';
export { createFollowUpsService, type FollowUpsService, type WrapUpFollowUp } from './follow-ups.service.js';
export { IllegalFollowUpTransition, nextFollowUpStatus } from './follow-up.machine.js';
export type { RuleFollowUp } from './follow-ups.schemas.js';
export { createTeams } from './teams.js';
