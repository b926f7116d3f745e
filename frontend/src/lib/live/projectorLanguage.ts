import { get } from 'svelte/store';
import { isLocale, locale, useLocale, type Locale } from '$lib/i18n';
import type { AdultMessageKey, Translate } from '$lib/i18n/adult';
import { translate, type Messages } from '$lib/i18n/translate';

/**
 * The projector speaks the consultation's language, not the adult's who opened
 * it: the room reads it, and English labels over Romanian questions confuse a
 * class. Its interface switches to the consultation's first language (for this
 * page only: nothing is remembered), and back when the page goes.
 */
let before: Locale | null = null;

export async function followConsultationLanguage(languages: readonly string[] | undefined): Promise<void> {
	const first = languages?.[0];
	const now = get(locale);
	if (!isLocale(first) || first === now) return;
	before ??= now;
	await useLocale(first);
}

export async function leaveConsultationLanguage(): Promise<void> {
	if (before === null) return;
	const back = before;
	before = null;
	await useLocale(back);
}

/**
 * The second language to show beside the first (`?second=hu` on the presenter
 * URL): one the consultation offers besides its first; anything else shows none.
 */
export function secondLanguage(asked: string | null, languages: readonly string[] | undefined): string | null {
	if (!asked || !languages || !languages.slice(1).includes(asked)) return null;
	return asked;
}

/**
 * The interface's words in the projector's second language, beside the first's: the lobby,
 * the counter and the closing screen speak to the whole room, as the content beside them
 * does. The adults' dictionary of that language is fetched for this page only; the page's
 * own language stays the first. Null for a language Voci does not speak.
 */
export async function wordsIn(lang: string | null): Promise<Translate<AdultMessageKey> | null> {
	if (!isLocale(lang)) return null;
	const messages = await adultDictionaries[lang]();
	return (key, params) => translate(messages, lang, key, params);
}

const adultDictionaries: Record<Locale, () => Promise<Messages>> = {
	ro: () => import('$lib/i18n/adult/ro').then((m) => m.roAdult),
	en: () => import('$lib/i18n/adult/en').then((m) => m.enAdult),
	hu: () => import('$lib/i18n/adult/hu').then((m) => m.huAdult)
};
