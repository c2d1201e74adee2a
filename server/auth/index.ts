export { createAuthRepository } from './auth.repository.js';
export { createAuthService, type AuthService } from './auth.service.js';
export { authRoutes } from './auth.routes.js';
export { hashPassword } from './passwords.js';
export { createLoginThrottle } from './login-throttle.js';
