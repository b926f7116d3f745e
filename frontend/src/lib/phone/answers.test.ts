import { describe, expect, it } from 'vitest';
import { isUnsent } from './answers';

describe('isUnsent', () => {
	const sent = { choices: ['a'], text: '' };
	it('is false for nothing chosen, and for what was sent already', () => {
		expect(isUnsent(null, undefined)).toBe(false);
		expect(isUnsent({ choices: [] }, undefined)).toBe(false);
		expect(isUnsent({ text: '  ' }, undefined)).toBe(false);
		expect(isUnsent({ choices: ['a'] }, sent)).toBe(false);
		expect(isUnsent({ text: 'idee ' }, { choices: [], text: 'idee' })).toBe(false);
	});
	it('is true for a first answer and for a changed one', () => {
		expect(isUnsent({ choices: ['b'] }, undefined)).toBe(true);
		expect(isUnsent({ choices: ['b'] }, sent)).toBe(true);
		expect(isUnsent({ choices: ['a', 'b'] }, { choices: ['b', 'a'], text: '' })).toBe(true);
		expect(isUnsent({ text: 'alta' }, { choices: [], text: 'idee' })).toBe(true);
	});
});
