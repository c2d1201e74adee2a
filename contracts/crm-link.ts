/**
 * The "open in CRM" link: a template such as `https://crm.example/contacts/{customerId}?phone={phone}`
 * (CRM_LINK_TEMPLATE) filled with one Customer's values, each URL-encoded. No imports: the console
 * imports it as a value.
 */

/** The placeholders a link template may use. */
export const CRM_LINK_PLACEHOLDERS = ['customerId', 'phone', 'crmId'] as const;
export type CrmLinkPlaceholder = (typeof CRM_LINK_PLACEHOLDERS)[number];

const PLACEHOLDER = /\{([A-Za-z]+)\}/g;

/** The placeholders in `template` that are not ours, for the configuration's error message. */
export function unknownPlaceholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)]
    .map((match) => match[1] ?? '')
    .filter((name) => !(CRM_LINK_PLACEHOLDERS as readonly string[]).includes(name));
}

/**
 * The link for these values, or null when the template uses a placeholder we have no value for: a
 * link to `/contacts/` without an id would open the wrong page.
 */
export function crmLinkOf(
  template: string,
  values: Partial<Record<CrmLinkPlaceholder, string | number | null>>,
): string | null {
  let missing = false;
  const link = template.replace(PLACEHOLDER, (_whole, name: string) => {
    const value = values[name as CrmLinkPlaceholder];
    if (value === null || value === undefined || value === '') missing = true;
    return encodeURIComponent(String(value ?? ''));
  });
  return missing ? null : link;
}
