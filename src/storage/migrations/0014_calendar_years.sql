-- Issue 13 item 8: a year's working-day calendar is announced only when the region title office's admin
-- records, as an act of its own, that its national schedule (国务院办公厅) and its 壮族三月三 arrangement
-- (自治区人民政府办公厅) are announced — not as a side effect of entering an override (二(二)2).
CREATE TABLE calendar_years (
  year        INTEGER PRIMARY KEY,
  national    INTEGER NOT NULL CHECK (national IN (0, 1)),
  regional    INTEGER NOT NULL CHECK (regional IN (0, 1)),
  note        TEXT NOT NULL,
  set_by      TEXT NOT NULL,
  set_at      TEXT NOT NULL
);
