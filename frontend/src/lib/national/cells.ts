import type { AdultMessageKey, Locale, Translate } from '$lib/i18n/adult';
import type { Cell } from './types';

/** What a cell holds: a number, the one hidden label, a source not recorded yet, or nothing. */
export type CellState = 'value' | 'hidden' | 'notYetRecorded' | 'missing';

export function cellState(cell: Cell | null | undefined): CellState {
	if (cell === null || cell === undefined) return 'missing';
	if (cell.hidden === true) return 'hidden';
	if (cell.notYetRecorded === true) return 'notYetRecorded';
	return typeof cell.value === 'number' && Number.isFinite(cell.value) ? 'value' : 'missing';
}

/** The number of a cell that has one; null for hidden, not recorded and missing cells. */
export function cellValue(cell: Cell | null | undefined): number | null {
	return cellState(cell) === 'value' ? (cell as { value: number }).value : null;
}

/** Ratios (shown as percentages) among the indicator keys. */
export function isRatio(key: string): boolean {
	return key.startsWith('representativeness.') || key === 'meetingAttendanceRate';
}

/** Values that are not whole counts. */
function isDecimal(key: string): boolean {
	return key === 'medianDaysToFeedback';
}

/** A number as the indicator `key` is read: 42 %, 12,5 days, 1.234 children. */
export function formatNumber(value: number, key: string, locale: Locale): string {
	if (isRatio(key)) return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(value);
	return new Intl.NumberFormat(locale, { maximumFractionDigits: isDecimal(key) ? 1 : 0 }).format(value);
}

/** The words for a cell without a number: the same label for every hidden cell, whatever hid it. */
export const CELL_LABELS: Readonly<Record<Exclude<CellState, 'value'>, AdultMessageKey>> = {
	hidden: 'national.cell.hidden',
	notYetRecorded: 'national.cell.notYetRecorded',
	missing: 'national.cell.missing'
};

/** A cell as text: its number, or the label of its state. A cell not recorded yet is never 0. */
export function formatCell(cell: Cell | null | undefined, key: string, locale: Locale, t: Translate<AdultMessageKey>): string {
	const state = cellState(cell);
	if (state === 'value') return formatNumber((cell as { value: number }).value, key, locale);
	return t(CELL_LABELS[state]);
}
