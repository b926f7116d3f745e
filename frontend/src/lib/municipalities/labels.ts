import type { MessageKey } from '$lib/i18n/types';
import type { Municipality, MunicipalityKind } from '$lib/api/types';

const KIND_KEYS: Readonly<Record<MunicipalityKind, MessageKey>> = {
	municipality: 'kind.municipality',
	town: 'kind.town',
	commune: 'kind.commune'
};

/** The translated name of a unit's kind (municipiu, oraș, comună). */
export function kindKey(kind: MunicipalityKind): MessageKey {
	return KIND_KEYS[kind];
}

export function areaKey(urban: boolean): MessageKey {
	return urban ? 'area.urban' : 'area.rural';
}

/** SIRUTA's code for Bucharest, which is a municipality, not part of a county. */
export const BUCHAREST_COUNTY_CODE = 40;

/**
 * How to say where a unit is: "județul Olt", or for Bucharest, which has no
 * county, its own name.
 */
export function countyLabel(
	municipality: Pick<Municipality, 'county' | 'countyCode'>
): { key: MessageKey; params: { county: string } } {
	const key = municipality.countyCode === BUCHAREST_COUNTY_CODE ? 'municipalities.capital' : 'municipalities.countyOf';
	return { key, params: { county: municipality.county } };
}
