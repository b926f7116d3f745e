-- 0063: a youth-council motion is sent to the local council once: at most one recommendation
-- per source record, for every source but a consultation (whose recommendations are many and
-- carry no reference). The recommendation's ID is derived from the motion as well; this index
-- keeps the rule whatever ID a writer chose.
CREATE UNIQUE INDEX recommendations_by_source_ref ON recommendations (municipality, source, source_ref) WHERE source <> 'consultation';
CREATE INDEX recommendations_by_source ON recommendations (municipality, source, created_at);
