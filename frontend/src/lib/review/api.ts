import { getJSON, postJSON, sendJSON, type ApiResult } from '$lib/api/client';

/** An approved text as reviewers see it: never with its participant. */
export interface ReviewText {
	readonly id: string;
	readonly questionId: string;
	readonly channel: 'live' | 'self_paced' | 'paper';
	readonly ageBand: string;
	readonly sessionId: string;
	readonly text: string;
	readonly themeIds: readonly string[];
}

/** An option of an option question as input; counts are null when hidden below k. */
export interface ReviewOption {
	readonly questionId: string;
	readonly optionId: string;
	readonly label: string;
	readonly emoji?: string;
	readonly chosen: number | null;
	readonly respondents: number | null;
	readonly suppressed?: boolean;
	readonly themeIds: readonly string[];
}

export interface ReviewWorkspace {
	readonly consultationId: string;
	readonly title: string;
	readonly status: string;
	readonly audienceBody: string;
	readonly k: number;
	readonly total: number;
	readonly offset: number;
	readonly limit: number;
	readonly texts: readonly ReviewText[];
	readonly options: readonly ReviewOption[];
	readonly questions: readonly { id: string; position: number; kind: string; prompt: string }[];
	readonly sessions: readonly { id: string; startedAt: string }[];
	readonly ageBands: readonly string[];
	readonly channels: readonly string[];
}

/** An input of a theme: a text (answerId) or an option (questionId and optionId). */
export interface ThemeItemRef {
	readonly answerId?: string;
	readonly questionId?: string;
	readonly optionId?: string;
}

export interface Theme {
	readonly id: string;
	readonly title: string;
	readonly summary: string;
	readonly revision: number;
	readonly inputs: number | null;
	readonly inputsSuppressed?: boolean;
	readonly options: readonly {
		questionId: string;
		optionId: string;
		label: string;
		chosen: number | null;
		respondents: number;
		percent: number | null;
		suppressed?: boolean;
	}[];
	readonly items: readonly {
		answerId?: string;
		questionId: string;
		optionId?: string;
		text?: string;
		shown: boolean;
		channel?: string;
		label?: string;
	}[];
	readonly quotes: readonly { answerId: string; text: string }[];
}

/** One reviewer's change of a theme, against the revision read. */
export interface ThemeChange {
	readonly revision: number;
	readonly title?: string;
	readonly summary?: string;
	readonly addItems?: readonly ThemeItemRef[];
	readonly removeItems?: readonly ThemeItemRef[];
	readonly addQuotes?: readonly { answerId: string }[];
	readonly removeQuotes?: readonly string[];
}

export interface Recommendation {
	readonly id: string;
	readonly themeIds: readonly string[];
	readonly title: string;
	readonly text: string;
	readonly audienceBody: string;
	readonly revision: number;
	/** Whether no published council decision answers it yet; absent where not looked up. */
	readonly awaitingDecision?: boolean;
}

export interface ReviewFilter {
	readonly question?: string;
	readonly channel?: string;
	readonly ageBand?: string;
	readonly session?: string;
	readonly q?: string;
	readonly offset?: number;
	readonly limit?: number;
	readonly lang?: string;
}

/** The query string of a workspace filter: only the fields that are set. */
export function filterQuery(f: ReviewFilter): string {
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(f)) {
		if (value !== undefined && value !== '' && !(key === 'offset' && value === 0)) params.set(key, String(value));
	}
	const s = params.toString();
	return s ? `?${s}` : '';
}

/** The REST calls of one consultation's review workspace. */
export function reviewApi(siruta: number, consultationId: string, lang = '') {
	const c = `/api/v1/municipalities/${siruta}/consultations/${encodeURIComponent(consultationId)}`;
	// Prompts and option labels in the reader's language, where the consultation has them.
	const inLang = lang ? `?lang=${encodeURIComponent(lang)}` : '';
	return {
		workspace: (f: ReviewFilter): Promise<ApiResult<ReviewWorkspace>> => getJSON(`${c}/review${filterQuery({ ...f, lang })}`),
		themes: (): Promise<ApiResult<{ themes: Theme[] }>> => getJSON(`${c}/themes${inLang}`),
		createTheme: (title: string, summary = ''): Promise<ApiResult<Theme>> => postJSON(`${c}/themes${inLang}`, { title, summary }),
		changeTheme: (id: string, change: ThemeChange): Promise<ApiResult<Theme>> =>
			sendJSON('PATCH', `${c}/themes/${encodeURIComponent(id)}${inLang}`, change),
		deleteTheme: (id: string, revision: number): Promise<ApiResult<undefined>> =>
			sendJSON('DELETE', `${c}/themes/${encodeURIComponent(id)}?revision=${revision}`),
		recommendations: (): Promise<ApiResult<{ recommendations: Recommendation[] }>> => getJSON(`${c}/recommendations`),
		createRecommendation: (input: { themeIds: readonly string[]; title: string; text: string; audienceBody: string }): Promise<ApiResult<Recommendation>> =>
			postJSON(`${c}/recommendations`, input),
		changeRecommendation: (
			id: string,
			change: { revision: number; title?: string; text?: string; audienceBody?: string; themeIds?: readonly string[] }
		): Promise<ApiResult<Recommendation>> => sendJSON('PATCH', `${c}/recommendations/${encodeURIComponent(id)}`, change)
	};
}
