export { createAlerts, liveViewsWithAlerts, type AlertWebhook } from './alerts.js';
export { createAgentTimes } from './agent-time.js';
export { createLivePublisher } from './live-publisher.js';
export { observeAcd } from './observe-acd.js';
export { createSupervisorLegs } from './supervisor-legs.js';
export { createSupervisionRepository } from './supervision.repository.js';
export { createSupervisionService, type SupervisionService } from './supervision.service.js';
export { supervisionRoutes } from './supervision.routes.js';
export { attachSupervision, emitView, type SupervisionLive } from './supervision.socket.js';
