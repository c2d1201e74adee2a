/** What can be exported: a report's table, or the interactions behind one of its figures. */
export const EXPORT_KINDS = ['summary', 'interactions'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
