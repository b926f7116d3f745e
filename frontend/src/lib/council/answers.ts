import { getJSON, sendJSON, type ApiResult } from '$lib/api/client';
import type { Feedback } from '$lib/feedback/api';

// A youth council's passed motions sent to the local council, and its answer
// (internal/httpapi/councilmotions.go): the coordinator's page lists them all and sends them;
// a member's phone shows those sent, with the published feedback only.

export type MotionAnswer = 'sent' | 'decided' | 'answered';

export interface MotionText {
	readonly text: string;
	readonly easyRead: string;
}

export interface CouncilMotion {
	readonly meetingId: string;
	readonly meetingTitle: string;
	readonly meetingDate: string;
	readonly number: string;
	readonly title: string;
	readonly text: string;
	readonly motionState: 'adopted' | 'referred';
	readonly vote: { yes: number; no: number; abstain: number; outcome: string } | null;
	readonly sent: boolean;
	readonly recommendationId?: string;
	readonly sentAt?: string;
	readonly audienceBody?: string;
	readonly answer?: MotionAnswer;
	readonly decisions: readonly { number: string; date: string; title: string; status: string; response: string; reasons?: string }[];
	readonly feedback: { version: number; publishedAt: string; texts: Readonly<Record<string, MotionText>> } | null;
}

/** The calls of the coordinator's page about one municipality's council. */
export function councilMotionsApi(siruta: number) {
	const base = `/api/v1/municipalities/${siruta}/youth-council`;
	return {
		list: (): Promise<ApiResult<{ motions: CouncilMotion[] }>> => getJSON(`${base}/motions`),
		/** Every sent motion's feedback, drafts included, for those who write and review it. */
		feedback: (): Promise<ApiResult<{ recommendations: { id: string; requiredLanguages: string[]; versions: Feedback[] }[] }>> =>
			getJSON(`${base}/motions/feedback`),
		send: (m: CouncilMotion): Promise<ApiResult<CouncilMotion>> =>
			sendJSON<CouncilMotion>(
				'POST',
				`${base}/meetings/${encodeURIComponent(m.meetingId)}/motions/${encodeURIComponent(m.number)}/recommendation`
			)
	};
}

/** What became of the council's motions, for a member's phone (the president's lists the unsent too). */
export function loadMemberAnswers(): Promise<ApiResult<{ motions: CouncilMotion[]; maySend: boolean }>> {
	return getJSON('/api/v1/youth-council/me/answers');
}

/** The president sends a passed motion to the local council from their phone. */
export function sendAsPresident(m: CouncilMotion, csrfToken: string): Promise<ApiResult<CouncilMotion>> {
	return sendJSON<CouncilMotion>(
		'POST',
		`/api/v1/youth-council/me/meetings/${encodeURIComponent(m.meetingId)}/motions/${encodeURIComponent(m.number)}/recommendation`,
		undefined,
		{ csrfToken }
	);
}

/**
 * The feedback in the reader's language, or in Romanian where it was not written in theirs
 * (Romanian is the one language required): `fallback` then says so.
 */
export function answerIn(m: CouncilMotion, locale: string): { text: MotionText; fallback: boolean } | null {
	const texts = m.feedback?.texts;
	if (!texts) return null;
	const own = texts[locale];
	if (own && own.text !== '') return { text: own, fallback: false };
	const ro = texts['ro'];
	return ro ? { text: ro, fallback: locale !== 'ro' } : null;
}
