import { getJSON, type ApiResult } from '$lib/api/client';
import { isStage } from '$lib/cfci/stages';
import type {
	MunicipalityIndicators,
	NationalCounties,
	NationalMunicipalities,
	NationalMunicipalitiesAnswer,
	NationalMunicipality,
	PeriodKind,
	Release,
	Trend
} from './types';

// The pages read one shape: a municipality never enrolled has the stage null (the server may
// send ""), and a row without indicators has an empty map.
function normalMunicipality<T extends Pick<NationalMunicipality, 'stage'>>(m: T): T {
	return { ...m, stage: isStage(m.stage) ? m.stage : null };
}

function mapped<T, U>(answer: ApiResult<T>, f: (data: T) => U): ApiResult<U> {
	return answer.ok ? { ok: true, data: f(answer.data) } : answer;
}

function query(params: Record<string, string | number | null | undefined>): string {
	const search = new URLSearchParams();
	for (const [name, value] of Object.entries(params)) {
		if (value !== null && value !== undefined && value !== '') search.set(name, String(value));
	}
	const text = search.toString();
	return text === '' ? '' : `?${text}`;
}

export function listReleases(signal?: AbortSignal): Promise<ApiResult<{ items: Release[] }>> {
	return getJSON(`/api/v1/national/releases`, { signal });
}

/**
 * The table as the pages read it: the server says each column's most common cell once, in
 * `common`, and leaves it out of the rows that share it; each row gets its cells back over
 * the common ones.
 */
export function readNationalMunicipalities(data: NationalMunicipalitiesAnswer): NationalMunicipalities {
	const common = data.common ?? {};
	return {
		period: data.period,
		...(data.asOf === undefined ? {} : { asOf: data.asOf }),
		release: data.release,
		total: data.total,
		items: (data.items ?? []).map((m) => ({ ...normalMunicipality(m), indicators: { ...common, ...(m.indicators ?? {}) } }))
	};
}

/** Every municipality enrolled or active in the period (the page filters them itself). */
export async function nationalMunicipalities(period: string, signal?: AbortSignal): Promise<ApiResult<NationalMunicipalities>> {
	const answer = await getJSON<NationalMunicipalitiesAnswer>(`/api/v1/national/municipalities${query({ period })}`, { signal });
	return mapped(answer, readNationalMunicipalities);
}

export async function nationalCounties(period: string, signal?: AbortSignal): Promise<ApiResult<NationalCounties>> {
	const answer = await getJSON<NationalCounties>(`/api/v1/national/counties${query({ period })}`, { signal });
	return mapped(answer, (data) => ({
		...data,
		items: (data.items ?? []).map((c) => ({ ...c, stages: c.stages ?? {}, indicators: c.indicators ?? {} })),
		national: { indicators: data.national?.indicators ?? {} }
	}));
}

export function nationalTrend(
	indicator: string,
	kind: PeriodKind,
	where: { county?: number | null; siruta?: number | null },
	signal?: AbortSignal
): Promise<ApiResult<Trend>> {
	return getJSON(`/api/v1/national/trends${query({ indicator, kind, county: where.county, siruta: where.siruta })}`, { signal });
}

export async function municipalityIndicators(siruta: number, period: string, signal?: AbortSignal): Promise<ApiResult<MunicipalityIndicators>> {
	const answer = await getJSON<MunicipalityIndicators>(`/api/v1/municipalities/${siruta}/indicators${query({ period })}`, { signal });
	return mapped(answer, (data) => ({ ...data, municipality: normalMunicipality(data.municipality), indicators: data.indicators ?? {} }));
}

/** The national dashboard. */
export const NATIONAL_PATH = '/national';

/** One municipality's page on the dashboard. */
export function drillDownPath(siruta: number, period = ''): string {
	return `/national/municipalities/${siruta}${period === '' ? '' : `?period=${encodeURIComponent(period)}`}`;
}
