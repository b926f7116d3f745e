/** The JSON shapes of the national reporting API (/api/v1/national/*, NATIONAL.md). */

/**
 * One indicator value. A hidden cell and a source not recorded yet carry no value, and nothing
 * else about them: every hidden cell shows the same label, whatever hid it.
 */
export type Cell =
	| { readonly value: number; readonly hidden?: false; readonly notYetRecorded?: false }
	| { readonly value: null; readonly hidden: true; readonly notYetRecorded?: false }
	| { readonly value: null; readonly notYetRecorded: true; readonly hidden?: false };

/** Flat map of indicator keys (`childrenByAge.10_12`) to their cells. */
export type Indicators = Readonly<Record<string, Cell>>;

export type PeriodKind = 'month' | 'quarter' | 'year';

export interface Period {
	readonly id: string;
	readonly kind: PeriodKind | 'custom';
	readonly from: string;
	readonly to: string;
}

/** A frozen release of the children's figures for one period. */
export interface Release {
	readonly id: string;
	readonly period: string;
	readonly kind: PeriodKind;
	readonly version: number;
	readonly status: 'published' | 'blocked' | 'running' | string;
	readonly createdAt: string;
	readonly reason?: string;
}

export interface ReleaseRef {
	readonly id: string;
	readonly version: number;
	readonly createdAt: string;
}

export interface CountyRef {
	readonly id: number;
	readonly name: string;
	/** Two-letter code (`BC`), the key of the county map. */
	readonly code: string;
}

export interface NationalMunicipality {
	readonly siruta: number;
	readonly name: string;
	readonly county: CountyRef;
	readonly urban: boolean;
	/** A CFCI stage (see $lib/cfci/stages), or null when never enrolled. */
	readonly stage: string | null;
	readonly enrolled: boolean;
	readonly indicators: Indicators;
}

/** The municipalities table as the pages read it: every row with all its cells. */
export interface NationalMunicipalities {
	readonly period: Period;
	/** For a period not yet settled: when the figures were computed (up to a minute ago). */
	readonly asOf?: string;
	readonly release: ReleaseRef | null;
	readonly items: readonly NationalMunicipality[];
	readonly total: number;
}

/**
 * `GET /api/v1/national/municipalities` as sent: each column's most common cell once, in
 * `common`, and each row with only the cells that differ from it (readNationalMunicipalities).
 */
export interface NationalMunicipalitiesAnswer {
	readonly period: Period;
	readonly asOf?: string;
	readonly release: ReleaseRef | null;
	readonly common?: Indicators;
	readonly items: readonly (Omit<NationalMunicipality, 'indicators'> & { readonly indicators?: Indicators })[];
	readonly total: number;
}

export interface NationalCounty extends CountyRef {
	readonly municipalitiesEnrolled: number;
	/** How many of its municipalities are at each stage. */
	readonly stages: Readonly<Record<string, number>>;
	readonly indicators: Indicators;
}

/** `GET /api/v1/national/counties`. */
export interface NationalCounties {
	readonly period: Period;
	readonly release: ReleaseRef | null;
	readonly items: readonly NationalCounty[];
	readonly national: { readonly indicators: Indicators };
}

export interface TrendPoint {
	readonly period: string;
	readonly cell: Cell;
}

/** `GET /api/v1/national/trends`. */
export interface Trend {
	readonly indicator: string;
	readonly kind: PeriodKind;
	readonly points: readonly TrendPoint[];
}

/** `GET /api/v1/municipalities/:siruta/indicators`. */
export interface MunicipalityIndicators {
	readonly period: Period;
	/** For a period not yet settled: when the figures were computed (up to a minute ago). */
	readonly asOf?: string;
	readonly release: ReleaseRef | null;
	readonly municipality: {
		readonly siruta: number;
		readonly name: string;
		readonly county: CountyRef;
		readonly urban: boolean;
		readonly stage: string | null;
		readonly enrolled: boolean;
	};
	readonly indicators: Indicators;
	readonly childPopulation?: Readonly<Record<string, number | null>>;
}
