import { getJSON, readResponse, sendJSON, type ApiResult } from '$lib/api/client';
import { takeEarlyResponse } from '$lib/phone/early';
import { get } from 'svelte/store';
import { locale } from '$lib/i18n';
import type { AckData, Helpline, LiveQuestion, Reaction, StoredAnswer } from '$lib/live/protocol';

/** An approved idea of an idea board, as a child on a self-paced link reads it. */
export interface SelfPacedIdea {
	readonly ideaId: string;
	readonly text: string;
	/** The child's own idea, not theirs to react to. */
	readonly own: boolean;
	readonly reaction?: Reaction;
}

/** What a child who opened a self-paced link is told about the consultation. */
export interface SelfPacedConsultation {
	readonly title: string;
	readonly purpose: string;
	readonly easyRead: string;
	/** Who receives the children's views, and by when that body answers. */
	readonly audienceBody: string;
	readonly answerBy: string;
	readonly opensAt: string;
	readonly closesAt: string;
}

export interface SelfPacedParticipant {
	readonly alias: string;
	readonly lang: string;
	readonly ageBand: string;
	readonly gender: string;
}

export interface SelfPacedJoined {
	readonly consultation: SelfPacedConsultation;
	readonly participant: SelfPacedParticipant;
	readonly participantToken: string;
}

/** The child's place on the link: the questions and the answers already given. */
export interface SelfPacedMe {
	readonly consultation: SelfPacedConsultation;
	readonly participant: SelfPacedParticipant;
	readonly questions: readonly LiveQuestion[];
	readonly answers: readonly StoredAnswer[];
}

const base = (key: string) => `/api/v1/self-paced/${encodeURIComponent(key)}`;

/** The page's language, for the consultation's texts: the server answers in it where the consultation has it. */
const inLang = (): string => `lang=${encodeURIComponent(get(locale))}`;

/**
 * The answer to the request the page's shell sent before the page started, when it is this
 * one (see $lib/phone/early); null otherwise. Read as getJSON reads its answer; a child's
 * token tells no listener.
 */
function early<T>(url: string, bearer: string | null): Promise<ApiResult<T>> | null {
	const response = takeEarlyResponse(url, bearer);
	return response ? readResponse<T>(response, bearer === null) : null;
}

/** The REST calls of a self-paced link (internal/httpapi/selfpaced.go). */
export const selfPacedApi = {
	consultation: (key: string): Promise<ApiResult<SelfPacedConsultation>> => early(`${base(key)}?${inLang()}`, null) ?? getJSON(`${base(key)}?${inLang()}`),
	join: (key: string, lang: string): Promise<ApiResult<SelfPacedJoined>> =>
		sendJSON('POST', `${base(key)}/participants`, { lang }),
	me: (key: string, token: string): Promise<ApiResult<SelfPacedMe>> =>
		early(`${base(key)}/me?${inLang()}`, token) ?? getJSON(`${base(key)}/me?${inLang()}`, { bearer: token }),
	profile: (key: string, token: string, profile: { ageBand: string; gender: string }): Promise<ApiResult<SelfPacedParticipant>> =>
		sendJSON('PUT', `${base(key)}/me/profile`, profile, { bearer: token }),
	reroll: (key: string, token: string, lang: string): Promise<ApiResult<SelfPacedParticipant>> =>
		sendJSON('POST', `${base(key)}/me/alias`, { lang }, { bearer: token }),
	answer: (
		key: string,
		token: string,
		questionId: string,
		answer: { choices?: string[]; text?: string; idempotencyKey: string }
	): Promise<ApiResult<AckData>> =>
		sendJSON('PUT', `${base(key)}/me/answers/${encodeURIComponent(questionId)}`, answer, { bearer: token }),
	ideas: (key: string, token: string, questionId: string): Promise<ApiResult<{ items: readonly SelfPacedIdea[] }>> =>
		getJSON(`${base(key)}/me/ideas/${encodeURIComponent(questionId)}`, { bearer: token }),
	react: (key: string, token: string, questionId: string, ideaId: string, reaction: Reaction): Promise<ApiResult<{ ideaId: string; reaction: Reaction }>> =>
		sendJSON(
			'PUT',
			`${base(key)}/me/ideas/${encodeURIComponent(questionId)}/reactions/${encodeURIComponent(ideaId)}`,
			{ reaction },
			{ bearer: token }
		),
	help: (key: string, token: string, lang: string): Promise<ApiResult<{ message: string; helplines?: readonly Helpline[] }>> =>
		sendJSON('POST', `${base(key)}/me/help?lang=${encodeURIComponent(lang)}`, undefined, { bearer: token })
};
