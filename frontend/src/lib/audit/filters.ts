/**
 * The audit log's filters as a value, and their two spellings: the page's
 * address (so a filtered view can be linked and survives a reload) and the
 * API's query, which are the same names. Defaults are left out.
 */
export interface AuditFilters {
	readonly municipality: number | null;
	readonly actor: string;
	readonly action: string;
	/** `YYYY-MM-DD`, or "" for no bound. */
	readonly from: string;
	readonly to: string;
	readonly page: number;
}

export const NO_FILTERS: AuditFilters = { municipality: null, actor: '', action: '', from: '', to: '', page: 1 };

export const AUDIT_PAGE_SIZE = 50;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function positive(raw: string | null): number | null {
	if (raw === null || !/^[1-9][0-9]{0,8}$/.test(raw)) return null;
	return Number(raw);
}

export function parseFilters(params: URLSearchParams): AuditFilters {
	const day = (name: string) => {
		const raw = params.get(name) ?? '';
		return DAY.test(raw) ? raw : '';
	};
	return {
		municipality: positive(params.get('municipality')),
		actor: (params.get('actor') ?? '').trim().slice(0, 254),
		action: (params.get('action') ?? '').trim().slice(0, 100),
		from: day('from'),
		to: day('to'),
		page: positive(params.get('page')) ?? 1
	};
}

export function toParams(filters: AuditFilters, withPaging = true): URLSearchParams {
	const params = new URLSearchParams();
	if (filters.municipality !== null) params.set('municipality', String(filters.municipality));
	if (filters.actor !== '') params.set('actor', filters.actor);
	if (filters.action !== '') params.set('action', filters.action);
	if (filters.from !== '') params.set('from', filters.from);
	if (filters.to !== '') params.set('to', filters.to);
	if (withPaging && filters.page > 1) params.set('page', String(filters.page));
	return params;
}

function withQuery(path: string, params: URLSearchParams): string {
	const query = params.toString();
	return query === '' ? path : `${path}?${query}`;
}

/** The page's own address for these filters. */
export function auditPagePath(filters: AuditFilters): string {
	return withQuery('/audit', toParams(filters));
}

/** The API request for one page of entries. */
export function auditApiPath(filters: AuditFilters): string {
	const params = toParams(filters);
	params.set('pageSize', String(AUDIT_PAGE_SIZE));
	return withQuery('/api/v1/audit', params);
}

/**
 * The CSV download of every entry matching the filters, not only the page shown, with its
 * actions and kinds of objects in words in `lang` (the page's language; Romanian, the
 * server's default, is left out).
 */
export function auditCsvPath(filters: AuditFilters, lang = 'ro'): string {
	const params = toParams(filters, false);
	if (lang !== 'ro') params.set('lang', lang);
	return withQuery('/api/v1/audit.csv', params);
}

/** An action as the server accepts it in a filter: a dotted name such as `municipality.stage`. */
export function isActionName(action: string): boolean {
	return action.length <= 64 && /^[a-z_]+(\.[a-z_]+)*$/.test(action);
}

/** One entry of `GET /api/v1/audit`. */
export interface AuditEntry {
	readonly id: string;
	readonly at: string;
	readonly actorEmail: string;
	readonly actorRole: string;
	/** Null for platform-wide changes (a sign-in, say). */
	readonly municipality: number | null;
	readonly municipalityName?: string;
	readonly action: string;
	readonly objectType: string;
	readonly objectId: string;
	/** The object in words where the reader may see it (a consultation's title, a person). */
	readonly objectName?: string;
	readonly requestId: string;
	readonly detail: string;
}
