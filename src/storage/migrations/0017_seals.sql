-- Issue 16 item 1: an organisation's 统一社会信用代码 (checked by domain/uscc.ts, GB 32100-2015), optional.
ALTER TABLE organisations ADD COLUMN uscc TEXT;

-- Issue 16 items 1 and 5: each organisation's electronic seals (电子印章). The private key is stored only
-- encrypted (AES-256-GCM, crypto/sealVault.ts) under a master key kept outside the database, bound to the
-- seal's id and organisation; master_key_id names which master key, not the key. At most one active seal
-- per organisation; a rotated one is retired (kept, so what it signed still verifies), a revoked one signs
-- nothing more.
CREATE TABLE seals (
  id TEXT PRIMARY KEY,
  org_code TEXT NOT NULL REFERENCES organisations (code),
  kid TEXT NOT NULL,
  certificate_pem TEXT NOT NULL,
  uscc TEXT NOT NULL,
  not_before TEXT NOT NULL,
  not_after TEXT NOT NULL,
  key_ciphertext TEXT NOT NULL,
  key_iv TEXT NOT NULL,
  master_key_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'retired', 'revoked')),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  retired_at TEXT,
  revoked_at TEXT,
  revoked_by TEXT,
  revocation_reason TEXT
);
CREATE UNIQUE INDEX seals_one_active ON seals (org_code) WHERE status = 'active';
CREATE INDEX seals_org ON seals (org_code, created_at);
