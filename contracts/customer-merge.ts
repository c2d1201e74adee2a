/** Why two customers look like one: a phone, an email, or a name with a company in common (normalised). */
export const DUPLICATE_REASONS = ['phone', 'email', 'name_company'] as const;
export type DuplicateReason = (typeof DUPLICATE_REASONS)[number];

/** The profile fields a merge keeps from one side or the other; the rest is recomputed or moved. */
export const MERGE_FIELDS = ['name', 'company', 'language', 'tags', 'attributes', 'doNotCall'] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];
