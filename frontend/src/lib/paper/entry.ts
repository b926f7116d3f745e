// Typing in paper forms: what a facilitator types for each question, read as an answer.
// Options are numbered from 1 in the order they are printed on the form.
import type { AgeBand, Gender, Question } from '$lib/consultations/types';
import { AGE_BANDS, GENDERS } from '$lib/consultations/types';
import { hasOptions } from '$lib/live/protocol';

/** Why a typed value cannot be read: the message key's last part, with its count. */
export type EntryProblem =
	| { readonly kind: 'option'; readonly count: number }
	| { readonly kind: 'one'; readonly count: number }
	| { readonly kind: 'tooMany'; readonly count: number }
	| { readonly kind: 'twice'; readonly count: number }
	| { readonly kind: 'ranking'; readonly count: number }
	| { readonly kind: 'tooLong'; readonly count: number };

export type Reading =
	| { readonly ok: true; readonly empty: true }
	| { readonly ok: true; readonly empty: false; readonly choices?: readonly string[]; readonly text?: string }
	| { readonly ok: false; readonly problem: EntryProblem };

/** The longest text a question takes (internal/voci MaxShortText, MaxWordCloud). */
export function maxTextLength(q: Pick<Question, 'kind'>): number {
	return q.kind === 'word_cloud' ? 40 : 280;
}

/**
 * The option numbers typed: with up to nine options each digit is one option ("312"), and
 * spaces or commas may separate them; with more, numbers must be separated ("10 2 3").
 * Null when something else than digits and separators was typed.
 */
export function typedNumbers(typed: string, options: number): number[] | null {
	const value = typed.trim();
	if (!/^[\d\s,;.-]*$/.test(value)) return null;
	if (options <= 9) return [...value.replace(/[\s,;.-]/g, '')].map(Number);
	return value
		.split(/[\s,;.-]+/)
		.filter((part) => part !== '')
		.map(Number);
}

/** Reads what was typed for question q. Empty means the child left the question out. */
export function readAnswer(q: Pick<Question, 'kind' | 'options' | 'maxChoices'>, typed: string): Reading {
	if (!hasOptions(q.kind)) {
		const text = typed.trim();
		if (text === '') return { ok: true, empty: true };
		const max = maxTextLength(q);
		if ([...text].length > max) return { ok: false, problem: { kind: 'tooLong', count: max } };
		return { ok: true, empty: false, text };
	}
	const n = q.options.length;
	const numbers = typedNumbers(typed, n);
	if (numbers === null || numbers.some((x) => !Number.isInteger(x) || x < 1 || x > n)) {
		return { ok: false, problem: { kind: q.kind === 'ranking' ? 'ranking' : 'option', count: n } };
	}
	if (numbers.length === 0) return { ok: true, empty: true };
	if (new Set(numbers).size !== numbers.length) {
		return { ok: false, problem: { kind: q.kind === 'ranking' ? 'ranking' : 'twice', count: n } };
	}
	const id = (x: number) => q.options[x - 1]?.id ?? '';
	switch (q.kind) {
		case 'single':
		case 'scale':
			if (numbers.length !== 1) return { ok: false, problem: { kind: 'one', count: n } };
			return { ok: true, empty: false, choices: [id(numbers[0] ?? 0)] };
		case 'multiple': {
			const max = q.maxChoices > 0 ? q.maxChoices : n;
			if (numbers.length > max) return { ok: false, problem: { kind: 'tooMany', count: max } };
			return { ok: true, empty: false, choices: numbers.map(id) };
		}
		default: {
			// A ranking: the place written in each option's box, options in printed order.
			// "231" puts option 3 first, option 1 second, option 2 third.
			if (numbers.length !== n) return { ok: false, problem: { kind: 'ranking', count: n } };
			const order: string[] = new Array(n);
			numbers.forEach((place, option) => (order[place - 1] = id(option + 1)));
			return { ok: true, empty: false, choices: order };
		}
	}
}

/** The labels of the chosen options, in their order: what the facilitator sees as typed. */
export function chosenLabels(q: Pick<Question, 'options'>, choices: readonly string[]): string[] {
	return choices.map((c) => q.options.find((o) => o.id === c)?.label ?? c);
}

/** The age band typed as its number in AGE_BANDS (1 to 4); '' for not given; null otherwise. */
export function readAgeBand(typed: string): AgeBand | '' | null {
	return readCode(typed, AGE_BANDS);
}

/** The gender typed as its number in GENDERS (1 to 4); '' for not given; null otherwise. */
export function readGender(typed: string): Gender | '' | null {
	return readCode(typed, GENDERS);
}

function readCode<T extends string>(typed: string, codes: readonly T[]): T | '' | null {
	const value = typed.trim();
	if (value === '') return '';
	const n = Number(value);
	return Number.isInteger(n) && n >= 1 && n <= codes.length ? (codes[n - 1] ?? null) : null;
}

/** A new form's key: random, so that saving twice (a retry) records the form once. */
export function newFormKey(random: () => string = () => crypto.randomUUID()): string {
	return `paper-${random().replace(/[^A-Za-z0-9_-]/g, '')}`.slice(0, 64);
}

