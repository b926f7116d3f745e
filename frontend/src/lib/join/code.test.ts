import { describe, expect, it } from 'vitest';
import { CODE_LENGTH, isValidCode, normalizeCode } from './code';

describe('join code', () => {
	it('has six digits', () => {
		expect(CODE_LENGTH).toBe(6);
		expect(isValidCode('123456')).toBe(true);
		expect(isValidCode('000000')).toBe(true);
	});

	it.each(['', '12345', '1234567', '12345a', 'abcdef', '12 456', '١٢٣٤٥٦', '+12345', '12345.'])(
		'rejects %j',
		(code) => {
			expect(isValidCode(code)).toBe(false);
		}
	);

	it('drops spaces, dashes and dots people type around a code', () => {
		expect(normalizeCode(' 482 913 ')).toBe('482913');
		expect(normalizeCode('482-913')).toBe('482913');
		expect(normalizeCode('482–913')).toBe('482913');
		expect(normalizeCode('482.913')).toBe('482913');
		expect(isValidCode(normalizeCode('482 913'))).toBe(true);
	});

	it('keeps everything else, so a wrong code stays visibly wrong', () => {
		expect(normalizeCode('12a456')).toBe('12a456');
	});
});
