import { describe, expect, it } from 'vitest';
import { barWidth, cellDisplay, cloudSize, formatPercent, percentOf, secondsLeft, tallyRows, wordCounts } from './format';
import { qrPath } from './qr';
import { enAdult } from '$lib/i18n/adult/en';
import { huAdult } from '$lib/i18n/adult/hu';
import { roAdult } from '$lib/i18n/adult/ro';

describe('percentages', () => {
	it('has one decimal and survives nobody answering', () => {
		expect(percentOf(2, 3)).toBe(66.7);
		expect(percentOf(1, 3)).toBe(33.3);
		expect(percentOf(0, 0)).toBe(0);
		expect(percentOf(5, 5)).toBe(100);
	});

	it('is written the way each language writes it', () => {
		expect(formatPercent(66.7, 'en')).toBe('66.7%');
		expect(formatPercent(66.7, 'ro').replace(/\s/g, ' ')).toBe('66,7 %');
		expect(formatPercent(50, 'hu').replace(/\s/g, ' ')).toBe('50%');
	});
});

describe('tallyRows', () => {
	it('joins options and counts in the options’ order, with zero for options nobody chose', () => {
		const rows = tallyRows(
			[
				{ id: 'a', label: 'Swings', emoji: '🛝' },
				{ id: 'b', label: 'Trees' }
			],
			{ questionId: 'q', respondents: 4, connected: 5, options: [{ id: 'b', count: 1 }, { id: 'a', count: 3 }], at: '' }
		);
		expect(rows).toEqual([
			{ id: 'a', label: 'Swings', emoji: '🛝', count: 3, percent: 75 },
			{ id: 'b', label: 'Trees', emoji: '', count: 1, percent: 25 }
		]);
		expect(tallyRows([{ id: 'a', label: 'A' }], null)).toEqual([{ id: 'a', label: 'A', emoji: '', count: 0, percent: 0 }]);
	});

	it('scales bars to the leader', () => {
		const rows = [{ count: 4 }, { count: 1 }, { count: 0 }];
		expect(rows.map((r) => barWidth(r.count, rows))).toEqual([100, 25, 0]);
		expect(barWidth(0, [{ count: 0 }])).toBe(0);
	});
});

describe('word clouds', () => {
	it('counts words like the server: lower case, letters and digits, two characters or more', () => {
		expect(wordCounts([{ text: 'Copaci și bănci!' }, { text: 'copaci, LEAGĂNE' }, { text: 'a b' }])).toEqual([
			{ word: 'copaci', count: 2 },
			{ word: 'bănci', count: 1 },
			{ word: 'leagăne', count: 1 },
			{ word: 'și', count: 1 }
		]);
	});

	it('sizes the most frequent word largest', () => {
		const words = [
			{ word: 'a', count: 5 },
			{ word: 'b', count: 1 },
			{ word: 'c', count: 3 }
		];
		expect(words.map((w) => cloudSize(w.count, words))).toEqual([3.5, 1, 2.25]);
		expect(cloudSize(2, [{ word: 'x', count: 2 }])).toBe(2);
	});
});

describe('suppressed cells', () => {
	it('shows a number only when the server gave one', () => {
		expect(cellDisplay({ count: 7 })).toEqual({ kind: 'count', count: 7 });
		expect(cellDisplay({ count: 0 })).toEqual({ kind: 'count', count: 0 });
		expect(cellDisplay({ count: null, suppressed: true })).toEqual({ kind: 'suppressed' });
		expect(cellDisplay({ count: null })).toEqual({ kind: 'suppressed' });
	});

	it('have one label in every language, which says nothing of their size', () => {
		// A small count and a count hidden to protect it look alike; a label such as "fewer
		// than 5" would tell the range of some of them.
		for (const dict of [roAdult, enAdult, huAdult]) {
			const label = dict['results.hidden'];
			expect(typeof label).toBe('string');
			expect(label).not.toMatch(/\d|\{/);
		}
		expect(new Set([roAdult, enAdult, huAdult].map((d) => d['results.hidden'])).size).toBe(3);
	});
});

describe('secondsLeft', () => {
	it('counts down to the deadline and stops at zero', () => {
		const now = Date.parse('2026-11-23T10:00:00Z');
		expect(secondsLeft('2026-11-23T10:00:30Z', now)).toBe(30);
		expect(secondsLeft('2026-11-23T10:00:00.5Z', now)).toBe(1);
		expect(secondsLeft('2026-11-23T09:59:00Z', now)).toBe(0);
		expect(secondsLeft(null, now)).toBeNull();
		expect(secondsLeft('not a date', now)).toBeNull();
	});
});

describe('qrPath', () => {
	it('draws a square code with a quiet zone, without any network', () => {
		const { path, size } = qrPath('http://127.0.0.1:8080/join?code=482913');
		expect(size).toBeGreaterThanOrEqual(21 + 8);
		expect(path).toMatch(/^M4 4h1v1h-1z/); // the finder pattern's corner
		expect(qrPath('http://127.0.0.1:8080/join?code=482913')).toEqual({ path, size });
	});
});
