export { createApiTokensRepository } from './api-tokens.repository.js';
export {
  createApiTokensService,
  type ApiTokensService,
  type TokenAuthentication,
} from './api-tokens.service.js';
export { createTokenThrottle } from './token-throttle.js';
export { API_TOKEN_PREFIX } from './api-tokens.schemas.js';
