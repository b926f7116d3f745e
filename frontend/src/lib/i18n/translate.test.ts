import { describe, expect, it } from 'vitest';
import { en } from './en';
import { hu } from './hu';
import { ro } from './ro';
import { interpolate, selectPlural, translate } from './translate';

describe('interpolate', () => {
	it('fills named placeholders', () => {
		expect(interpolate('{page} · Voci', 'en', { page: 'Home' })).toBe('Home · Voci');
	});

	it('fills the same placeholder twice', () => {
		expect(interpolate('{a} and {a}', 'en', { a: 'x' })).toBe('x and x');
	});

	it('formats numbers for the locale', () => {
		expect(interpolate('{n}', 'ro', { n: 3181 })).toBe('3.181');
		expect(interpolate('{n}', 'en', { n: 3181 })).toBe('3,181');
		// Hungarian groups thousands with a (non-breaking) space.
		expect(interpolate('{n}', 'hu', { n: 31810 }).replace(/\s/g, ' ')).toBe('31 810');
	});

	it('leaves a placeholder without a value visible', () => {
		expect(interpolate('Hello {name}', 'en', {})).toBe('Hello {name}');
	});

	it('does not treat a value as a template', () => {
		expect(interpolate('{a}', 'en', { a: '{b}', b: 'no' })).toBe('{b}');
	});
});

describe('selectPlural', () => {
	const results = { one: 'one', few: 'few', other: 'other' };

	it('uses Romanian plural categories', () => {
		expect(selectPlural(results, 'ro', 1)).toBe('one');
		expect(selectPlural(results, 'ro', 0)).toBe('few');
		expect(selectPlural(results, 'ro', 19)).toBe('few');
		expect(selectPlural(results, 'ro', 20)).toBe('other');
		expect(selectPlural(results, 'ro', 101)).toBe('few');
	});

	it('falls back to "other" for a category the message lacks', () => {
		expect(selectPlural({ other: 'other' }, 'ro', 1)).toBe('other');
		expect(selectPlural(results, 'ro', undefined)).toBe('other');
	});

	it('returns plain strings as they are', () => {
		expect(selectPlural('plain', 'en', 3)).toBe('plain');
	});
});

describe('translate', () => {
	it('looks up a key in the given dictionary', () => {
		expect(translate(ro, 'ro', 'join.error.invalidCode')).toBe('Codul are 6 cifre.');
		expect(translate(en, 'en', 'join.error.invalidCode')).toBe('The code has 6 digits.');
		expect(translate(hu, 'hu', 'join.error.invalidCode')).toBe('A kód 6 számjegyből áll.');
	});

	it('chooses the plural form from params.count', () => {
		expect(translate(ro, 'ro', 'municipalities.total', { count: 1 })).toBe('1 rezultat');
		expect(translate(ro, 'ro', 'municipalities.total', { count: 2 })).toBe('2 rezultate');
		expect(translate(ro, 'ro', 'municipalities.total', { count: 3181 })).toBe('3.181 de rezultate');
		expect(translate(en, 'en', 'municipalities.total', { count: 1 })).toBe('1 result');
		expect(translate(en, 'en', 'municipalities.total', { count: 5 })).toBe('5 results');
		expect(translate(hu, 'hu', 'municipalities.total', { count: 5 })).toBe('5 találat');
	});
});
