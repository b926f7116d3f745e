import type { QuestionKind } from '$lib/live/protocol';
import { hasOptions } from '$lib/live/protocol';
import type { Consultation, ConsultationInput, OptionInput, Question, QuestionInput } from './types';

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
}

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
		selfPacedUntil: ''
	};
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
		selfPacedUntil: dateInput(c.selfPacedUntil)
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
		selfPacedUntil: selfPaced ? isoDate(f.selfPacedUntil) : null
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
		scalePoints: 5
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
		scalePoints: q.kind === 'scale' && q.options.length === 3 ? 3 : 5
	};
}

/** The request body for a draft: only the fields its kind uses. */
export function draftToInput(d: QuestionDraft): QuestionInput {
	const base = { kind: d.kind, prompt: d.prompt.trim(), easyRead: d.easyRead.trim() };
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

/** `items` with the one at `index` moved by `delta` places; unchanged if it would leave the list. */
export function moved<T>(items: readonly T[], index: number, delta: number): T[] {
	const target = index + delta;
	const next = [...items];
	if (index < 0 || index >= items.length || target < 0 || target >= items.length) return next;
	const [item] = next.splice(index, 1) as [T];
	next.splice(target, 0, item);
	return next;
}
