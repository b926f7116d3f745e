/**
 * The municipality search as a value, and its two spellings: the page's URL
 * query (so a search can be linked and survives reload and back/forward)
 * and the API's query. Both use the same names, and defaults are left out.
 */
export interface SearchState {
	/** Text to find in the name; the server ignores case and diacritics. */
	readonly q: string;
	/** A county code, or null for every county. */
	readonly county: number | null;
	/** Only units enrolled in the Child Friendly Cities Initiative. */
	readonly enrolled: boolean;
	/** 1-based. */
	readonly page: number;
}

export const EMPTY_SEARCH: SearchState = { q: '', county: null, enrolled: false, page: 1 };

/** Longest name fragment sent to the server; real names are far shorter. */
export const MAX_QUERY_LENGTH = 100;

function positiveInteger(raw: string | null): number | null {
	if (raw === null || !/^[0-9]+$/.test(raw)) return null;
	const value = Number(raw);
	return Number.isSafeInteger(value) && value > 0 ? value : null;
}

/** Reads a search from a URL query; anything malformed falls back to its default. */
export function parseSearch(params: URLSearchParams): SearchState {
	return {
		q: (params.get('q') ?? '').trim().slice(0, MAX_QUERY_LENGTH),
		county: positiveInteger(params.get('county')),
		enrolled: params.get('enrolled') === 'true',
		page: positiveInteger(params.get('page')) ?? 1
	};
}

/** Writes a search as a URL query, leaving defaults out: the empty search is "". */
export function toSearchParams(search: SearchState): URLSearchParams {
	const params = new URLSearchParams();
	const q = search.q.trim();
	if (q !== '') params.set('q', q);
	if (search.county !== null) params.set('county', String(search.county));
	if (search.enrolled) params.set('enrolled', 'true');
	if (search.page > 1) params.set('page', String(search.page));
	return params;
}

/** `?q=…` for a link, or "" for the empty search (a link to the bare path). */
export function toQueryString(search: SearchState): string {
	const query = toSearchParams(search).toString();
	return query === '' ? '' : `?${query}`;
}

/** The API request for a search. */
export function municipalitiesPath(search: SearchState): string {
	return `/api/v1/municipalities${toQueryString(search)}`;
}

/** How many pages `total` results fill; at least 1, so "page 1 of 1" reads right. */
export function pageCount(total: number, pageSize: number): number {
	if (pageSize <= 0) return 1;
	return Math.max(1, Math.ceil(total / pageSize));
}

/** The same search on another page. */
export function onPage(search: SearchState, page: number): SearchState {
	return { ...search, page };
}
