/** The JSON shapes of the REST API under /api/v1, as the server sends them. */

export type MunicipalityKind = 'municipality' | 'town' | 'commune';

export interface Municipality {
	readonly siruta: number;
	readonly name: string;
	readonly county: string;
	readonly countyCode: number;
	readonly kind: MunicipalityKind;
	readonly urban: boolean;
	readonly enrolled: boolean;
	/** The CFCI stage (see $lib/cfci/stages); null when never enrolled. */
	readonly stage?: string | null;
	/** The day the stage took effect, `YYYY-MM-DD`; null when never enrolled. */
	readonly stageSince?: string | null;
}

export interface County {
	readonly code: number;
	readonly name: string;
	readonly abbrev: string;
}

export interface Page<T> {
	readonly items: readonly T[];
	readonly total: number;
	readonly page: number;
	readonly pageSize: number;
}

export interface List<T> {
	readonly items: readonly T[];
}
