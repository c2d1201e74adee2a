export { createCustomersRepository } from './customers.repository.js';
export {
  createCustomersService,
  type CustomersService,
  type ScreenPop,
  type StageSetByHand,
} from './customers.service.js';
export { customersRoutes } from './customers.routes.js';
export { normalizePhone } from './phone.js';
export { searchSql, type SearchPlan } from './search-sql.js';
export { phoneSearchDigits } from './phone.js';
export { CONTROL_CHARACTER } from './customers.schemas.js';
