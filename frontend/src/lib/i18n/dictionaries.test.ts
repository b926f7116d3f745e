import { describe, expect, it } from 'vitest';
import { enAdult } from './adult/en';
import { huAdult } from './adult/hu';
import { roAdult } from './adult/ro';
import { en } from './en';
import { hu } from './hu';
import { LOCALES, type Locale } from './locales';
import { ro } from './ro';
import type { Message } from './types';

type Messages = Readonly<Record<string, Message>>;

// Two sets: the children's messages, which every page may show, and what only adults' pages load.
const sets: Record<'children' | 'adult', Record<Locale, Messages>> = {
	children: { ro, en, hu },
	adult: { ro: roAdult, en: enAdult, hu: huAdult }
};

function forms(message: Message): string[] {
	return typeof message === 'string' ? [message] : Object.values(message);
}

function placeholders(message: Message): string[] {
	return [...new Set(forms(message).flatMap((form) => [...form.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '')))].sort();
}

describe.each(Object.entries(sets))('the %s dictionaries', (_, dictionaries) => {
	const reference = Object.keys(dictionaries.ro).sort();

	it.each(LOCALES)('%s has exactly the keys of the Romanian reference', (locale) => {
		expect(Object.keys(dictionaries[locale]).sort()).toEqual(reference);
	});

	it.each(LOCALES)('%s has no empty message', (locale) => {
		const empty = Object.entries(dictionaries[locale])
			.filter(([, message]) => forms(message).some((form) => form.trim() === ''))
			.map(([key]) => key);
		expect(empty).toEqual([]);
	});

	it.each(LOCALES)('%s uses the same placeholders as Romanian', (locale) => {
		for (const key of reference) {
			expect(placeholders(dictionaries[locale][key] as Message), key).toEqual(placeholders(dictionaries.ro[key] as Message));
		}
	});

	it.each(LOCALES)('%s gives every plural message an "other" form and the forms its language needs', (locale) => {
		const needed = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
		for (const [key, message] of Object.entries(dictionaries[locale])) {
			if (typeof message === 'string') continue;
			for (const category of needed) {
				expect(message[category as keyof typeof message], `${key}.${category}`).toBeTruthy();
			}
		}
	});

	it('writes Romanian with comma-below ș and ț, never the cedilla look-alikes ş and ţ', () => {
		const text = Object.values(dictionaries.ro).flatMap(forms).join('\n');
		expect(text).not.toMatch(/[şţŞŢ]/);
		expect(text).toMatch(/[ăâîșț]/);
	});

	it('writes Hungarian with ő and ű, never the look-alikes õ and û', () => {
		const text = Object.values(dictionaries.hu).flatMap(forms).join('\n');
		expect(text).not.toMatch(/[õûÕÛ]/);
	});
});

describe('the two sets', () => {
	it('share no key, so a message lives in one place', () => {
		const shared = Object.keys(roAdult).filter((key) => key in ro);
		expect(shared).toEqual([]);
	});
});
