-- past_changes counts the writes that can change what the national tables say about a period
-- that is over, in two counts: 'places', every write to the municipalities, their stages,
-- profiles and child populations, and to releases; 'activity', every write to what the
-- activity counts read (consultations, feedback, recommendations, decisions, group facts),
-- and, of the tables written while children answer (answers, joins, live sessions, the audit
-- trail, receipts), only the writes of rows dated before yesterday: a row removed, moved, or
-- added with a date in the past. A new answer is dated at its writing and changes the current
-- period only, so it leaves both counts alone and a finished period's kept table stands; a
-- stage recorded leaves the activity counts standing (voci.PastChangeCounter,
-- voci.National.State).
CREATE TABLE past_changes (
    name TEXT    NOT NULL PRIMARY KEY,
    n    INTEGER NOT NULL
) STRICT;
INSERT INTO past_changes (name, n) VALUES ('places', 0), ('activity', 0);

CREATE TRIGGER past_changes_counties_insert AFTER INSERT ON counties BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'places'; END;
CREATE TRIGGER past_changes_counties_update AFTER UPDATE ON counties BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'places'; END;
CREATE TRIGGER past_changes_counties_delete AFTER DELETE ON counties BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'places'; END;

CREATE TRIGGER past_changes_municipalities_insert AFTER INSERT ON municipalities BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'places'; END;
CREATE TRIGGER past_changes_municipalities_update AFTER UPDATE ON municipalities BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'places'; END;
CREATE TRIGGER past_changes_municipalities_delete AFTER DELETE ON municipalities BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'places'; END;

CREATE TRIGGER past_changes_municipality_profiles_insert AFTER INSERT ON municipality_profiles BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'places'; END;
CREATE TRIGGER past_changes_municipality_profiles_update AFTER UPDATE ON municipality_profiles BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'places'; END;
CREATE TRIGGER past_changes_municipality_profiles_delete AFTER DELETE ON municipality_profiles BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'places'; END;

CREATE TRIGGER past_changes_municipality_child_population_insert AFTER INSERT ON municipality_child_population BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'places'; END;
CREATE TRIGGER past_changes_municipality_child_population_update AFTER UPDATE ON municipality_child_population BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'places'; END;
CREATE TRIGGER past_changes_municipality_child_population_delete AFTER DELETE ON municipality_child_population BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'places'; END;

CREATE TRIGGER past_changes_municipality_stage_history_insert AFTER INSERT ON municipality_stage_history BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'places'; END;
CREATE TRIGGER past_changes_municipality_stage_history_update AFTER UPDATE ON municipality_stage_history BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'places'; END;
CREATE TRIGGER past_changes_municipality_stage_history_delete AFTER DELETE ON municipality_stage_history BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'places'; END;

CREATE TRIGGER past_changes_consultations_insert AFTER INSERT ON consultations BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;
CREATE TRIGGER past_changes_consultations_update AFTER UPDATE ON consultations BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;
CREATE TRIGGER past_changes_consultations_delete AFTER DELETE ON consultations BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;

CREATE TRIGGER past_changes_feedback_insert AFTER INSERT ON feedback BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;
CREATE TRIGGER past_changes_feedback_update AFTER UPDATE ON feedback BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;
CREATE TRIGGER past_changes_feedback_delete AFTER DELETE ON feedback BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;

CREATE TRIGGER past_changes_recommendations_insert AFTER INSERT ON recommendations BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;
CREATE TRIGGER past_changes_recommendations_update AFTER UPDATE ON recommendations BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;
CREATE TRIGGER past_changes_recommendations_delete AFTER DELETE ON recommendations BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;

CREATE TRIGGER past_changes_decisions_insert AFTER INSERT ON decisions BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;
CREATE TRIGGER past_changes_decisions_update AFTER UPDATE ON decisions BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;
CREATE TRIGGER past_changes_decisions_delete AFTER DELETE ON decisions BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;

CREATE TRIGGER past_changes_decision_entries_insert AFTER INSERT ON decision_entries BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;
CREATE TRIGGER past_changes_decision_entries_update AFTER UPDATE ON decision_entries BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;
CREATE TRIGGER past_changes_decision_entries_delete AFTER DELETE ON decision_entries BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;

CREATE TRIGGER past_changes_decision_links_insert AFTER INSERT ON decision_links BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;
CREATE TRIGGER past_changes_decision_links_update AFTER UPDATE ON decision_links BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;
CREATE TRIGGER past_changes_decision_links_delete AFTER DELETE ON decision_links BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;

CREATE TRIGGER past_changes_group_facts_insert AFTER INSERT ON group_facts BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;
CREATE TRIGGER past_changes_group_facts_update AFTER UPDATE ON group_facts BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;
CREATE TRIGGER past_changes_group_facts_delete AFTER DELETE ON group_facts BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;

