-- 0011: a child on a self-paced link reads back their own reactions to an idea board.
CREATE INDEX idea_reactions_by_participant ON idea_reactions (participant_id, question_id);
