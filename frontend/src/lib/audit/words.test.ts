import { describe, expect, it } from 'vitest';
import { LOCALES } from '$lib/i18n/locales';
import words from './words.json';
import { AUDIT_ACTIONS, actionChoices, actionWords, objectWords, shortId } from './words';

describe('audit words', () => {
	it('has words for every action and object in every language, all different', () => {
		for (const group of [words.actions, words.objects] as Record<string, Record<string, string>>[]) {
			for (const [code, byLang] of Object.entries(group)) {
				for (const locale of LOCALES) {
					expect(byLang[locale]?.trim(), `${code} in ${locale}`).toBeTruthy();
				}
			}
		}
		for (const locale of LOCALES) {
			const labels = AUDIT_ACTIONS.map((code) => actionWords(code, locale));
			expect(new Set(labels).size, `two actions read alike in ${locale}`).toBe(labels.length);
		}
	});

	it('shows an action in words, and an unknown code as it is', () => {
		expect(actionWords('session.sign_in', 'ro')).toBe('S-a autentificat');
		expect(actionWords('session.sign_in', 'hu')).toBe('Bejelentkezett');
		expect(actionWords('future.thing', 'en')).toBe('future.thing');
	});

	it('names an object, or gives its kind and a short ID', () => {
		expect(objectWords({ objectType: 'consultation', objectId: 'c-123', objectName: 'Parcul nostru' }, 'ro')).toBe(
			'Consultare: Parcul nostru'
		);
		expect(objectWords({ objectType: 'participant', objectId: '0123456789abcdef' }, 'en')).toBe('Child in a session · 01234567…');
		expect(objectWords({ objectType: '', objectId: '' }, 'en')).toBe('');
		expect(shortId('abc')).toBe('abc');
	});

	it('offers every action once in the filter, sorted by its words', () => {
		const choices = actionChoices('en');
		expect(choices.map((c) => c.code).sort()).toEqual([...AUDIT_ACTIONS].sort());
		const labels = choices.map((c) => c.label);
		expect(labels).toEqual([...labels].sort((a, b) => a.localeCompare(b, 'en')));
	});
});
