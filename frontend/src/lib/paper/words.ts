// The fixed words of a printed paper form, in the language the form is printed in, which may
// differ from the language of the page around it.
import type { Locale } from '$lib/i18n/locales';
import { translate, type Messages } from '$lib/i18n/translate';
import type { AdultMessageKey, MessageParams } from '$lib/i18n/types';

const loaders: Record<Locale, () => Promise<Messages>> = {
	ro: () => Promise.all([import('$lib/i18n/ro'), import('$lib/i18n/adult/ro')]).then(([c, a]) => ({ ...c.ro, ...a.roAdult })),
	en: () => Promise.all([import('$lib/i18n/en'), import('$lib/i18n/adult/en')]).then(([c, a]) => ({ ...c.en, ...a.enAdult })),
	hu: () => Promise.all([import('$lib/i18n/hu'), import('$lib/i18n/adult/hu')]).then(([c, a]) => ({ ...c.hu, ...a.huAdult }))
};

export type Words = (key: AdultMessageKey, params?: MessageParams) => string;

/** The translation function of `locale`, once its dictionaries have loaded. */
export async function wordsIn(locale: Locale): Promise<Words> {
	const messages = await loaders[locale]();
	return (key, params) => translate(messages, locale, key, params);
}

/** The index (0-4) of the face and word of point i of an n-point scale (3 points: 0, 2, 4). */
export function scaleStep(i: number, points: number): number {
	return points === 3 ? i * 2 : Math.min(i, 4);
}
