import { isStage, STAGES } from '$lib/cfci/stages';
import { cellState, cellValue } from './cells';
import type { NationalMunicipality } from './types';

/** The stage filter's value for municipalities never enrolled. */
export const NO_STAGE = 'none';

export interface TableFilter {
	/** County number, or null for every county. */
	readonly county: number | null;
	/** A stage, NO_STAGE, or null for every stage. */
	readonly stage: string | null;
	/** Part of the name, with or without diacritics. */
	readonly q: string;
}

export type SortDirection = 'ascending' | 'descending';

export interface TableSort {
	/** `name`, `county`, `stage`, or an indicator key. */
	readonly key: string;
	readonly direction: SortDirection;
}

export const DEFAULT_SORT: TableSort = { key: 'name', direction: 'ascending' };

/** Lower case without diacritics (ș, ş and s alike), so "colonesti" finds Colonești. */
export function fold(text: string): string {
	return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();
}

export function filterMunicipalities(items: readonly NationalMunicipality[], filter: TableFilter): NationalMunicipality[] {
	const q = fold(filter.q);
	return items.filter(
		(m) =>
			(filter.county === null || m.county.id === filter.county) &&
			(filter.stage === null || (filter.stage === NO_STAGE ? !isStage(m.stage) : m.stage === filter.stage)) &&
			(q === '' || fold(m.name).includes(q))
	);
}

function stageRank(stage: string | null): number {
	const i = (STAGES as readonly string[]).indexOf(stage ?? '');
	return i < 0 ? Number.POSITIVE_INFINITY : i;
}

/**
 * Where a row goes under `key`: [group, number or text]. Cells with a number come first in
 * either direction; hidden ones, then ones not recorded, then missing ones always come after
 * them, so that no order of the table hints at a hidden number.
 */
function sortValue(m: NationalMunicipality, key: string): [number, number | string] {
	switch (key) {
		case 'name':
			return [0, m.name];
		case 'county':
			return [0, m.county.name];
		case 'stage': {
			const rank = stageRank(m.stage);
			return Number.isFinite(rank) ? [0, rank] : [1, 0];
		}
		default: {
			const cell = m.indicators[key];
			const value = cellValue(cell);
			if (value !== null) return [0, value];
			return [{ hidden: 1, notYetRecorded: 2, missing: 3, value: 3 }[cellState(cell)], 0];
		}
	}
}

export function sortMunicipalities(items: readonly NationalMunicipality[], sort: TableSort, locale: string): NationalMunicipality[] {
	const collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
	const sign = sort.direction === 'ascending' ? 1 : -1;
	const keyed = items.map((m) => ({ m, v: sortValue(m, sort.key) }));
	keyed.sort((a, b) => {
		if (a.v[0] !== b.v[0]) return a.v[0] - b.v[0];
		const [x, y] = [a.v[1], b.v[1]];
		const order = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
		if (order !== 0) return sign * order;
		// Ties read in name order, then by code, whatever the direction.
		return collator.compare(a.m.name, b.m.name) || a.m.siruta - b.m.siruta;
	});
	return keyed.map(({ m }) => m);
}

/** The sort after a click on a column's button: the other direction on the same column. */
export function nextSort(current: TableSort, key: string): TableSort {
	if (current.key === key) return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
	// Names read A to Z first; numbers largest first.
	return { key, direction: key === 'name' || key === 'county' || key === 'stage' ? 'ascending' : 'descending' };
}

/** The `aria-sort` of a column header. */
export function ariaSort(sort: TableSort, key: string): SortDirection | 'none' {
	return sort.key === key ? sort.direction : 'none';
}
