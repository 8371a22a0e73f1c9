/**
 * Receivables in the gateway's SQLite store. Invoices keep their header
 * columns for queries, their lines and instalments in their own tables (the
 * reconciliation matches lines against shipments; aging ages instalments),
 * and the whole document as received. Balances are never stored: they are
 * the amount due minus the live allocations, so an undo (an allocation
 * marked undone) restores them and a past date can be replayed from `at`.
 *
 * Keys: our own (customer) invoices are unique by number; supplier invoices
 * by supplier and number. `seller` is '' for ours, the supplier otherwise.
 */
export const RECEIVABLES_SCHEMA = `
CREATE TABLE IF NOT EXISTS invoices (
  direction TEXT NOT NULL CHECK (direction IN ('customer', 'supplier')),
  seller TEXT NOT NULL,
  number TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('invoice', 'credit-note')),
  customer TEXT,
  supplier TEXT,
  issue_date TEXT NOT NULL,
  due_date TEXT NOT NULL,
  currency TEXT NOT NULL,
  order_ref TEXT,
  despatch_ref TEXT,
  preceding TEXT,
  net_total INTEGER NOT NULL,
  vat_total INTEGER NOT NULL,
  gross_total INTEGER NOT NULL,
  prepaid INTEGER NOT NULL,
  amount_due INTEGER NOT NULL,
  source TEXT NOT NULL,
  document TEXT NOT NULL,
  revision INTEGER NOT NULL DEFAULT 1,
  recorded_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (direction, seller, number)
) STRICT;
CREATE INDEX IF NOT EXISTS invoices_customer ON invoices (customer, due_date);
CREATE INDEX IF NOT EXISTS invoices_order ON invoices (order_ref);
-- A bank label names invoices in any case: found by their upper-case number, without a scan.
CREATE INDEX IF NOT EXISTS invoices_number_upper ON invoices (upper(number)) WHERE direction = 'customer' AND type = 'invoice';
-- Receipts may name the despatch advice (BT-16) instead of the order: reconciliation looks it up too.
CREATE INDEX IF NOT EXISTS invoices_despatch ON invoices (despatch_ref) WHERE despatch_ref IS NOT NULL;

CREATE TABLE IF NOT EXISTS invoice_lines (
  direction TEXT NOT NULL,
  seller TEXT NOT NULL,
  number TEXT NOT NULL,
  line INTEGER NOT NULL,
  id TEXT NOT NULL,
  gtin TEXT,
  sku TEXT,
  name TEXT,
  quantity REAL NOT NULL,
  unit_code TEXT,
  unit_price INTEGER NOT NULL,
  net_amount INTEGER NOT NULL,
  vat_rate REAL,
  PRIMARY KEY (direction, seller, number, line)
) STRICT;
CREATE INDEX IF NOT EXISTS invoice_lines_gtin ON invoice_lines (gtin);
CREATE INDEX IF NOT EXISTS invoice_lines_sku ON invoice_lines (sku);

CREATE TABLE IF NOT EXISTS invoice_instalments (
  direction TEXT NOT NULL,
  seller TEXT NOT NULL,
  number TEXT NOT NULL,
  part INTEGER NOT NULL,
  due_date TEXT NOT NULL,
  amount INTEGER NOT NULL,
  PRIMARY KEY (direction, seller, number, part)
) STRICT;

CREATE TABLE IF NOT EXISTS payments (
  id TEXT PRIMARY KEY,
  date TEXT NOT NULL,
  amount INTEGER NOT NULL,
  currency TEXT NOT NULL,
  label TEXT NOT NULL,
  reference TEXT,
  customer TEXT,
  payer TEXT,
  recorded_at TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS payments_customer ON payments (customer, date);

-- One row per amount matched. source 'payment': money of payment source_id
-- settles invoice (NULL invoice: an overpayment written off); 'credit-note':
-- credit note source_id reduces its invoice; 'write-off': a short payment's
-- residue on invoice written off (source_id: the payment). Letter: the
-- matching group; rule: what made it; by: who.
CREATE TABLE IF NOT EXISTS allocations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  letter TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('payment', 'credit-note', 'write-off')),
  source_id TEXT NOT NULL,
  invoice TEXT,
  customer TEXT,
  amount INTEGER NOT NULL CHECK (amount > 0),
  rule TEXT NOT NULL,
  by_kind TEXT NOT NULL,
  by_id TEXT NOT NULL,
  at TEXT NOT NULL,
  undone_at TEXT,
  undone_by TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS allocations_invoice ON allocations (invoice) WHERE undone_at IS NULL;
CREATE INDEX IF NOT EXISTS allocations_source ON allocations (source, source_id) WHERE undone_at IS NULL;
CREATE INDEX IF NOT EXISTS allocations_letter ON allocations (letter);

CREATE TABLE IF NOT EXISTS receivables_counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;
`;
