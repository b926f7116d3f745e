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
 * remembered choice, which wins over the device's languages (`navigator.languages`,
 * given on children's pages), which win over the default. Invalid values are skipped.
 */
export function pickLocale(sources: {
	fromUrl?: string | null;
	fromStorage?: string | null;
	fromDevice?: readonly string[];
}): Locale {
	for (const candidate of [sources.fromUrl, sources.fromStorage]) {
		if (isLocale(candidate)) return candidate;
	}
	return deviceLocale(sources.fromDevice ?? []) ?? DEFAULT_LOCALE;
}

/** The first of the device's languages that Voci speaks ("hu-HU" is Hungarian), or null. */
export function deviceLocale(languages: readonly string[]): Locale | null {
	for (const tag of languages) {
		const primary = tag.toLowerCase().split(/[-_]/)[0];
		if (isLocale(primary)) return primary;
	}
	return null;
}
