-- The reconfirmation workflow (notice 二(二)): people with roles, applications with their full history and
-- materials, admin calendar overrides and the append-only audit trail.

-- People: every token belongs to a named person (notice 四(四) "谁确认、谁签字、谁负责"), who holds one
-- role at one organisation.
CREATE TABLE people (
  id          TEXT PRIMARY KEY,
  org_code    TEXT NOT NULL REFERENCES organisations(code),
  name        TEXT NOT NULL,
  role        TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL
);
CREATE INDEX people_org ON people (org_code, role);
ALTER TABLE api_tokens ADD COLUMN person_id TEXT REFERENCES people(id);
-- Tokens made before people existed each become a person named by the token's label.
INSERT INTO people (id, org_code, name, role, created_at, created_by)
  SELECT 'P' || id, org_code, COALESCE(label, role || '@' || org_code), role, created_at, 'migration 0004' FROM api_tokens;
UPDATE api_tokens SET person_id = 'P' || id;

-- One reconfirmation application. `form` is the approval form's facts (attachment 1) as JSON, `status`
-- the step it is at and `holder_code` the organisation that must act next. `version` counts transitions:
-- the event of transition n has seq n, so two racing transitions cannot both land.
CREATE TABLE applications (
  id                   TEXT PRIMARY KEY,
  applicant_id         TEXT NOT NULL REFERENCES people(id),
  unit_code            TEXT NOT NULL REFERENCES organisations(code),
  holder_code          TEXT NOT NULL REFERENCES organisations(code),
  authority_code       TEXT NOT NULL REFERENCES organisations(code),
  status               TEXT NOT NULL,
  version              INTEGER NOT NULL,
  id_number            TEXT NOT NULL,
  holder_name          TEXT NOT NULL,
  level                TEXT NOT NULL,
  form                 TEXT NOT NULL,
  eligibility          TEXT NOT NULL,   -- the assessment when last saved (decision, reasons, materials)
  employer_choice      TEXT,
  notice_start         TEXT,
  notice_end           TEXT,
  notice_provisional   INTEGER,
  notice_data_version  TEXT,            -- the calendar data the end date was computed from
  returned_to          TEXT,
  return_reason        TEXT,
  decision_number      TEXT,
  decided_on           TEXT,
  certificate_number   TEXT REFERENCES certificates(number),
  idempotency_key      TEXT,
  request_hash         TEXT,
  created_at           TEXT NOT NULL,
  updated_at           TEXT NOT NULL,
  UNIQUE (applicant_id, idempotency_key)
);
CREATE INDEX applications_holder ON applications (holder_code, status, updated_at);
CREATE INDEX applications_unit ON applications (unit_code, updated_at);
CREATE INDEX applications_id_number ON applications (id_number);

-- Every transition, with who (person, organisation, role), when and the opinion (notice 四(二), 四(四)).
CREATE TABLE application_events (
  application_id  TEXT NOT NULL REFERENCES applications(id),
  seq             INTEGER NOT NULL,
  action          TEXT NOT NULL,
  from_status     TEXT,
  to_status       TEXT NOT NULL,
  person_id       TEXT NOT NULL,
  person_name     TEXT NOT NULL,
  org_code        TEXT NOT NULL,
  org_name        TEXT NOT NULL,
  role            TEXT NOT NULL,
  at              TEXT NOT NULL,
  opinion         TEXT,
  data            TEXT NOT NULL,    -- the action's own facts as JSON (notice dates, decision number, …)
  idempotency_key TEXT,
  PRIMARY KEY (application_id, seq)
);
CREATE TRIGGER application_events_no_update BEFORE UPDATE ON application_events
BEGIN SELECT RAISE(ABORT, 'application_events is append-only'); END;
CREATE TRIGGER application_events_no_delete BEFORE DELETE ON application_events
BEGIN SELECT RAISE(ABORT, 'application_events is append-only'); END;

-- Uploaded materials (二(三)): the bytes live in the content-addressed file store shared with the 核实
-- log's evidence; a newer upload of the same item replaces the older one in the checklist, both are kept.
CREATE TABLE application_materials (
  id              TEXT PRIMARY KEY,
  application_id  TEXT NOT NULL REFERENCES applications(id),
  item            TEXT NOT NULL,
  filename        TEXT NOT NULL,
  sha256          TEXT NOT NULL REFERENCES verification_evidence(sha256),
  media_type      TEXT NOT NULL,
  size            INTEGER NOT NULL,
  uploaded_by     TEXT NOT NULL REFERENCES people(id),
  org_code        TEXT NOT NULL,
  uploaded_at     TEXT NOT NULL
);
CREATE INDEX application_materials_app ON application_materials (application_id, item, uploaded_at);

-- Objections lodged during the public notice (二(二)2) and how each was resolved.
CREATE TABLE application_objections (
  id              TEXT PRIMARY KEY,
  application_id  TEXT NOT NULL REFERENCES applications(id),
  received_on     TEXT NOT NULL,
  text            TEXT NOT NULL,
  lodged_by       TEXT NOT NULL,
  lodged_at       TEXT NOT NULL,
  resolution      TEXT,
  upheld          INTEGER,
  resolved_by     TEXT,
  resolved_at     TEXT
);
CREATE INDEX application_objections_app ON application_objections (application_id);

-- An admin's corrections to the working-day calendar (a late change to the schedule, a local holiday).
CREATE TABLE calendar_overrides (
  date        TEXT PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
  note        TEXT NOT NULL,
  set_by      TEXT NOT NULL,
  set_at      TEXT NOT NULL
);

-- The audit trail: every action, append-only, readable by auditors.
CREATE TABLE audit_events (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  at          TEXT NOT NULL,
  org_code    TEXT NOT NULL,
  person_id   TEXT,
  role        TEXT NOT NULL,
  action      TEXT NOT NULL,
  subject     TEXT NOT NULL,     -- e.g. application:AP…, certificate:…, calendar:2027-02-06
  detail      TEXT NOT NULL
);
CREATE INDEX audit_events_org ON audit_events (org_code, seq);
CREATE INDEX audit_events_subject ON audit_events (subject, seq);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
