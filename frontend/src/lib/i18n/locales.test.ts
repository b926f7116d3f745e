import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCALE, isLocale, LOCALES, pickLocale } from './locales';

describe('pickLocale', () => {
	it('defaults to Romanian', () => {
		expect(DEFAULT_LOCALE).toBe('ro');
		expect(pickLocale({})).toBe('ro');
		expect(pickLocale({ fromUrl: null, fromStorage: null })).toBe('ro');
	});

	it('uses the remembered choice', () => {
		expect(pickLocale({ fromStorage: 'hu' })).toBe('hu');
	});

	it('lets the URL beat the remembered choice', () => {
		expect(pickLocale({ fromUrl: 'en', fromStorage: 'hu' })).toBe('en');
	});

	it('skips values that are not a supported language', () => {
		expect(pickLocale({ fromUrl: 'de', fromStorage: 'hu' })).toBe('hu');
		expect(pickLocale({ fromUrl: 'EN', fromStorage: 'xx' })).toBe('ro');
		expect(pickLocale({ fromUrl: '', fromStorage: '' })).toBe('ro');
	});
});

describe('pickLocale from the device', () => {
	it('takes the first of the device’s languages that Voci speaks', () => {
		expect(pickLocale({ fromDevice: ['de-AT', 'hu-HU', 'en-US'] })).toBe('hu');
		expect(pickLocale({ fromDevice: ['EN_gb'] })).toBe('en');
		expect(pickLocale({ fromDevice: ['de', 'fr'] })).toBe('ro');
	});

	it('comes after a chosen language, from the URL or remembered', () => {
		expect(pickLocale({ fromUrl: 'ro', fromDevice: ['hu-HU'] })).toBe('ro');
		expect(pickLocale({ fromStorage: 'en', fromDevice: ['hu-HU'] })).toBe('en');
	});
});

describe('isLocale', () => {
	it('accepts exactly ro, en and hu', () => {
		expect(LOCALES).toEqual(['ro', 'en', 'hu']);
		for (const locale of LOCALES) expect(isLocale(locale)).toBe(true);
		for (const other of ['', 'RO', 'de', 'hu-HU', null, undefined, 1]) expect(isLocale(other)).toBe(false);
	});
});
