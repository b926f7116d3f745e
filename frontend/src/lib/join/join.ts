import { postJSON, type ApiResult } from '$lib/api/client';
import { problemMessageKey, type Problem } from '$lib/api/problem';
import type { MessageKey } from '$lib/i18n/types';

/** What the server answers to a successful join (POST /api/v1/join). */
export interface JoinAnswer {
	readonly session: {
		readonly id: string;
		readonly state: string;
		readonly consultationTitle: string;
		readonly consultationEasyRead: string;
		/** Who reads the children's views, and by when they answer (for the end screen). */
		readonly audienceBody?: string;
		readonly answerBy?: string;
	};
	readonly alias: string;
	readonly participant: { readonly id: string; readonly alias: string; readonly lang: string; readonly ageBand: string; readonly gender: string };
	readonly participantToken: string;
	/** The path of the participant websocket; the token goes in its query. */
	readonly websocket: string;
}

export type Participant = Readonly<Record<string, unknown>>;

/** Whether a stored join answer has what the session page needs to connect. */
export function isJoinAnswer(value: Participant | null): value is Participant & JoinAnswer {
	return (
		value !== null &&
		typeof value.participantToken === 'string' &&
		typeof value.websocket === 'string' &&
		typeof (value.session as { id?: unknown } | undefined)?.id === 'string'
	);
}

/**
 * Asks to join the session with `code` (already validated). The language
 * picks the words of the child's generated alias.
 */
export function joinSession(code: string, lang: string): Promise<ApiResult<Participant>> {
	return postJSON<Participant>('/api/v1/join', { code, lang });
}

const JOIN_MESSAGES: Readonly<Record<string, MessageKey>> = {
	session_not_found: 'join.error.sessionNotFound',
	session_full: 'join.error.full',
	session_locked: 'join.error.locked',
	too_many_joins: 'join.error.tooMany',
	invalid_parameter: 'join.error.invalidCode'
};

/** The message a child sees when joining fails. */
export function joinErrorKey(problem: Problem): MessageKey {
	return problemMessageKey(problem.code, JOIN_MESSAGES);
}

/** Whether the problem means the code itself is wrong, so the field is marked invalid. */
export function isCodeProblem(key: MessageKey): boolean {
	return key === 'join.error.invalidCode' || key === 'join.error.sessionNotFound';
}
