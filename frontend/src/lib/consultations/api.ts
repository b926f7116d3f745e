import { deleteResource, getJSON, postJSON, putJSON, type ApiResult } from '$lib/api/client';
import type { Page } from '$lib/api/types';
import type {
	Consultation,
	ConsultationInput,
	HelpRequestPage,
	LiveSession,
	ModerationItem,
	Question,
	QuestionInput,
	Results,
	SelfPacedLink,
	ReviewFilter,
	SessionParticipant
} from './types';

/** The REST calls of consultations and live sessions, for one municipality. */
export function consultationsApi(siruta: number, csrfToken: string) {
	const base = `/api/v1/municipalities/${siruta}`;
	const opts = { csrfToken };
	const c = (id: string) => `${base}/consultations/${encodeURIComponent(id)}`;
	const s = (sid: string) => `${base}/live-sessions/${encodeURIComponent(sid)}`;
	return {
		list: (page = 1): Promise<ApiResult<Page<Consultation>>> => getJSON(`${base}/consultations?page=${page}&pageSize=50`),
		/** With `lang`, every text in it where written, in the original language otherwise. */
		get: (id: string, lang?: string): Promise<ApiResult<Consultation>> =>
			getJSON(lang ? `${c(id)}?lang=${encodeURIComponent(lang)}` : c(id)),
		create: (input: ConsultationInput): Promise<ApiResult<Consultation>> => postJSON(`${base}/consultations`, input, opts),
		update: (id: string, input: ConsultationInput): Promise<ApiResult<Consultation>> => putJSON(c(id), input, opts),
		setStatus: (id: string, status: 'open' | 'closed'): Promise<ApiResult<Consultation>> =>
			postJSON(`${c(id)}/status`, { status }, opts),
		addQuestion: (id: string, input: QuestionInput): Promise<ApiResult<Question>> =>
			postJSON(`${c(id)}/questions`, input, opts),
		updateQuestion: (id: string, qid: string, input: QuestionInput): Promise<ApiResult<Question>> =>
			putJSON(`${c(id)}/questions/${encodeURIComponent(qid)}`, input, opts),
		deleteQuestion: (id: string, qid: string): Promise<ApiResult<null>> =>
			deleteResource(`${c(id)}/questions/${encodeURIComponent(qid)}`, opts),
		reorder: (id: string, questionIds: readonly string[]): Promise<ApiResult<null>> =>
			putJSON(`${c(id)}/question-order`, { questionIds }, opts),
		/** Labels and prompts in `lang` where written; counts are by option, whatever the language answered in. */
		results: (id: string, lang?: string): Promise<ApiResult<Results>> =>
			getJSON(`${c(id)}/results${lang ? `?lang=${encodeURIComponent(lang)}` : ''}`),
		questionResults: (id: string, qid: string): Promise<ApiResult<Results>> =>
			getJSON(`${c(id)}/results?question=${encodeURIComponent(qid)}`),
		exportURL: (id: string, format: 'csv' | 'json'): string => `${c(id)}/results.${format}`,
		/** Texts to review: waiting (held or pending), or those already approved or rejected, to go back on a decision. */
		/** Texts to review; those screening holds now come apart, under `held`. */
		moderation: (id: string, state: ReviewFilter = 'waiting'): Promise<ApiResult<{ items: ModerationItem[]; held: ModerationItem[] }>> =>
			getJSON(`${c(id)}/moderation${state === 'waiting' ? '' : `?state=${state}`}`),
		/** confirmHeld is the second step of approving a text screening flagged. */
		moderate: (answerId: string, state: 'approved' | 'rejected', revision: number, confirmHeld = false): Promise<ApiResult<ModerationItem>> =>
			postJSON(`${base}/answers/${encodeURIComponent(answerId)}/moderation`, confirmHeld ? { state, revision, confirmHeld } : { state, revision }, opts),
		/** The consultation's self-paced link; made the first time it is asked for. */
		selfPacedLink: (id: string): Promise<ApiResult<SelfPacedLink>> => getJSON(`${c(id)}/self-paced-link`),
		startSession: (id: string): Promise<ApiResult<LiveSession>> => postJSON(`${c(id)}/live-sessions`, undefined, opts),
		sessions: (id: string): Promise<ApiResult<{ items: LiveSession[] }>> => getJSON(`${c(id)}/live-sessions`),
		session: (sid: string): Promise<ApiResult<LiveSession>> => getJSON(s(sid)),
		participants: (sid: string): Promise<ApiResult<{ items: SessionParticipant[] }>> => getJSON(`${s(sid)}/participants`),
		/** A page of help requests, unacknowledged first (oldest first among them). */
		helpRequests: (offset = 0, limit = 20, unacknowledgedOnly = false): Promise<ApiResult<HelpRequestPage>> =>
			getJSON(`${base}/help-requests?offset=${offset}&limit=${limit}${unacknowledgedOnly ? '&open=true' : ''}`),
		acknowledgeHelp: (hid: string): Promise<ApiResult<null>> =>
			postJSON(`${base}/help-requests/${encodeURIComponent(hid)}/acknowledge`, undefined, opts),
		noteHelp: (hid: string, note: string): Promise<ApiResult<null>> =>
			putJSON(`${base}/help-requests/${encodeURIComponent(hid)}/note`, { note }, opts),
		closeHelp: (hid: string): Promise<ApiResult<null>> =>
			postJSON(`${base}/help-requests/${encodeURIComponent(hid)}/close`, undefined, opts),
		/** The path of an adult's websocket for the session. */
		socketPath: (sid: string, role: 'facilitator' | 'presenter'): string => `${s(sid)}/${role}`
	};
}

export type ConsultationsApi = ReturnType<typeof consultationsApi>;
