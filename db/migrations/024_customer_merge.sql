-- Duplicates and merge (server/customer-merge). A merged customer keeps its row, emptied of what moved
-- to the survivor, and points at it, so old links and ids still lead somewhere.
ALTER TABLE customers ADD COLUMN merged_into INTEGER REFERENCES customers(id);

-- The match keys of the duplicate list, as expressions the list's queries repeat word for word (in
-- customer-merge.repository.ts), so each probe is an index lookup: phones by their digits, emails
-- lower-cased and trimmed, names and companies trimmed and case-folded. Rows written around the
-- normalisation (imports, older data) are what the phone and email keys catch.
CREATE INDEX customer_phones_match ON customer_phones(
  replace(replace(replace(replace(replace(replace(e164, '+', ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''));
CREATE INDEX customer_emails_match ON customer_emails(lower(trim(email)));
CREATE INDEX customers_name_company_match ON customers(lower(trim(name)), lower(trim(company)))
  WHERE company IS NOT NULL;

-- Pairs a person looked at and found to be two customers: the list leaves them out. low < high.
CREATE TABLE customer_duplicate_dismissals (
  low_customer_id   INTEGER NOT NULL REFERENCES customers(id),
  high_customer_id  INTEGER NOT NULL REFERENCES customers(id),
  dismissed_by      INTEGER REFERENCES agents(id),
  dismissed_at      TEXT NOT NULL,
  PRIMARY KEY (low_customer_id, high_customer_id),
  CHECK (low_customer_id < high_customer_id)
);

-- A merge moves the merged customer's lifecycle history to the survivor: the rows stay append-only in
-- everything they say, only whose they are may change.
DROP TRIGGER customer_lifecycle_changes_no_update;
CREATE TRIGGER customer_lifecycle_changes_no_update
BEFORE UPDATE OF id, from_stage, to_stage, source, reasons, interaction_id, agent_id, at ON customer_lifecycle_changes
BEGIN SELECT RAISE(ABORT, 'customer_lifecycle_changes is append-only'); END;

-- A merged customer is no one's segment member: the segment index leaves them out as it does the
-- erased, so a count still reads the index alone.
DROP INDEX customers_segment;
CREATE INDEX customers_segment ON customers(tier, lifecycle_stage, tags)
  WHERE erased_at IS NULL AND merged_into IS NULL;
