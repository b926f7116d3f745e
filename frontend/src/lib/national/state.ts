import type { MapLevel } from './geo';
import { isIndicatorKey } from './indicators';
import { DEFAULT_SORT, NO_STAGE, type TableFilter, type TableSort } from './table';
import { isStage } from '$lib/cfci/stages';
import type { NationalCounty, NationalMunicipality, PeriodKind, Release } from './types';

// The dashboard's state lives in its address, so that a view can be linked, reloaded and
// gone back to: /national?period=2026-Q3&level=county&colour=childrenReached&county=4.

export interface DashboardState extends TableFilter {
	/** A period id, or "" for the server's default. */
	readonly period: string;
	readonly level: MapLevel;
	/** `stage` or an indicator key. */
	readonly colour: string;
	readonly sort: TableSort;
	/** The indicator of the trend chart. */
	readonly trend: string;
}

export const DEFAULT_TREND = 'childrenReached';

const PERIOD = /^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/;

export function parseState(params: URLSearchParams): DashboardState {
	const period = params.get('period') ?? '';
	const county = Number(params.get('county'));
	const stage = params.get('stage');
	const colour = params.get('colour') ?? 'stage';
	const sortKey = params.get('sort') ?? DEFAULT_SORT.key;
	const trend = params.get('trend') ?? DEFAULT_TREND;
	return {
		period: PERIOD.test(period) ? period : '',
		level: params.get('level') === 'municipality' ? 'municipality' : 'county',
		colour: colour === 'stage' || isIndicatorKey(colour) ? colour : 'stage',
		county: Number.isInteger(county) && county > 0 ? county : null,
		stage: stage !== null && (stage === NO_STAGE || isStage(stage)) ? stage : null,
		q: (params.get('q') ?? '').slice(0, 100),
		sort: {
			key: ['name', 'county', 'stage'].includes(sortKey) || isIndicatorKey(sortKey) ? sortKey : DEFAULT_SORT.key,
			direction: params.get('dir') === 'descending' ? 'descending' : 'ascending'
		},
		trend: isIndicatorKey(trend) ? trend : DEFAULT_TREND
	};
}

/** The query string of a state, leaving out what is the default: "" or "?…". */
export function toQuery(state: DashboardState): string {
	const params = new URLSearchParams();
	if (state.period !== '') params.set('period', state.period);
	if (state.level !== 'county') params.set('level', state.level);
	if (state.colour !== 'stage') params.set('colour', state.colour);
	if (state.county !== null) params.set('county', String(state.county));
	if (state.stage !== null) params.set('stage', state.stage);
	if (state.q.trim() !== '') params.set('q', state.q.trim());
	if (state.sort.key !== DEFAULT_SORT.key || state.sort.direction !== DEFAULT_SORT.direction) {
		params.set('sort', state.sort.key);
		params.set('dir', state.sort.direction);
	}
	if (state.trend !== DEFAULT_TREND) params.set('trend', state.trend);
	const query = params.toString();
	return query === '' ? '' : `?${query}`;
}

/** The published releases, newest period first within each kind. */
export function publishedReleases(releases: readonly Release[]): Release[] {
	return releases
		.filter((r) => r.status === 'published')
		.sort((a, b) => (a.period === b.period ? b.version - a.version : a.period < b.period ? 1 : -1));
}

/** The kinds of period that have a published release, in the order month, quarter, year. */
export function releasedKinds(releases: readonly Release[]): PeriodKind[] {
	const kinds = new Set(publishedReleases(releases).map((r) => r.kind));
	return (['month', 'quarter', 'year'] as const).filter((k) => kinds.has(k));
}

/** The kind of a period id. */
export function kindOf(period: string): PeriodKind {
	if (/^\d{4}-Q[1-4]$/.test(period)) return 'quarter';
	if (/^\d{4}-\d{2}$/.test(period)) return 'month';
	return 'year';
}

/** The period of `kind` that holds `today` (`YYYY-MM-DD`). */
export function periodAt(kind: PeriodKind, today: string): string {
	const [year, month] = [today.slice(0, 4), Number(today.slice(5, 7))];
	if (kind === 'year') return year;
	if (kind === 'quarter') return `${year}-Q${Math.ceil(month / 3)}`;
	return today.slice(0, 7);
}

/** The period before `period`. */
export function previousPeriod(period: string): string {
	const kind = kindOf(period);
	const year = Number(period.slice(0, 4));
	if (kind === 'year') return String(year - 1);
	if (kind === 'quarter') {
		const q = Number(period.slice(6));
		return q === 1 ? `${year - 1}-Q4` : `${year}-Q${q - 1}`;
	}
	const month = Number(period.slice(5, 7));
	return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

/** How many recent periods of each kind the picker offers, released or not. */
const RECENT: Readonly<Record<PeriodKind, number>> = { month: 12, quarter: 8, year: 3 };

/**
 * The periods of `kind` to choose from, newest first: the recent ones (activity counts are
 * live for any period) and every one with a published release.
 */
export function periodChoices(releases: readonly Release[], kind: PeriodKind, today: string): string[] {
	const recent: string[] = [];
	for (let p = periodAt(kind, today), i = 0; i < RECENT[kind]; i++, p = previousPeriod(p)) recent.push(p);
	return [...new Set([...recent, ...periodsOfKind(releases, kind)])].sort().reverse();
}

/** The period shown when the address names none: the newest released quarter, else this quarter. */
export function defaultPeriod(releases: readonly Release[], today: string): string {
	const published = publishedReleases(releases);
	return published.find((r) => r.kind === 'quarter')?.period ?? periodAt('quarter', today);
}

/** Periods of one kind that have a published release, newest first, each once. */
export function periodsOfKind(releases: readonly Release[], kind: PeriodKind): string[] {
	return [...new Set(publishedReleases(releases).filter((r) => r.kind === kind).map((r) => r.period))];
}

/** The key a municipality's row is found by on the map: its SIRUTA code. */
export function municipalityKey(m: Pick<NationalMunicipality, 'siruta'>): string {
	return String(m.siruta);
}

/** The key a county's row is found by on the map: its two-letter code. */
export function countyKey(c: Pick<NationalCounty, 'code'>): string {
	return c.code.trim().toUpperCase();
}

/** The rows of `rows` by their map key. */
export function byKey<T>(rows: readonly T[], keyOf: (row: T) => string): Map<string, T> {
	return new Map(rows.map((row) => [keyOf(row), row]));
}

/** A period id in words: "noiembrie 2026", "Q3 2026", "2026". */
export function formatPeriod(period: string, locale: string, quarter: (q: string, year: string) => string): string {
	const month = /^(\d{4})-(\d{2})$/.exec(period);
	if (month) {
		const date = new Date(Date.UTC(Number(month[1]), Number(month[2]) - 1, 1));
		return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
	}
	const q = /^(\d{4})-Q([1-4])$/.exec(period);
	// As text: a year is not a number to group (2026, never 2.026).
	if (q) return quarter(q[2] as string, q[1] as string);
	return period;
}

/**
 * "14:05", the hour and minute in Romania at which a table of a period not yet over was
 * computed: such a table may be up to a minute behind (the server keeps it while children
 * answer rather than computing the whole country at every refresh).
 */
export function formatAsOf(iso: string, locale: string): string {
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) return iso;
	return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Europe/Bucharest' }).format(date);
}
