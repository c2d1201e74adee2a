export { createCallQueuesRepository } from './call-queues.repository.js';
export { createCallQueuesService, type CallQueuesService } from './call-queues.service.js';
export { callQueuesRoutes } from './call-queues.routes.js';
