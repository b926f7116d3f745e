import { STAGES, type Stage } from '$lib/cfci/stages';
import { cellState, cellValue } from './cells';
import type { Cell } from './types';

/**
 * The stages along the cycle, from light to dark (the viridis ramp, readable by people who
 * do not tell red from green), a pause in grey. The legend and the table beside the map carry
 * the same in words.
 */
export const STAGE_COLOURS: Readonly<Record<Stage, string>> = {
	interested: '#fde725',
	memorandum_signed: '#a0da39',
	situation_analysis: '#4ac16d',
	action_plan_adopted: '#1fa187',
	implementation: '#277f8e',
	evaluation: '#365c8d',
	recognised: '#46327e',
	paused: '#9e9e9e'
};

/** A region with nothing to show: outside the initiative, or no figure. */
export const NO_DATA_FILL = '#ffffff';
/** The patterns the map defines (NationalMap.svelte): hidden cells and sources not recorded yet. */
export const HIDDEN_PATTERN = 'national-hatch';
export const NOT_RECORDED_PATTERN = 'national-dots';

/** Five steps of one hue, light to dark (ColorBrewer Blues): more is darker. */
export const SEQUENTIAL = ['#c6dbef', '#9ecae1', '#6baed6', '#3182bd', '#08519c'] as const;

export interface Bin {
	/** Inclusive bounds. */
	readonly from: number;
	readonly to: number;
	readonly colour: string;
}

/**
 * Equal steps from zero (or a smaller value) to the largest value, at most five, so that a
 * colour means the same amount whatever the smallest value shown. Counts get whole-number
 * bounds that do not overlap; ratios and medians keep their fractions. Nothing but zeros is
 * one step, the lightest.
 */
export function binsFor(values: readonly number[], whole: boolean): Bin[] {
	const finite = values.filter((v) => Number.isFinite(v));
	if (finite.length === 0) return [];
	const min = Math.min(0, ...finite);
	const max = Math.max(...finite);
	if (min === max) return [{ from: min, to: max, colour: SEQUENTIAL[0] }];
	const steps = whole ? Math.min(SEQUENTIAL.length, max - min + 1) : SEQUENTIAL.length;
	const width = (max - min) / steps;
	const bins: Bin[] = [];
	// The darkest colours for the most: with fewer steps, the lightest are left out.
	const offset = SEQUENTIAL.length - steps;
	for (let i = 0; i < steps; i++) {
		let from = min + i * width;
		let to = i === steps - 1 ? max : min + (i + 1) * width;
		if (whole) {
			from = i === 0 ? min : Math.floor(min + i * width) + 1;
			to = i === steps - 1 ? max : Math.floor(min + (i + 1) * width);
		}
		bins.push({ from, to, colour: SEQUENTIAL[offset + i] as string });
	}
	return bins.filter((b) => b.from <= b.to);
}

/** The bin a value falls in (the first one whose upper bound it does not pass). */
export function binOf(bins: readonly Bin[], value: number): Bin | null {
	if (bins.length === 0) return null;
	return bins.find((b) => value <= b.to) ?? (bins[bins.length - 1] as Bin);
}

/** An SVG fill for a cell: a colour, or a pattern (hidden, not recorded), never a colour alone. */
export function fillForCell(cell: Cell | null | undefined, bins: readonly Bin[]): string {
	const state = cellState(cell);
	if (state === 'hidden') return `url(#${HIDDEN_PATTERN})`;
	if (state === 'notYetRecorded') return `url(#${NOT_RECORDED_PATTERN})`;
	const value = cellValue(cell);
	if (value === null) return NO_DATA_FILL;
	return binOf(bins, value)?.colour ?? NO_DATA_FILL;
}

export function fillForStage(stage: string | null | undefined): string {
	return (STAGES as readonly string[]).includes(stage ?? '') ? STAGE_COLOURS[stage as Stage] : NO_DATA_FILL;
}

/** One line of a map's legend. */
export interface LegendEntry {
	/** A colour, or `url(#pattern)`. */
	readonly fill: string;
	readonly label: string;
}

/** What the map shows of one region that has a row: its fill, and the same in words. */
export interface MapRegion {
	readonly fill: string;
	/** The region's name and value, read by a screen reader and shown on hover. */
	readonly label: string;
	readonly href: string;
}
