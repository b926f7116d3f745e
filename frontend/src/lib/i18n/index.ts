import { derived, writable, type Readable } from 'svelte/store';
import { local } from '$lib/storage';
import { DEFAULT_LOCALE, LOCALE_STORAGE_KEY, pickLocale, type Locale } from './locales';
import { ro } from './ro';
import { translate, type Messages } from './translate';
import type { AdultDictionary, AdultMessageKey, Dictionary, MessageKey, MessageParams, Translate } from './types';

export * from './locales';
export type { MessageKey, MessageParams } from './types';

// The children's dictionaries: Romanian ships with the app; the other ones are
// fetched the first time they are needed, so most children never download them.
const loaders: Record<Locale, () => Promise<Dictionary>> = {
	ro: () => Promise.resolve(ro),
	en: () => import('./en').then((module) => module.en),
	hu: () => import('./hu').then((module) => module.hu)
};

// Adults' pages have their own messages, in every language fetched on
// demand: a child on /join downloads none of them.
const adultLoaders: Record<Locale, () => Promise<AdultDictionary>> = {
	ro: () => import('./adult/ro').then((module) => module.roAdult),
	en: () => import('./adult/en').then((module) => module.enAdult),
	hu: () => import('./adult/hu').then((module) => module.huAdult)
};

const current = writable<{ locale: Locale; messages: Messages }>({
	locale: DEFAULT_LOCALE,
	messages: ro
});

/** The language the interface is shown in. Change it with `useLocale`. */
export const locale = derived(current, ($current) => $current.locale);

/**
 * The translation function for the current language: `$t('join.heading')`.
 * It takes the keys of the children's dictionaries only; adults' pages import
 * the same store from `$lib/i18n/adult`, typed to take their keys too.
 */
export const t: Readable<Translate<MessageKey>> = derived(
	current,
	({ locale, messages }) =>
		(key: AdultMessageKey, params?: MessageParams): string =>
			translate(messages, locale, key, params)
);

let latestRequest = 0;
// Once an adults' page has asked for its messages, every later language
// change loads them too.
let adultWanted = false;
let adultLoaded: Promise<void> | null = null;
let currentLocale: Locale = DEFAULT_LOCALE;

/**
 * Shows the interface in `next` once its dictionaries have loaded, and marks
 * the document's language for screen readers and hyphenation. When called
 * twice quickly, the last call wins.
 */
export async function useLocale(next: Locale): Promise<void> {
	const request = ++latestRequest;
	const [dictionary, adult] = await Promise.all([
		loaders[next](),
		adultWanted ? adultLoaders[next]() : Promise.resolve(null)
	]);
	if (request !== latestRequest) return;
	currentLocale = next;
	current.set({ locale: next, messages: adult === null ? dictionary : { ...dictionary, ...adult } });
	// Not while the page is written out at build time (no document there).
	if (typeof document !== 'undefined') document.documentElement.lang = next;
}

/** Loads the messages of adults' pages in the current language (once), before such a page renders. */
export function loadAdultMessages(): Promise<void> {
	adultWanted = true;
	adultLoaded ??= useLocale(currentLocale);
	return adultLoaded;
}

/** Remembers `choice` for the next visit and shows it now. */
export function chooseLocale(choice: Locale): Promise<void> {
	local.set(LOCALE_STORAGE_KEY, choice);
	return useLocale(choice);
}

/**
 * Applies the language asked for by a page load: `?lang=` when present and
 * valid (and then remembered, since following such a link is a choice),
 * otherwise the remembered one, otherwise the device's (`fromDevice`: children's
 * pages pass `navigator.languages`), otherwise Romanian.
 */
export function initLocale(fromUrl: string | null, fromDevice: readonly string[] = []): Promise<void> {
	const next = pickLocale({ fromUrl, fromStorage: local.get(LOCALE_STORAGE_KEY), fromDevice });
	if (next === fromUrl) local.set(LOCALE_STORAGE_KEY, next);
	return useLocale(next);
}
