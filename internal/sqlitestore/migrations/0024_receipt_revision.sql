-- 0024: a receipt says which revision of the answer its submission wrote, so that a replay
-- needs nothing else and never the text. Receipts written before carry the revision when the
-- answer is still the version they wrote, and 0 when it has changed since (a replay of theirs
-- does not need it).
ALTER TABLE answer_receipts ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

UPDATE answer_receipts SET revision = (
    SELECT a.revision FROM answers a
    WHERE a.id = answer_receipts.answer_id AND a.idempotency_key = answer_receipts.idempotency_key)
WHERE EXISTS (
    SELECT 1 FROM answers a
    WHERE a.id = answer_receipts.answer_id AND a.idempotency_key = answer_receipts.idempotency_key);