/** A stored answer of a form, as the sitting's list gives it back. */
export interface StoredAnswer {
	readonly questionId: string;
	readonly choices?: readonly string[];
	readonly text?: string;
}

/** What a facilitator types in the fields of one form: per question, then the profile codes. */
export interface TypedForm {
	answers: Record<string, string>;
	age: string;
	gender: string;
}

/**
 * A stored form as it would have been typed: the inverse of readAnswer, readAgeBand and
 * readGender, so that a form listed back after a reload can be corrected in the same fields.
 * A ranking gives back the place written in each option's box, options in printed order.
 */
export function typedFromStored(
	questions: readonly Pick<Question, 'id' | 'kind' | 'options'>[],
	stored: { readonly ageBand: string; readonly gender: string; readonly answers: readonly StoredAnswer[] }
): TypedForm {
	const answers: Record<string, string> = {};
	for (const q of questions) {
		const a = stored.answers.find((x) => x.questionId === q.id);
		if (!a) continue;
		if (!hasOptions(q.kind)) {
			answers[q.id] = a.text ?? '';
			continue;
		}
		const choices = a.choices ?? [];
		const numbers =
			q.kind === 'ranking'
				? q.options.map((o) => (o.id ? choices.indexOf(o.id) + 1 : 0))
				: choices.map((c) => q.options.findIndex((o) => o.id === c) + 1);
		answers[q.id] = numbers.filter((x) => x > 0).join(q.options.length <= 9 ? '' : ' ');
	}
	const code = (codes: readonly string[], v: string) => (codes.indexOf(v) >= 0 ? String(codes.indexOf(v) + 1) : '');
	return { answers, age: code(AGE_BANDS, stored.ageBand), gender: code(GENDERS, stored.gender) };
}

/** The sitting of the entry screen: its ID, and the highest number a form of it was given. */
export interface Sitting {
	readonly id: string;
	readonly last: number;
}

const sittingKey = (consultationId: string) => `voci.paper.sitting.${consultationId}`;

/**
 * The sitting this tab types the consultation's forms in. It is kept in sessionStorage, which
 * lives as long as the tab (a reload, a crash of the tab, a laptop woken from sleep) and is not
 * shared with other tabs: a new tab starts a new sitting. Without storage (a browser that
 * refuses it), every load is a new sitting.
 */
export function loadSitting(storage: Pick<Storage, 'getItem' | 'setItem'> | null, consultationId: string, random: () => string = () => crypto.randomUUID()): Sitting {
	try {
		const kept = JSON.parse(storage?.getItem(sittingKey(consultationId)) ?? 'null') as Partial<Sitting> | null;
		if (kept && typeof kept.id === 'string' && /^[A-Za-z0-9_-]{8,64}$/.test(kept.id) && Number.isInteger(kept.last) && (kept.last ?? -1) >= 0) {
			return { id: kept.id, last: kept.last ?? 0 };
		}
	} catch {
		// Unreadable: start a new sitting.
	}
	const sitting = { id: `sitting-${random().replace(/[^A-Za-z0-9_-]/g, '')}`.slice(0, 64), last: 0 };
	keepSitting(storage, consultationId, sitting);
	return sitting;
}

/** Keeps the sitting (with the highest number given) for the tab's next load. */
export function keepSitting(storage: Pick<Storage, 'setItem'> | null, consultationId: string, sitting: Sitting): void {
	try {
		storage?.setItem(sittingKey(consultationId), JSON.stringify(sitting));
	} catch {
		// Storage full or refused: the list still comes back while the page lives.
	}
}

/**
 * A form of the sitting that the server does not hold: taken back to be corrected (removed
 * there until it is saved again), or whose save failed (with why). Kept in sessionStorage
 * with the sitting, so that a reload in between does not lose it.
 */
export interface Unstored {
	readonly key: string;
	readonly n: number;
	readonly typed: TypedForm;
	readonly failed?: string;
}

const unstoredKey = (consultationId: string) => `voci.paper.unstored.${consultationId}`;

/** The forms of the tab's sitting that the server does not hold. */
export function loadUnstored(storage: Pick<Storage, 'getItem'> | null, consultationId: string): Unstored[] {
	try {
		const kept: unknown = JSON.parse(storage?.getItem(unstoredKey(consultationId)) ?? '[]');
		return Array.isArray(kept)
			? kept.filter(
					(f): f is Unstored =>
						typeof f?.key === 'string' && Number.isInteger(f?.n) && typeof f?.typed?.age === 'string' && typeof f?.typed?.gender === 'string' && typeof f?.typed?.answers === 'object'
				)
			: [];
	} catch {
		return [];
	}
}

/** Keeps form as not held by the server (replacing one of its key), or forgets key. */
export function keepUnstored(storage: Pick<Storage, 'getItem' | 'setItem'> | null, consultationId: string, key: string, form: Unstored | null): void {
	const list = loadUnstored(storage, consultationId).filter((f) => f.key !== key);
	if (form) list.push(form);
	try {
		storage?.setItem(unstoredKey(consultationId), JSON.stringify(list));
	} catch {
		// Storage full or refused: the form stays while the page lives.
	}
}
