import { describe, expect, it } from 'vitest';
import { cloudScale, revealRows, revealWidth } from './reveal';
import { tileAt } from './tiles';

const question = {
	id: 'q1',
	options: [
		{ id: 'a', label: 'Swings', emoji: '🛝' },
		{ id: 'b', label: 'Trees' },
		{ id: 'c', label: 'Benches' }
	]
};

describe('revealWidth', () => {
	it('scales to everyone who answered, not to the largest bar', () => {
		expect(revealWidth(1, 4)).toBe(25);
		expect(revealWidth(2, 4)).toBe(50);
		expect(revealWidth(4, 4)).toBe(100);
	});

	it('is empty with nobody, and never longer than the track', () => {
		expect(revealWidth(0, 0)).toBe(0);
		expect(revealWidth(3, 0)).toBe(0);
		expect(revealWidth(0, 5)).toBe(0);
		expect(revealWidth(7, 5)).toBe(100);
	});
});

describe('revealRows', () => {
	it('sorts a ranking by points, each option keeping its tile, average place and points', () => {
		const tally = {
			questionId: 'q1', respondents: 3, connected: 3, at: '',
			options: [{ id: 'a', count: 0 }, { id: 'b', count: 2 }, { id: 'c', count: 1 }],
			ranking: [{ id: 'a', averageRank: 2.67, points: 1 }, { id: 'b', averageRank: 1.33, points: 5 }, { id: 'c', averageRank: 2, points: 3 }]
		};
		const rows = revealRows(question, tally);
		expect(rows.map((r) => [r.id, r.points, r.averageRank, r.count])).toEqual([['b', 5, 1.33, 2], ['c', 3, 2, 1], ['a', 1, 2.67, 0]]);
		expect(rows[0]?.tile).toEqual(tileAt(1));
	});

	it('keeps the options order and has no ranking figures for other questions', () => {
		const rows = revealRows(question, { questionId: 'q1', respondents: 1, connected: 1, at: '', options: [{ id: 'c', count: 1 }] });
		expect(rows.map((r) => r.id)).toEqual(['a', 'b', 'c']);
		expect(rows[2]?.points).toBeUndefined();
	});

	it('gives each option its tile, its count and its share of respondents', () => {
		const rows = revealRows(question, { questionId: 'q1', respondents: 4, connected: 9, options: [{ id: 'a', count: 2 }, { id: 'b', count: 1 }], at: '' });
		expect(rows.map((r) => [r.label, r.emoji, r.count, r.percent, r.width])).toEqual([
			['Swings', '🛝', 2, 50, 50],
			['Trees', '', 1, 25, 25],
			['Benches', '', 0, 0, 0]
		]);
		expect(rows.map((r) => r.tile)).toEqual([tileAt(0), tileAt(1), tileAt(2)]);
	});

	it('a multiple-choice chart lets every bar reach 100%', () => {
		const rows = revealRows(question, { questionId: 'q1', respondents: 2, connected: 2, options: [{ id: 'a', count: 2 }, { id: 'b', count: 2 }], at: '' });
		expect(rows.map((r) => r.width)).toEqual([100, 100, 0]);
	});

	it('ignores the tally of another question, and names options through `label`', () => {
		const rows = revealRows(question, { questionId: 'q2', respondents: 3, connected: 3, options: [{ id: 'a', count: 3 }], at: '' }, (i) => `${i + 1} of 3`);
		expect(rows.map((r) => [r.label, r.count, r.width])).toEqual([
			['1 of 3', 0, 0],
			['2 of 3', 0, 0],
			['3 of 3', 0, 0]
		]);
	});
});

describe('cloudScale', () => {
	it('draws a few words large: three words fill a projector', () => {
		const three = [
			{ word: 'trees', count: 1 },
			{ word: 'swings', count: 1 },
			{ word: 'water', count: 1 }
		];
		// 16 vmin is 173 px on a 1920×1080 screen.
		expect(cloudScale(1, three)).toBe(16);
	});

	it('draws many words smaller, the rarest at about a third of the most frequent', () => {
		const many = Array.from({ length: 100 }, (_, i) => ({ word: `w${i}`, count: i === 0 ? 10 : 1 }));
		expect(cloudScale(10, many)).toBe(4);
		expect(cloudScale(1, many)).toBe(1.4);
		expect(cloudScale(1, [])).toBe(0);
	});
});
