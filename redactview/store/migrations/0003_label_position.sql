-- Where a redaction's exemption codes were read: printed at the box ("inside",
-- "right", "stacked", "above", "below") or taken from the page's footer or
-- margin list ("summary"). NULL: no label read, or a case scanned before this
-- column existed (a rescan fills it). A Vaughn index must tell the two apart.
ALTER TABLE redactions ADD COLUMN label_position TEXT;
