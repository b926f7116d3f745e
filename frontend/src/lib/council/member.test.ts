import { describe, expect, it } from 'vitest';
import { en } from '$lib/i18n/en';
import { hu } from '$lib/i18n/hu';
import { translate } from '$lib/i18n/translate';
import type { MessageKey, MessageParams } from '$lib/i18n/types';
import { agendaItemTitle, cardFromHash, memberErrorKey, officeKey } from './member';

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

describe('agendaItemTitle', () => {
	const stored = 'Aprobarea procesului-verbal al ședinței din 3 decembrie 2026';
	const minutesMeetings = { m1: '2026-12-03T15:00:00Z' };
	it('says the item that approves minutes in the reader\'s language, with the date', () => {
		const inEnglish = (key: MessageKey, params?: MessageParams) => translate(en, 'en', key, params);
		const inHungarian = (key: MessageKey, params?: MessageParams) => translate(hu, 'hu', key, params);
		expect(agendaItemTitle({ title: stored, approvesMinutesOf: 'm1' }, minutesMeetings, inEnglish, 'en')).toBe('Approve the minutes of December 3, 2026');
		expect(agendaItemTitle({ title: stored, approvesMinutesOf: 'm1' }, minutesMeetings, inHungarian, 'hu')).toBe('A 2026. december 3. ülés jegyzőkönyvének jóváhagyása');
	});
	it('keeps the stored title of other items, and of an approved meeting it does not know', () => {
		const inEnglish = (key: MessageKey, params?: MessageParams) => translate(en, 'en', key, params);
		expect(agendaItemTitle({ title: 'Parcul' }, minutesMeetings, inEnglish, 'en')).toBe('Parcul');
		expect(agendaItemTitle({ title: stored, approvesMinutesOf: 'gone' }, minutesMeetings, inEnglish, 'en')).toBe(stored);
	});
});
