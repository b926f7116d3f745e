import { describe, expect, it } from 'vitest';
import { translate } from '$lib/i18n/translate';
import { en } from '$lib/i18n/en';
import { hu } from '$lib/i18n/hu';
import { ro } from '$lib/i18n/ro';
import { areaKey, countyLabel, kindKey } from './labels';

describe('municipality labels', () => {
	it('translates every kind', () => {
		expect(translate(ro, 'ro', kindKey('municipality'))).toBe('municipiu');
		expect(translate(ro, 'ro', kindKey('town'))).toBe('oraș');
		expect(translate(ro, 'ro', kindKey('commune'))).toBe('comună');
		expect(translate(en, 'en', kindKey('commune'))).toBe('commune');
		expect(translate(hu, 'hu', kindKey('commune'))).toBe('község');
	});

	it('says urban or rural', () => {
		expect(translate(ro, 'ro', areaKey(true))).toBe('urban');
		expect(translate(hu, 'hu', areaKey(false))).toBe('vidéki');
	});

	it('names the county in each language', () => {
		const { key, params } = countyLabel({ county: 'Olt', countyCode: 28 });
		expect(translate(ro, 'ro', key, params)).toBe('județul Olt');
		expect(translate(en, 'en', key, params)).toBe('Olt County');
		expect(translate(hu, 'hu', key, params)).toBe('Olt megye');
	});

	it('does not call Bucharest a county', () => {
		const { key, params } = countyLabel({ county: 'București', countyCode: 40 });
		expect(translate(ro, 'ro', key, params)).toBe('municipiul București');
		expect(translate(en, 'en', key, params)).toBe('Bucharest');
	});
});
