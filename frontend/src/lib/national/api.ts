import { getJSON, type ApiResult } from '$lib/api/client';
import type { MunicipalityIndicators, NationalCounties, NationalMunicipalities, PeriodKind, Release, Trend } from './types';

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

/** Every municipality enrolled or active in the period (the page filters them itself). */
export function nationalMunicipalities(period: string, signal?: AbortSignal): Promise<ApiResult<NationalMunicipalities>> {
	return getJSON(`/api/v1/national/municipalities${query({ period })}`, { signal });
}

export function nationalCounties(period: string, signal?: AbortSignal): Promise<ApiResult<NationalCounties>> {
	return getJSON(`/api/v1/national/counties${query({ period })}`, { signal });
}

export function nationalTrend(
	indicator: string,
	kind: PeriodKind,
	where: { county?: number | null; siruta?: number | null },
	signal?: AbortSignal
): Promise<ApiResult<Trend>> {
	return getJSON(`/api/v1/national/trends${query({ indicator, kind, county: where.county, siruta: where.siruta })}`, { signal });
}

export function municipalityIndicators(siruta: number, period: string, signal?: AbortSignal): Promise<ApiResult<MunicipalityIndicators>> {
	return getJSON(`/api/v1/municipalities/${siruta}/indicators${query({ period })}`, { signal });
}

/** The national dashboard. */
export const NATIONAL_PATH = '/national';

/** One municipality's page on the dashboard. */
export function drillDownPath(siruta: number): string {
	return `/national/municipalities/${siruta}`;
}