CREATE TRIGGER past_changes_releases_insert AFTER INSERT ON releases BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'places'; END;
CREATE TRIGGER past_changes_releases_update AFTER UPDATE ON releases BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'places'; END;
CREATE TRIGGER past_changes_releases_delete AFTER DELETE ON releases BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'places'; END;

CREATE TRIGGER past_changes_live_sessions_insert AFTER INSERT ON live_sessions WHEN NEW.started_at <> '' AND NEW.started_at < date('now', '-1 day')
    BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;
CREATE TRIGGER past_changes_live_sessions_update AFTER UPDATE OF started_at, municipality ON live_sessions
    WHEN (OLD.started_at <> '' AND OLD.started_at < date('now', '-1 day')) OR (NEW.started_at <> '' AND NEW.started_at < date('now', '-1 day')) OR OLD.municipality IS NOT NEW.municipality
    BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;
CREATE TRIGGER past_changes_live_sessions_delete AFTER DELETE ON live_sessions WHEN OLD.started_at <> '' AND OLD.started_at < date('now', '-1 day')
    BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;

CREATE TRIGGER past_changes_self_paced_participants_insert AFTER INSERT ON self_paced_participants WHEN NEW.joined_at <> '' AND NEW.joined_at < date('now', '-1 day')
    BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;
CREATE TRIGGER past_changes_self_paced_participants_update AFTER UPDATE OF joined_at, consultation_id ON self_paced_participants
    WHEN (OLD.joined_at <> '' AND OLD.joined_at < date('now', '-1 day')) OR (NEW.joined_at <> '' AND NEW.joined_at < date('now', '-1 day')) OR OLD.consultation_id IS NOT NEW.consultation_id
    BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;
CREATE TRIGGER past_changes_self_paced_participants_delete AFTER DELETE ON self_paced_participants WHEN OLD.joined_at <> '' AND OLD.joined_at < date('now', '-1 day')
    BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;

CREATE TRIGGER past_changes_answers_insert AFTER INSERT ON answers WHEN NEW.created_at <> '' AND NEW.created_at < date('now', '-1 day')
    BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;
CREATE TRIGGER past_changes_answers_update AFTER UPDATE OF created_at, municipality, participant_id, source ON answers
    WHEN (OLD.created_at <> '' AND OLD.created_at < date('now', '-1 day')) OR (NEW.created_at <> '' AND NEW.created_at < date('now', '-1 day')) OR OLD.municipality IS NOT NEW.municipality OR OLD.participant_id IS NOT NEW.participant_id OR OLD.source IS NOT NEW.source
    BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;
CREATE TRIGGER past_changes_answers_delete AFTER DELETE ON answers WHEN OLD.created_at <> '' AND OLD.created_at < date('now', '-1 day')
    BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;

CREATE TRIGGER past_changes_audit_log_insert AFTER INSERT ON audit_log WHEN NEW.at <> '' AND NEW.at < date('now', '-1 day')
    BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;
CREATE TRIGGER past_changes_audit_log_update AFTER UPDATE OF at, municipality, action, detail, object_id ON audit_log
    WHEN (OLD.at <> '' AND OLD.at < date('now', '-1 day')) OR (NEW.at <> '' AND NEW.at < date('now', '-1 day')) OR OLD.municipality IS NOT NEW.municipality OR OLD.action IS NOT NEW.action OR OLD.detail IS NOT NEW.detail OR OLD.object_id IS NOT NEW.object_id
    BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;
CREATE TRIGGER past_changes_audit_log_delete AFTER DELETE ON audit_log WHEN OLD.at <> '' AND OLD.at < date('now', '-1 day')
    BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;

CREATE TRIGGER past_changes_receipt_codes_insert AFTER INSERT ON receipt_codes WHEN NEW.opened_after_feedback_on <> '' AND NEW.opened_after_feedback_on < date('now', '-1 day')
    BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;
CREATE TRIGGER past_changes_receipt_codes_update AFTER UPDATE OF opened_after_feedback_on, municipality ON receipt_codes
    WHEN (OLD.opened_after_feedback_on <> '' AND OLD.opened_after_feedback_on < date('now', '-1 day')) OR (NEW.opened_after_feedback_on <> '' AND NEW.opened_after_feedback_on < date('now', '-1 day')) OR OLD.municipality IS NOT NEW.municipality
    BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;
CREATE TRIGGER past_changes_receipt_codes_delete AFTER DELETE ON receipt_codes WHEN OLD.opened_after_feedback_on <> '' AND OLD.opened_after_feedback_on < date('now', '-1 day')
    BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;
