import { deleteResource, getJSON, postJSON, type ApiResult } from '$lib/api/client';
import type { Consultation } from '$lib/consultations/types';

/** One answer of a paper form, as the API takes it. */
export interface PaperAnswerInput {
	readonly questionId: string;
	readonly choices?: readonly string[];
	readonly text?: string;
}

export interface PaperFormInput {
	readonly key: string;
	readonly ageBand: string;
	readonly gender: string;
	/** The language the form was printed in: it counts among the languages feedback is owed in. */
	readonly lang?: string;
	readonly answers: readonly PaperAnswerInput[];
	/** The entry screen's sitting and the form's number in it: the form is listed back in it. */
	readonly sitting?: string;
	readonly number?: number;
}

/** A form of a sitting, listed back to the adult who typed it: answers only, no name. */
export interface SittingForm {
	readonly key: string;
	readonly number: number;
	readonly typedAt: string;
	readonly ageBand: string;
	readonly gender: string;
	readonly lang: string;
	readonly answers: readonly { readonly questionId: string; readonly choices?: readonly string[]; readonly text?: string; readonly moderation?: string }[];
}

export interface PaperFormReceipt {
	readonly answers: readonly { readonly questionId: string; readonly moderation?: string; readonly replayed: boolean }[];
}

/** A consultation as offered in several languages: the languages it offers, first is its own. */
export type ConsultationInLanguages = Consultation & { readonly languages?: readonly string[] };

/** The REST calls of paper forms, for one municipality. */
export function paperApi(siruta: number, csrfToken: string) {
	const opts = { csrfToken };
	const c = (id: string) => `/api/v1/municipalities/${siruta}/consultations/${encodeURIComponent(id)}`;
	return {
		/** The consultation with its questions, in `lang` where its content has that language. */
		consultation: (id: string, lang?: string): Promise<ApiResult<ConsultationInLanguages>> =>
			getJSON(lang ? `${c(id)}?lang=${encodeURIComponent(lang)}` : c(id)),
		/** The forms the signed-in adult typed in the sitting, by number. */
		sitting: (id: string, sitting: string): Promise<ApiResult<{ readonly forms: readonly SittingForm[] }>> =>
			getJSON(`${c(id)}/paper-forms?sitting=${encodeURIComponent(sitting)}`),
		record: (id: string, form: PaperFormInput): Promise<ApiResult<PaperFormReceipt>> => postJSON(`${c(id)}/paper-forms`, form, opts),
		/** Takes back a form typed in by mistake, by its key. */
		remove: (id: string, key: string): Promise<ApiResult<null>> => deleteResource(`${c(id)}/paper-forms/${encodeURIComponent(key)}`, opts)
	};
}
