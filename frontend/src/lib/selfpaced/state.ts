import type { Problem } from '$lib/api/problem';
import { problemMessageKey } from '$lib/api/problem';
import type { MessageKey } from '$lib/i18n/types';
import type { ConfirmedAnswer } from '$lib/live/participantState';
import type { LiveQuestion, StoredAnswer } from '$lib/live/protocol';
import { local, type SafeStorage } from '$lib/storage';

/**
 * The token of a self-paced link lives in localStorage, per link: coming back
 * on the same device, even after closing the browser, resumes the child's
 * answers. It is sent only to this server, in a header.
 */
export function tokenStore(key: string, storage: SafeStorage = local) {
	const name = `voci.selfPaced.${key}`;
	return {
		get: (): string | null => storage.get(name),
		set: (token: string): void => storage.set(name, token),
		clear: (): void => storage.remove(name)
	};
}

/** The answers the server has stored, by question, as the answer form wants them. */
export function confirmedAnswers(answers: readonly StoredAnswer[]): Record<string, ConfirmedAnswer> {
	const out: Record<string, ConfirmedAnswer> = {};
	for (const a of answers) out[a.questionId] = { choices: a.choices ?? [], text: a.text ?? '', moderation: a.moderation ?? '' };
	return out;
}

/**
 * Where a child coming back starts: the first question not answered yet, or
 * the end (questions.length) when every one is.
 */
export function firstUnanswered(questions: readonly LiveQuestion[], answers: Readonly<Record<string, unknown>>): number {
	const i = questions.findIndex((q) => !(q.id in answers));
	return i === -1 ? questions.length : i;
}

/** Why the link cannot be used now, from the server's problem. */
export type Unavailable =
	| { readonly kind: 'not_yet'; readonly opensAt: string; readonly closesAt: string }
	| { readonly kind: 'closed'; readonly closesAt: string }
	| { readonly kind: 'unknown' }
	| { readonly kind: 'error'; readonly message: MessageKey };

export function unavailable(problem: Problem): Unavailable {
	switch (problem.code) {
		case 'self_paced_not_yet_open':
			return { kind: 'not_yet', opensAt: problem.opensAt ?? '', closesAt: problem.closesAt ?? '' };
		case 'self_paced_closed':
			return { kind: 'closed', closesAt: problem.closesAt ?? '' };
		case 'self_paced_link_unknown':
			return { kind: 'unknown' };
	}
	return { kind: 'error', message: problemMessageKey(problem.code) };
}

/** Whether the problem means the link's dates ended the child's visit (rather than this one answer). */
export function isWindowProblem(problem: Problem): boolean {
	return problem.code === 'self_paced_not_yet_open' || problem.code === 'self_paced_closed' || problem.code === 'self_paced_link_unknown';
}

/** What a child reads when one answer is refused, by the server's code. */
export function answerProblemKey(problem: Problem): MessageKey {
	switch (problem.code) {
		case 'text_too_long':
			return 'child.error.tooLong';
		case 'invalid_parameter':
		case 'option_not_in_question':
		case 'question_not_in_consultation':
			return 'child.error.invalid';
		case 'rate_limited':
			return 'child.error.slowDown';
	}
	return problemMessageKey(problem.code);
}
