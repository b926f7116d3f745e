import type { Locale } from '$lib/i18n/locales';
import words from './words.json';

/**
 * The audit log in words: every action and kind of object the server writes
 * has words in each language (`words.json`; a Go test fails when the server
 * writes a code that has none). Only the audit page imports this module.
 */
type Words = Readonly<Record<Locale, string>>;

const ACTIONS: Readonly<Record<string, Words>> = words.actions;
const OBJECTS: Readonly<Record<string, Words>> = words.objects;

/** Every action code, for the filter's list. */
export const AUDIT_ACTIONS: readonly string[] = Object.keys(ACTIONS);

/** The action in words; an unknown code (from a newer server) as it is. */
export function actionWords(code: string, locale: Locale): string {
	return ACTIONS[code]?.[locale] ?? code;
}

/** The kind of object in words; an unknown kind as it is. */
export function objectKindWords(type: string, locale: Locale): string {
	return OBJECTS[type]?.[locale] ?? type;
}

/** The first characters of an ID: enough to tell two objects apart in a list. */
export function shortId(id: string): string {
	return id.length > 8 ? `${id.slice(0, 8)}…` : id;
}

/**
 * An entry's object as a person reads it: its name where the server gave one
 * ("Consultation: Our park"), otherwise its kind and a short ID.
 */
export function objectWords(entry: { objectType: string; objectId: string; objectName?: string }, locale: Locale): string {
	if (!entry.objectType && !entry.objectId) return '';
	const kind = objectKindWords(entry.objectType, locale);
	if (entry.objectName) return `${kind}: ${entry.objectName}`;
	return entry.objectId ? `${kind} · ${shortId(entry.objectId)}` : kind;
}

/** The actions as the filter offers them: sorted by their words in the language shown. */
export function actionChoices(locale: Locale): { code: string; label: string }[] {
	return AUDIT_ACTIONS.map((code) => ({ code, label: actionWords(code, locale) })).sort((a, b) =>
		a.label.localeCompare(b.label, locale)
	);
}
