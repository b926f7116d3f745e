import type { LiveOption, TallyData, TextData } from '$lib/live/protocol';

/** One bar of a chart and one row of its table. */
export interface CountRow {
	readonly id: string;
	readonly label: string;
	readonly emoji: string;
	readonly count: number;
	/** Of respondents, 0–100. */
	readonly percent: number;
}

/** A share of `total` as a percentage with one decimal, 0 when nobody answered. */
export function percentOf(count: number, total: number): number {
	if (total <= 0) return 0;
	return Math.round((count / total) * 1000) / 10;
}

/** Formats a percentage (33.3 → "33,3 %" in Romanian). */
export function formatPercent(percent: number, locale: string): string {
	return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(percent / 100);
}

/** Joins a question's options with a live tally, in the options' order. */
export function tallyRows(options: readonly LiveOption[], tally: TallyData | null): CountRow[] {
	const counts = new Map((tally?.options ?? []).map((o) => [o.id, o.count]));
	const respondents = tally?.respondents ?? 0;
	return options.map((o) => {
		const count = counts.get(o.id) ?? 0;
		return { id: o.id, label: o.label, emoji: o.emoji ?? '', count, percent: percentOf(count, respondents) };
	});
}

/** The width of a bar, as a share of the longest one, so the leader fills the chart. */
export function barWidth(count: number, rows: readonly { count: number }[]): number {
	const most = Math.max(0, ...rows.map((r) => r.count));
	return most === 0 ? 0 : Math.round((count / most) * 100);
}

export interface WordCount {
	readonly word: string;
	readonly count: number;
}

/**
 * Counts the words of word-cloud answers the way the server's results do:
 * lower case, split on anything but letters, digits and hyphens, words of
 * at least two characters. Most frequent first, then alphabetical.
 */
export function wordCounts(texts: readonly Pick<TextData, 'text'>[], locale = 'ro'): WordCount[] {
	const counts = new Map<string, number>();
	for (const { text } of texts) {
		for (const word of text.toLocaleLowerCase(locale).split(/[^\p{L}\p{N}-]+/u)) {
			if ([...word].length >= 2) counts.set(word, (counts.get(word) ?? 0) + 1);
		}
	}
	return [...counts]
		.map(([word, count]) => ({ word, count }))
		.sort((a, b) => b.count - a.count || a.word.localeCompare(b.word, locale));
}

/** A word's size in a cloud, in rem: 1 for the rarest, up to 3.5 for the most frequent. */
export function cloudSize(count: number, words: readonly WordCount[]): number {
	const most = Math.max(1, ...words.map((w) => w.count));
	const least = Math.min(most, ...words.map((w) => w.count));
	if (most === least) return 2;
	return Math.round((1 + ((count - least) / (most - least)) * 2.5) * 100) / 100;
}

/**
 * A count that the server may have suppressed: null means hidden. A hidden count may be small
 * or may be hidden to protect a small one; the server does not say which, and neither may the
 * page, so every hidden count gets the same label.
 */
export type Cell = { readonly count: number | null; readonly suppressed?: boolean };

/** How to show a breakdown cell: the number, or the one label of every hidden number. */
export function cellDisplay(cell: Cell): { readonly kind: 'count'; readonly count: number } | { readonly kind: 'suppressed' } {
	if (cell.suppressed || cell.count === null) return { kind: 'suppressed' };
	return { kind: 'count', count: cell.count };
}

/** Seconds left until `deadline` (ISO), never negative; null without a deadline. */
export function secondsLeft(deadline: string | null, now: number): number | null {
	if (deadline === null) return null;
	const end = Date.parse(deadline);
	if (Number.isNaN(end)) return null;
	return Math.max(0, Math.ceil((end - now) / 1000));
}
