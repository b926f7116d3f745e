import { describe, expect, it } from 'vitest';
import { barFraction, thresholdPassed } from './timer';

describe('thresholdPassed', () => {
	it('says nothing between thresholds, nor at the first reading', () => {
		expect(thresholdPassed(null, 45)).toBeNull();
		expect(thresholdPassed(45, 44)).toBeNull();
		expect(thresholdPassed(44, 44)).toBeNull();
	});
	it('announces a threshold once, when it is reached', () => {
		expect(thresholdPassed(31, 30)).toBe(30);
		expect(thresholdPassed(30, 29)).toBeNull();
		expect(thresholdPassed(6, 5)).toBe(5);
	});
	it('announces the nearest one when a tick skipped several', () => {
		expect(thresholdPassed(40, 8)).toBe(10);
		expect(thresholdPassed(12, 4)).toBe(5);
	});
});

describe('barFraction', () => {
	it('is full without a timer, and shrinks with the seconds', () => {
		expect(barFraction(null, null)).toBe(1);
		expect(barFraction(30, 60)).toBe(0.5);
		expect(barFraction(0, 60)).toBe(0);
		expect(barFraction(90, 60)).toBe(1);
	});
});
