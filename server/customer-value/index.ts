export { customerValuePlugin } from './customer-value.plugin.js';
export { createCustomerValueService, type CustomerValueService } from './customer-value.service.js';
export { loadValueModel, parseValueModel, ValueModelError, type ValueModel } from './value-model.js';
