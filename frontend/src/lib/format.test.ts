import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, todayInRomania } from './format';

describe('dates', () => {
	it('shows times as they are in Romania', () => {
		// 22:30 UTC on 31 December is already 1 January in Bucharest.
		expect(formatDateTime('2025-12-31T22:30:00Z', 'en')).toMatch(/Jan 1, 2026/);
		expect(formatDateTime('2025-12-31T22:30:00Z', 'ro')).toMatch(/00:30/);
	});

	it('shows a calendar day as written, whatever the zone', () => {
		expect(formatDate('2025-10-06', 'en')).toBe('October 6, 2025');
		expect(formatDate('2025-10-06', 'ro')).toBe('6 octombrie 2025');
	});

	it('passes through what is not a date', () => {
		expect(formatDateTime('soon', 'en')).toBe('soon');
		expect(formatDate('soon', 'hu')).toBe('soon');
	});

	it("knows Romania's today", () => {
		expect(todayInRomania(new Date('2025-12-31T22:30:00Z'))).toBe('2026-01-01');
	});
});
