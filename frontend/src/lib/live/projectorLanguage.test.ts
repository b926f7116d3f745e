import { describe, expect, it } from 'vitest';
import { secondLanguage } from './projectorLanguage';

describe('the projector’s second language', () => {
	it('is one the consultation offers besides its first, or none', () => {
		expect(secondLanguage('hu', ['ro', 'hu', 'en'])).toBe('hu');
		expect(secondLanguage('ro', ['ro', 'hu'])).toBeNull();
		expect(secondLanguage('en', ['ro', 'hu'])).toBeNull();
		expect(secondLanguage('de', ['ro', 'hu'])).toBeNull();
		expect(secondLanguage(null, ['ro', 'hu'])).toBeNull();
		expect(secondLanguage('hu', undefined)).toBeNull();
	});
});
