import { describe, expect, it } from 'vitest';
import { cardFromHash, memberErrorKey, officeKey } from './member';

describe('cardFromHash', () => {
	it('takes the secret from a card link', () => {
		expect(cardFromHash('#card=abc_DEF-123')).toBe('abc_DEF-123');
	});
	it('refuses anything else', () => {
		for (const hash of ['', '#card=', '#card=a b', '#token=abc', '#card=abc&x=1', `#card=${'a'.repeat(101)}`]) {
			expect(cardFromHash(hash)).toBe('');
		}
	});
});

describe('memberErrorKey', () => {
	it('tells a revoked card from a wrong one', () => {
		expect(memberErrorKey('card_revoked')).toBe('councilPhone.error.revoked');
		expect(memberErrorKey('card_invalid')).toBe('councilPhone.error.invalid');
		expect(memberErrorKey('rate_limited')).toBe('councilPhone.error.tooMany');
		expect(memberErrorKey('unauthorized')).toBe('councilPhone.signedOut');
		expect(memberErrorKey('internal')).toBe('errors.generic');
	});
	it('names offices, and none', () => {
		expect(officeKey('')).toBeNull();
		expect(officeKey('vice_president')).toBe('councilPhone.office.vice_president');
	});
});
