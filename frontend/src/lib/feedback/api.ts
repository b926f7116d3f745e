import { getJSON, postJSON, putJSON, type ApiResult } from '$lib/api/client';
import type { Problem } from '$lib/api/problem';
import { problemMessageKey } from '$lib/api/problem';
import type { AdultMessageKey } from '$lib/i18n/types';
import type { FeedbackStatus } from '$lib/outcome/types';

export type FeedbackState = 'draft' | 'in_review' | 'published';

export interface FeedbackText {
	readonly text: string;
	readonly easyRead: string;
}

/** One version of the feedback on a recommendation. */
export interface Feedback {
	readonly id: string;
	readonly recommendationId: string;
	readonly version: number;
	readonly corrects?: string;
	readonly state: FeedbackState;
	readonly texts: Readonly<Record<string, FeedbackText>>;
	readonly authors: readonly string[];
	readonly reviewedBy?: string;
	readonly revision: number;
	readonly publishedAt: string | null;
}

export interface RecommendationFeedback {
	readonly id: string;
	readonly title: string;
	readonly text: string;
	readonly audienceBody: string;
	readonly versions: readonly Feedback[];
}

export interface ConsultationFeedback {
	readonly consultationId: string;
	readonly title: string;
	readonly requiredLanguages: readonly string[];
	readonly feedback: FeedbackStatus;
	readonly recommendations: readonly RecommendationFeedback[];
}

/** The feedback calls of one municipality. */
export function feedbackApi(siruta: number, csrfToken: string) {
	const base = `/api/v1/municipalities/${siruta}`;
	const opts = { csrfToken };
	const r = (rid: string) => `${base}/recommendations/${encodeURIComponent(rid)}/feedback`;
	return {
		list: (consultationId: string): Promise<ApiResult<ConsultationFeedback>> =>
			getJSON(`${base}/consultations/${encodeURIComponent(consultationId)}/feedback`),
		start: (rid: string, texts: Record<string, FeedbackText>, corrects = ''): Promise<ApiResult<Feedback>> =>
			postJSON(r(rid), corrects ? { texts, corrects } : { texts }, opts),
		edit: (rid: string, f: Feedback, texts: Record<string, FeedbackText>): Promise<ApiResult<Feedback>> =>
			putJSON(`${r(rid)}/${encodeURIComponent(f.id)}`, { revision: f.revision, texts }, opts),
		submit: (rid: string, f: Feedback): Promise<ApiResult<Feedback>> =>
			postJSON(`${r(rid)}/${encodeURIComponent(f.id)}/submit`, { revision: f.revision }, opts),
		publish: (rid: string, f: Feedback): Promise<ApiResult<Feedback>> =>
			postJSON(`${r(rid)}/${encodeURIComponent(f.id)}/publish`, { revision: f.revision }, opts)
	};
}

/** The roles that write and approve feedback. */
export const FEEDBACK_WRITERS = ['coordinator', 'council_member'] as const;

/** What to tell an adult about a refused feedback request, with the language at fault. */
export function feedbackProblem(problem: Problem): { key: AdultMessageKey; language?: string } {
	const missing = /^texts\.(ro|hu|en)\.(text|easyRead)$/.exec(problem.param ?? '');
	if (problem.code === 'feedback_incomplete' && missing) {
		return { key: missing[2] === 'easyRead' ? 'feedback.missing.easyRead' : 'feedback.missing.text', language: missing[1] };
	}
	const key = problemMessageKey(problem.code, {
		second_adult_required: 'feedback.error.secondAdult',
		changed_meanwhile: 'feedback.error.changed',
		feedback_published: 'feedback.error.published',
		unauthorized: 'adult.signedOut'
	} as const);
	return { key: key === 'errors.generic' ? 'feedback.error.generic' : key };
}
