/** The languages Voci speaks. Romanian first: it is the default. */
export const LOCALES = ['ro', 'en', 'hu'] as const;

export type Locale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: Locale = 'ro';

/** The URL query parameter that selects a language, e.g. `/join?lang=hu`. */
export const LOCALE_PARAM = 'lang';

/** The localStorage key that remembers the chosen language. */
export const LOCALE_STORAGE_KEY = 'voci.lang';

/**
 * Each language's name in that language. These are endonyms: they read the
 * same whatever language the page is in, so they are not translated.
 */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = {
	ro: 'Română',
	en: 'English',
	hu: 'Magyar'
};

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * Chooses the language to show: an explicit `?lang=` in the URL wins over the
 * remembered choice, which wins over the default. Invalid values are skipped.
 */
export function pickLocale(sources: { fromUrl?: string | null; fromStorage?: string | null }): Locale {
	for (const candidate of [sources.fromUrl, sources.fromStorage]) {
		if (isLocale(candidate)) return candidate;
	}
	return DEFAULT_LOCALE;
}
