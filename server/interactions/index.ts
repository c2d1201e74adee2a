export { createInteractionsRepository } from './interactions.repository.js';
export { createInteractionsService, type InteractionsService } from './interactions.service.js';
export { interactionsRoutes } from './interactions.routes.js';
