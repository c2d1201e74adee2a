/** The customer fields a CSV column can fill in a customer import, in the mapping step's order. */
export const IMPORT_FIELDS = ['name', 'phone', 'email', 'company', 'language', 'tags'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Fields an import cannot start without a column for. */
export const REQUIRED_FIELDS: readonly ImportField[] = ['name', 'phone'];
