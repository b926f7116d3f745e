import { describe, expect, it } from 'vitest';
import { isComplete, tap } from './ranking';

describe('tap', () => {
	it('places options in the order they are tapped', () => {
		expect(tap(tap([], 'b'), 'a')).toEqual(['b', 'a']);
	});
	it('takes a placed option out again, and the later ones move up', () => {
		expect(tap(['b', 'a', 'c'], 'a')).toEqual(['b', 'c']);
	});
});

describe('isComplete', () => {
	const ids = ['a', 'b', 'c'];
	it('refuses a ranking with nothing or only some options placed', () => {
		expect(isComplete([], ids)).toBe(false);
		expect(isComplete(['a', 'b'], ids)).toBe(false);
		expect(isComplete(['a', 'a', 'b'], ids)).toBe(false);
	});
	it('accepts every option placed once', () => {
		expect(isComplete(['c', 'a', 'b'], ids)).toBe(true);
	});
});
