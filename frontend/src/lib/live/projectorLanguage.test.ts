import { describe, expect, it } from 'vitest';
import { secondLanguage, wordsIn } from './projectorLanguage';

describe('the projector’s second language', () => {
	it('is one the consultation offers besides its first, or none', () => {
		expect(secondLanguage('hu', ['ro', 'hu', 'en'])).toBe('hu');
		expect(secondLanguage('ro', ['ro', 'hu'])).toBeNull();
		expect(secondLanguage('en', ['ro', 'hu'])).toBeNull();
		expect(secondLanguage('de', ['ro', 'hu'])).toBeNull();
		expect(secondLanguage(null, ['ro', 'hu'])).toBeNull();
		expect(secondLanguage('hu', undefined)).toBeNull();
	});

	it('speaks the second language\'s interface words, whatever the page\'s language', async () => {
		const hu = await wordsIn('hu');
		expect(hu?.('presenter.thanks')).toBe('Köszönjük!');
		expect(hu?.('presenter.joined', { count: 3 })).toContain('3');
		expect(await wordsIn('de')).toBeNull();
		expect(await wordsIn(null)).toBeNull();
	});
});
