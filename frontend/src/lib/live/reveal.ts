import type { LivePicture, LiveQuestion, TallyData } from './protocol';
import { tileAt, type Tile } from './tiles';
import { percentOf, type WordCount } from '$lib/results/format';

/** One bar of the projector's chart: an option, its tile, and its share of everyone who answered. */
export interface RevealRow {
	readonly id: string;
	readonly label: string;
	readonly emoji: string;
	/** The option's picture, drawn beside its label. */
	readonly picture?: LivePicture;
	readonly tile: Tile;
	readonly count: number;
	/** Of respondents, 0–100, one decimal: the number shown. */
	readonly percent: number;
	/** The bar's length as a share of the whole track, 0–100: the track is every respondent. */
	readonly width: number;
	/** A ranking's average place (1 is first; 0 when nobody placed it) and Borda points. */
	readonly averageRank?: number;
	readonly points?: number;
}

/**
 * The length of a bar, scaled to 100% of respondents (not to the largest bar), so that a
 * half-empty chart looks half empty. Never more than the track, nor less than nothing.
 */
export function revealWidth(count: number, respondents: number): number {
	if (respondents <= 0 || count <= 0) return 0;
	return Math.min(100, (count / respondents) * 100);
}

/**
 * The rows of a question's chart, in the options' order, each in the tile the phones show
 * for that option. `label` names an option (the scale's points have no words of their own).
 */
export function revealRows(question: Pick<LiveQuestion, 'id' | 'options'>, tally: TallyData | null, label: (index: number, optionLabel: string) => string = (_, l) => l): RevealRow[] {
	const own = tally?.questionId === question.id ? tally : null;
	const counts = new Map((own?.options ?? []).map((o) => [o.id, o.count]));
	const ranks = new Map((own?.ranking ?? []).map((o) => [o.id, o]));
	const respondents = own?.respondents ?? 0;
	const rows = question.options.map((o, i) => {
		const count = counts.get(o.id) ?? 0;
		const rank = ranks.get(o.id);
		return {
			id: o.id,
			label: label(i, o.label),
			emoji: o.emoji ?? '',
			picture: o.picture,
			tile: tileAt(i),
			count,
			percent: percentOf(count, respondents),
			width: revealWidth(count, respondents),
			...(rank ? { averageRank: rank.averageRank, points: rank.points } : {})
		};
	});
	// A ranking is read by its points, the most first; the tiles stay the options' own.
	if (ranks.size > 0) rows.sort((a, b) => (b.points ?? 0) - (a.points ?? 0));
	return rows;
}

/**
 * A word's size on the projector, in vmin (a hundredth of the screen's shorter side): a few
 * words are drawn large enough to fill the screen, many words smaller, and the rarest at a
 * third of the most frequent.
 */
export function cloudScale(count: number, words: readonly WordCount[]): number {
	if (words.length === 0) return 0;
	const top = Math.min(16, 40 / Math.sqrt(words.length));
	const most = Math.max(1, ...words.map((w) => w.count));
	const least = Math.min(most, ...words.map((w) => w.count));
	const share = most === least ? 1 : (count - least) / (most - least);
	return Math.round(top * (0.35 + 0.65 * share) * 100) / 100;
}
