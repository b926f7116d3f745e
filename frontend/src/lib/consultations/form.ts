import type { QuestionKind } from '$lib/live/protocol';
import { hasOptions } from '$lib/live/protocol';
import type { Consultation, ConsultationInput, ConsultationText, OptionInput, Question, QuestionInput, QuestionText } from './types';

/** The consultation form's fields, as the inputs hold them (dates as yyyy-mm-dd). */
export interface ConsultationForm {
	title: string;
	purpose: string;
	easyRead: string;
	ageBands: string[];
	goals: string[];
	/** One topic per line. */
	topics: string;
	audienceBody: string;
	answerBy: string;
	modes: string[];
	selfPacedFrom: string;
	selfPacedUntil: string;
	/** Offered languages, the original first. */
	languages: string[];
	/** The texts in each other language ('' is missing). */
	translations: Record<string, TextFields>;
}

/** A consultation's texts in one language. */
type TextFields = { title: string; purpose: string; easyRead: string; audienceBody: string };

export function emptyConsultationForm(): ConsultationForm {
	return {
		title: '',
		purpose: '',
		easyRead: '',
		ageBands: [],
		goals: [],
		topics: '',
		audienceBody: '',
		answerBy: '',
		modes: ['live'],
		selfPacedFrom: '',
		selfPacedUntil: '',
		languages: ['ro'],
		translations: {}
	};
}

/** The consultation's text in `lang`, empty fields for what is missing. */
export function consultationText(t: Readonly<Record<string, ConsultationText>> | undefined, lang: string): TextFields {
	const x = t?.[lang];
	return { title: x?.title ?? '', purpose: x?.purpose ?? '', easyRead: x?.easyRead ?? '', audienceBody: x?.audienceBody ?? '' };
}

/** The fields of the original that `lang` does not have yet. */
export function missingConsultationTexts(f: ConsultationForm, lang: string): (keyof TextFields)[] {
	const t = consultationText(f.translations, lang);
	return (['title', 'purpose', 'easyRead', 'audienceBody'] as const).filter((k) => f[k].trim() !== '' && t[k].trim() === '');
}

/** yyyy-mm-dd of an ISO time, in UTC; '' for none. */
export function dateInput(iso: string | null | undefined): string {
	return iso ? iso.slice(0, 10) : '';
}

