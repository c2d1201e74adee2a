/** How the service decided to search; the repository only runs it. */
export type SearchPlan =
  | { kind: 'phone'; e164: string }
  | { kind: 'digits'; digits: string }
  | { kind: 'email'; email: string }
  | { kind: 'text'; longTokens: string[]; shortTokens: string[] };

/** FTS5 string literal: double quotes inside are doubled, so user text can never become query syntax. */
const ftsString = (text: string) => `"${text.replace(/"/g, '""')}"`;
/** LIKE pattern matching `text` anywhere, with LIKE's wildcards escaped. */
const likeAnywhere = (text: string) => `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

/**
 * A search as SQL over `customers c`, erased customers left out: `from` is the FROM and WHERE
 * clauses, `order` the best matches first, `params` positional. The list pages it; the export
 * (server/customer-data) streams every match.
 */
export function searchSql(plan: SearchPlan): { from: string; order: string; params: string[] } {
  switch (plan.kind) {
    case 'phone':
      return {
        from: `FROM customer_phones p JOIN customers c ON c.id = p.customer_id
               WHERE p.e164 = ? AND c.erased_at IS NULL`,
        order: 'c.id',
        params: [plan.e164],
      };
    case 'email':
      return {
        from: `FROM customer_emails e JOIN customers c ON c.id = e.customer_id
               WHERE e.email = ? AND c.erased_at IS NULL`,
        order: 'c.id',
        params: [plan.email],
      };
    case 'digits':
      return {
        from: `FROM customer_search s JOIN customers c ON c.id = s.rowid
               WHERE customer_search MATCH ? AND c.erased_at IS NULL`,
        order: 's.rank, c.id',
        params: [`phones : ${ftsString(plan.digits)}`],
      };
    case 'text': {
      const short = plan.shortTokens
        .map(() => ` AND (c.name || ' ' || coalesce(c.company, '')) LIKE ? ESCAPE '\\'`)
        .join('');
      const shortParams = plan.shortTokens.map(likeAnywhere);
      if (plan.longTokens.length > 0) {
        return {
          from: `FROM customer_search s JOIN customers c ON c.id = s.rowid
                 WHERE customer_search MATCH ? AND c.erased_at IS NULL${short}`,
          order: 's.rank, c.id',
          params: [plan.longTokens.map(ftsString).join(' AND '), ...shortParams],
        };
      }
      return {
        from: `FROM customers c WHERE c.erased_at IS NULL AND c.merged_into IS NULL${short}`,
        order: 'c.name, c.id',
        params: shortParams,
      };
    }
  }
}
