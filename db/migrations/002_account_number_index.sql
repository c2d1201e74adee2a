-- The IVR identifies callers by the account number they key in; it lives in the free-form attributes.
CREATE INDEX customers_account_number ON customers (json_extract(attributes, '$.accountNumber'))
  WHERE json_extract(attributes, '$.accountNumber') IS NOT NULL;
