import { getJSON, type ApiResult } from '$lib/api/client';
import type { Outcome, PublicMunicipality } from './types';

/** The public outcome of a consultation that opened, in `lang` where written. No sign-in. */
export function fetchOutcome(consultationId: string, lang: string): Promise<ApiResult<Outcome>> {
	return getJSON(`/api/v1/public/consultations/${encodeURIComponent(consultationId)}/outcome?lang=${encodeURIComponent(lang)}`);
}

/** A municipality's "you said, we did" page, in `lang`. No sign-in. */
export function fetchPublicMunicipality(siruta: number, lang: string): Promise<ApiResult<PublicMunicipality>> {
	return getJSON(`/api/v1/public/municipalities/${siruta}?lang=${encodeURIComponent(lang)}`);
}
