import { problemMessageKey, type Problem } from '$lib/api/problem';
import type { AdultMessageKey } from '$lib/i18n/types';

const NOT_READY: Readonly<Record<string, AdultMessageKey>> = {
	audienceBody: 'consult.error.needAudience',
	answerBy: 'consult.error.needAnswerBy',
	modes: 'consult.error.needModes',
	questions: 'consult.error.needQuestions'
};

/**
 * What an adult reads when a consultation request fails, by the problem's
 * code (and, for a consultation that cannot open yet, by what is missing).
 * The server's English detail is never shown.
 */
export function consultationErrorKey(problem: Pick<Problem, 'code' | 'param'>): AdultMessageKey {
	if (problem.code === 'consultation_not_ready') return NOT_READY[problem.param ?? ''] ?? 'consult.error.notReady';
	return problemMessageKey(problem.code, {
		question_frozen: 'consult.error.frozen',
		question_changed: 'consult.error.changed',
		unauthorized: 'adult.signedOut',
		forbidden: 'adult.forbidden',
		conflict: 'consult.error.conflict',
		session_ended: 'console.ended',
		wrong_state: 'console.error.wrongState',
		question_not_in_consultation: 'errors.notFound',
		held_text_needs_confirmation: 'consult.error.heldNeedsConfirmation'
	});
}
