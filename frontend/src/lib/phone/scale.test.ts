import { describe, expect, it } from 'vitest';
import { scaleFace, scaleWord } from './scale';

describe('scaleWord', () => {
	it('gives five points the five words, in order', () => {
		expect([0, 1, 2, 3, 4].map((i) => scaleWord(i, 5))).toEqual(['phone.scale.1', 'phone.scale.2', 'phone.scale.3', 'phone.scale.4', 'phone.scale.5']);
	});
	it('gives three points the first, middle and last words', () => {
		expect([0, 1, 2].map((i) => scaleWord(i, 3))).toEqual(['phone.scale.1', 'phone.scale.3', 'phone.scale.5']);
	});
	it('has no word for another number of points', () => {
		expect(scaleWord(0, 4)).toBeNull();
	});
});

describe('scaleFace', () => {
	it('keeps the option’s own face, or takes the one for its place', () => {
		expect(scaleFace(0, 5, '🐢')).toBe('🐢');
		expect(scaleFace(4, 5)).toBe('😄');
		expect(scaleFace(1, 3)).toBe('😐');
	});
});