/** An ISO time at noon UTC of a yyyy-mm-dd date (noon: the same day in every European zone); null for ''. */
export function isoDate(date: string): string | null {
	return /^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T12:00:00Z` : null;
}

export function consultationToForm(c: Consultation): ConsultationForm {
	return {
		title: c.title,
		purpose: c.purpose,
		easyRead: c.easyRead,
		ageBands: [...c.ageBands],
		goals: [...c.goals],
		topics: c.topics.join('\n'),
		audienceBody: c.audienceBody,
		answerBy: dateInput(c.answerBy),
		modes: [...c.modes],
		selfPacedFrom: dateInput(c.selfPacedFrom),
		selfPacedUntil: dateInput(c.selfPacedUntil),
		languages: c.languages && c.languages.length > 0 ? [...c.languages] : ['ro'],
		translations: Object.fromEntries((c.languages ?? []).slice(1).map((l) => [l, consultationText(c.translations, l)]))
	};
}

export function formToInput(f: ConsultationForm): ConsultationInput {
	const selfPaced = f.modes.includes('self_paced');
	return {
		title: f.title.trim(),
		purpose: f.purpose.trim(),
		easyRead: f.easyRead.trim(),
		ageBands: f.ageBands,
		goals: f.goals,
		topics: f.topics
			.split('\n')
			.map((t) => t.trim())
			.filter((t) => t !== ''),
		audienceBody: f.audienceBody.trim(),
		answerBy: isoDate(f.answerBy),
		modes: f.modes,
		selfPacedFrom: selfPaced ? isoDate(f.selfPacedFrom) : null,
		selfPacedUntil: selfPaced ? isoDate(f.selfPacedUntil) : null,
		languages: f.languages,
		translations: Object.fromEntries(
			f.languages.slice(1).map((l) => {
				const t = consultationText(f.translations, l);
				return [l, { title: t.title.trim(), purpose: t.purpose.trim(), easyRead: t.easyRead.trim(), audienceBody: t.audienceBody.trim() }];
			})
		)
	};
}

/** A question being edited. Options keep their IDs, so answers keep pointing at them. */
export interface QuestionDraft {
	kind: QuestionKind;
	prompt: string;
	easyRead: string;
	options: { id?: string; label: string; emoji: string }[];
	emojiFaces: boolean;
	maxChoices: number;
	scalePoints: 3 | 5;
	/** The wording in other languages; option labels by the position of `options`. '' is missing. */
	translations: Record<string, { prompt: string; easyRead: string; options: string[] }>;
}

/** The draft's wording in `lang`, with a label (maybe '') for each of its options. */
export function draftText(d: QuestionDraft, lang: string): { prompt: string; easyRead: string; options: string[] } {
	const t = d.translations[lang];
	return { prompt: t?.prompt ?? '', easyRead: t?.easyRead ?? '', options: d.options.map((_, i) => t?.options[i] ?? '') };
}

/** How many texts of the original `lang` lacks in the draft: prompt, easy-read text, option labels (not a scale's points). */
export function missingDraftTexts(d: QuestionDraft, lang: string): number {
	const t = draftText(d, lang);
	let n = (d.prompt.trim() && !t.prompt.trim() ? 1 : 0) + (d.easyRead.trim() && !t.easyRead.trim() ? 1 : 0);
	if (d.kind !== 'scale' && hasOptions(d.kind)) {
		d.options.forEach((o, i) => {
			if (o.label.trim() && !t.options[i]?.trim()) n++;
		});
	}
	return n;
}

export function emptyQuestionDraft(kind: QuestionKind = 'single'): QuestionDraft {
	return {
		kind,
		prompt: '',
		easyRead: '',
		options: [
			{ label: '', emoji: '' },
			{ label: '', emoji: '' }
		],
		emojiFaces: true,
		maxChoices: 0,
		scalePoints: 5,
		translations: {}
	};
}

export function questionToDraft(q: Question): QuestionDraft {
	return {
		kind: q.kind,
		prompt: q.prompt,
		easyRead: q.easyRead,
		options:
			q.kind === 'scale' || !hasOptions(q.kind)
				? [
						{ label: '', emoji: '' },
						{ label: '', emoji: '' }
					]
				: q.options.map((o) => ({ id: o.id, label: o.label, emoji: o.emoji ?? '' })),
		emojiFaces: q.emojiFaces,
		maxChoices: q.maxChoices,
		scalePoints: q.kind === 'scale' && q.options.length === 3 ? 3 : 5,
		translations: Object.fromEntries(
			Object.entries(q.translations ?? {}).map(([l, t]) => [
				l,
				{
					prompt: t.prompt,
					easyRead: t.easyRead,
					options: q.options.map((o) => t.options.find((x) => x.id === o.id)?.label ?? '')
				}
			])
		)
	};
}

/**
 * The draft's translations into `languages` for a request: an option's label
 * goes with its ID, or with its position when it has none yet (a new option).
 * Options left without a label in the original are not sent, nor are their translations.
 */
export function draftTranslations(d: QuestionDraft, languages: readonly string[]): Record<string, QuestionText> {
	const kept = d.options.map((o, i) => ({ o, i })).filter(({ o }) => o.label.trim() !== '');
	const withOptions = d.kind !== 'scale' && hasOptions(d.kind);
	return Object.fromEntries(
		languages.map((l) => {
			const t = draftText(d, l);
			const options = withOptions
				? kept.map(({ o, i }) => (o.id ? { id: o.id, label: (t.options[i] ?? '').trim() } : { label: (t.options[i] ?? '').trim() }))
				: [];
			return [l, { prompt: t.prompt.trim(), easyRead: t.easyRead.trim(), options }];
		})
	);
}

/**
 * The request body for a draft: only the fields its kind uses. `languages`
 * are the consultation's other languages, whose translations it carries; none
 * given leaves the stored translations as they are.
 */
export function draftToInput(d: QuestionDraft, languages: readonly string[] = []): QuestionInput {
	const base = {
		kind: d.kind,
		prompt: d.prompt.trim(),
		easyRead: d.easyRead.trim(),
		...(languages.length > 0 ? { translations: draftTranslations(d, languages) } : {})
	};
	if (d.kind === 'scale') {
		return { ...base, options: [], emojiFaces: d.emojiFaces, maxChoices: 0, scalePoints: d.scalePoints };
	}
	if (!hasOptions(d.kind)) return { ...base, options: [], emojiFaces: false, maxChoices: 0 };
	const options: OptionInput[] = d.options
		.filter((o) => o.label.trim() !== '')
		.map((o) => {
			const option: { id?: string; label: string; emoji?: string } = { label: o.label.trim() };
			if (o.id) option.id = o.id;
			if (o.emoji.trim()) option.emoji = o.emoji.trim();
			return option;
		});
	return { ...base, options, emojiFaces: false, maxChoices: d.kind === 'multiple' ? d.maxChoices : 0 };
}

/** The draft with option `index` moved by `delta` places, its translated labels with it. */
export function moveOption(d: QuestionDraft, index: number, delta: number): Pick<QuestionDraft, 'options' | 'translations'> {
	const translations: QuestionDraft['translations'] = {};
	for (const [l, t] of Object.entries(d.translations)) {
		translations[l] = { ...t, options: moved(d.options.map((_, i) => t.options[i] ?? ''), index, delta) };
	}
	return { options: moved(d.options, index, delta), translations };
}

/** The draft without option `index`, nor its translated labels. */
export function removeOption(d: QuestionDraft, index: number): Pick<QuestionDraft, 'options' | 'translations'> {
	const translations: QuestionDraft['translations'] = {};
	for (const [l, t] of Object.entries(d.translations)) {
		translations[l] = { ...t, options: d.options.map((_, i) => t.options[i] ?? '').filter((_, i) => i !== index) };
	}
	return { options: d.options.filter((_, i) => i !== index), translations };
}

/** `items` with the one at `index` moved by `delta` places; unchanged if it would leave the list. */
export function moved<T>(items: readonly T[], index: number, delta: number): T[] {
	const target = index + delta;
	const next = [...items];
	if (index < 0 || index >= items.length || target < 0 || target >= items.length) return next;
	const [item] = next.splice(index, 1) as [T];
	next.splice(target, 0, item);
	return next;
}

/**
 * How many texts of the consultation and its questions are not yet written in
 * `lang` (as the server counts them): the title, purpose and easy-read text
 * where the original has them, and each question's prompt, easy-read text and
 * option labels (a scale's points are numbers and need none).
 */
export function missingTexts(c: Consultation, questions: readonly Question[], lang: string): number {
	const gap = (original: string, translated: string | undefined) => (original.trim() !== '' && !translated?.trim() ? 1 : 0);
	const ct = c.translations?.[lang];
	let n = gap(c.title, ct?.title) + gap(c.purpose, ct?.purpose) + gap(c.easyRead, ct?.easyRead) + gap(c.audienceBody, ct?.audienceBody);
	for (const q of questions) {
		const qt = q.translations?.[lang];
		n += gap(q.prompt, qt?.prompt) + gap(q.easyRead, qt?.easyRead);
		if (q.kind === 'scale') continue;
		for (const o of q.options) n += gap(o.label, qt?.options.find((x) => x.id === o.id)?.label);
	}
	return n;
}
