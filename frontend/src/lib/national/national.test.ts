import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { enAdult } from '$lib/i18n/adult/en';
import { huAdult } from '$lib/i18n/adult/hu';
import { roAdult } from '$lib/i18n/adult/ro';
import { en } from '$lib/i18n/en';
import { hu } from '$lib/i18n/hu';
import { ro } from '$lib/i18n/ro';
import { translate } from '$lib/i18n/translate';
import type { AdultMessageKey, Locale, Translate } from '$lib/i18n/adult';
import { cellState, cellValue, formatCell } from './cells';
import { shapeOf, viewBoxOf } from './geo';
import { INDICATOR_KEYS, indicatorLabel, TABLE_KEYS } from './indicators';
import { binOf, binsFor, fillForCell, fillForStage, HIDDEN_PATTERN, NO_DATA_FILL, NOT_RECORDED_PATTERN, SEQUENTIAL, STAGE_COLOURS } from './scale';
import { byKey, countyKey, defaultPeriod, formatAsOf, formatPeriod, kindOf, municipalityKey, parseState, periodAt, periodChoices, periodsOfKind, previousPeriod, releasedKinds, toQuery } from './state';
import { ariaSort, filterMunicipalities, fold, nextSort, NO_STAGE, sortMunicipalities } from './table';
import { readNationalMunicipalities } from './api';
import type { NationalCounties, NationalMunicipalitiesAnswer, Release, Trend } from './types';
import countiesFixture from './fixtures/counties.json';
import municipalitiesFixture from './fixtures/municipalities.json';
import releasesFixture from './fixtures/releases.json';
import trendFixture from './fixtures/trend.json';

// The fixtures are shaped exactly as the national API's answers (NATIONAL.md).
const municipalities = readNationalMunicipalities(municipalitiesFixture as unknown as NationalMunicipalitiesAnswer);
const counties = countiesFixture as unknown as NationalCounties;
const releases = releasesFixture.items as unknown as Release[];
const trend = trendFixture as unknown as Trend;

const dictionaries = { ro: { ...ro, ...roAdult }, en: { ...en, ...enAdult }, hu: { ...hu, ...huAdult } };
function tr(locale: Locale): Translate<AdultMessageKey> {
	return (key, params) => translate(dictionaries[locale], locale, key, params);
}

const names = (items: readonly { name: string; county: { code: string } }[]) => items.map((m) => `${m.name} ${m.county.code}`);

describe('cells', () => {
	it('show one label for every hidden cell, in each language, and never 0 for a source not recorded', () => {
		const colonesti = municipalities.items.find((m) => m.siruta === 21891)!;
		expect(formatCell(colonesti.indicators.childrenReached, 'childrenReached', 'en', tr('en'))).toBe('hidden to protect children');
		expect(formatCell(colonesti.indicators['childrenByAge.under_10'], 'childrenByAge.under_10', 'ro', tr('ro'))).toBe('ascuns pentru a proteja copiii');
		expect(formatCell(colonesti.indicators.childrenReached, 'childrenReached', 'hu', tr('hu'))).toBe('a gyermekek védelmében elrejtve');
		expect(formatCell(colonesti.indicators.meetingsHeld, 'meetingsHeld', 'en', tr('en'))).toBe('not yet recorded');
		expect(formatCell(colonesti.indicators.sessionsSelfPaced, 'sessionsSelfPaced', 'en', tr('en'))).toBe('0');
		expect(cellValue(colonesti.indicators.meetingsHeld)).toBeNull();
		expect(cellState(undefined)).toBe('missing');
	});

	it('format ratios as percentages and medians with a decimal', () => {
		const bacau = municipalities.items.find((m) => m.siruta === 20297)!;
		expect(formatCell(bacau.indicators['representativeness.10_12'], 'representativeness.10_12', 'en', tr('en'))).toBe('42%');
		expect(formatCell(bacau.indicators.medianDaysToFeedback, 'medianDaysToFeedback', 'ro', tr('ro'))).toBe('21,5');
		expect(formatCell({ value: 3181 }, 'childrenReached', 'ro', tr('ro'))).toBe('3.181');
	});

	it('name every indicator in every language', () => {
		for (const locale of ['ro', 'en', 'hu'] as const) {
			for (const key of [...INDICATOR_KEYS, ...TABLE_KEYS]) {
				const label = indicatorLabel(key, tr(locale));
				expect(label, `${locale} ${key}`).toBeTruthy();
				expect(label, `${locale} ${key}`).not.toMatch(/national\.|ageBand\.|gender\.|groupFacts\.|\{/);
			}
		}
		expect(indicatorLabel('childrenByAge.40_50', tr('en'))).toBeNull();
		expect(indicatorLabel('somethingNew', tr('en'))).toBeNull();
		expect(indicatorLabel('childrenByAge.10_12', tr('en'))).toBe('Children, 10–12');
	});
});

describe('the municipalities table', () => {
	it('reads each row over the cells the server says once per column', () => {
		const row = (siruta: number) => municipalities.items.find((m) => m.siruta === siruta)?.indicators ?? {};
		// Corbasca sent only its own children: the common live session and meetings come back.
		expect(row(21971)).toEqual({
			childrenReached: { value: 9 },
			sessionsLive: { value: 1 },
			meetingsHeld: { value: null, notYetRecorded: true }
		});
		// A row's own cell wins over the common one.
		expect(row(20297).sessionsLive).toEqual({ value: 14 });
		expect(cellState(row(20297).childrenReached)).toBe('value');
		// A row sent without indicators has every common cell, the hidden one still hidden.
		expect(cellState(row(126228).childrenReached)).toBe('hidden');
		expect(cellState(row(126228).meetingsHeld)).toBe('notYetRecorded');
		expect(cellValue(row(126228).sessionsLive)).toBe(1);
		// Every row, and an answer without common cells is read as it is.
		expect(municipalities.items.every((m) => cellState(m.indicators.meetingsHeld) === 'notYetRecorded')).toBe(true);
		const plain = readNationalMunicipalities({ ...municipalitiesFixture, common: undefined } as unknown as NationalMunicipalitiesAnswer);
		expect(plain.items.find((m) => m.siruta === 21971)?.indicators).toEqual({ childrenReached: { value: 9 } });
		expect(plain.items.find((m) => m.siruta === 126228)?.indicators).toEqual({});
	});

	it('says when a table of a period not over was computed, in Romania\'s hours, and nothing for one settled', () => {
		const asOf = '2026-11-23T12:05:40Z';
		const live = readNationalMunicipalities({ ...municipalitiesFixture, asOf } as unknown as NationalMunicipalitiesAnswer);
		expect(live.asOf).toBe(asOf);
		expect(municipalities.asOf).toBeUndefined();
		const time = formatAsOf(asOf, 'ro');
		expect(time).toBe('14:05');
		expect(formatAsOf(asOf, 'hu')).toBe('14:05');
		expect(tr('ro')('national.asOf', { time })).toContain('14:05');
		expect(tr('en')('national.asOf', { time })).toBe('Figures as of 14:05. The period is not over: they may be up to a minute behind.');
		expect(tr('hu')('national.asOf', { time })).toContain('14:05');
	});

	it('filters by county, by stage and by name without diacritics', () => {
		const all = municipalities.items;
		expect(names(filterMunicipalities(all, { county: 4, stage: null, q: '' }))).toEqual(['Municipiul Bacău BC', 'Colonești BC', 'Corbasca BC']);
		expect(names(filterMunicipalities(all, { county: null, stage: 'action_plan_adopted', q: '' }))).toEqual(['Municipiul Brașov BV']);
		expect(names(filterMunicipalities(all, { county: null, stage: NO_STAGE, q: '' }))).toEqual(['Colonești OT']);
		expect(names(filterMunicipalities(all, { county: null, stage: null, q: 'colonesti' }))).toEqual(['Colonești BC', 'Colonești OT']);
		expect(names(filterMunicipalities(all, { county: 4, stage: null, q: ' COLONEȘTI ' }))).toEqual(['Colonești BC']);
		expect(filterMunicipalities(all, { county: 8, stage: 'implementation', q: '' })).toEqual([]);
		expect(fold('Brașov Ştefăneşti Târgu')).toBe('brasov stefanesti targu');
	});

	it('sorts by name in the page’s language, and by stage along the cycle', () => {
		const all = municipalities.items;
		expect(names(sortMunicipalities(all, { key: 'name', direction: 'ascending' }, 'ro'))).toEqual([
			'Colonești BC',
			'Colonești OT',
			'Corbasca BC',
			'Municipiul Bacău BC',
			'Municipiul Brașov BV'
		]);
		expect(sortMunicipalities(all, { key: 'stage', direction: 'ascending' }, 'ro').map((m) => m.stage)).toEqual([
			'memorandum_signed',
			'situation_analysis',
			'action_plan_adopted',
			'implementation',
			null
		]);
		expect(sortMunicipalities(all, { key: 'stage', direction: 'descending' }, 'ro').map((m) => m.stage).at(-1)).toBeNull();
	});

	it('sorts numbers, with hidden cells after every number in both directions', () => {
		const all = municipalities.items;
		const reached = (direction: 'ascending' | 'descending') =>
			sortMunicipalities(all, { key: 'childrenReached', direction }, 'en').map((m) => formatCell(m.indicators.childrenReached, 'childrenReached', 'en', tr('en')));
		expect(reached('descending')).toEqual(['540', '212', '9', 'hidden to protect children', 'hidden to protect children']);
		expect(reached('ascending')).toEqual(['9', '212', '540', 'hidden to protect children', 'hidden to protect children']);
		// Not recorded comes after hidden, and missing after both.
		const median = sortMunicipalities(all, { key: 'medianDaysToFeedback', direction: 'descending' }, 'en').map((m) => cellState(m.indicators.medianDaysToFeedback));
		expect(median).toEqual(['value', 'notYetRecorded', 'missing', 'missing', 'missing']);
	});

	it('turns a click on a header into the next sort, and says it with aria-sort', () => {
		const byName = { key: 'name', direction: 'ascending' } as const;
		expect(nextSort(byName, 'name')).toEqual({ key: 'name', direction: 'descending' });
		expect(nextSort(byName, 'childrenReached')).toEqual({ key: 'childrenReached', direction: 'descending' });
		expect(nextSort({ key: 'childrenReached', direction: 'descending' }, 'childrenReached').direction).toBe('ascending');
		expect(ariaSort(byName, 'name')).toBe('ascending');
		expect(ariaSort(byName, 'county')).toBe('none');
	});
});

describe('colour scales', () => {
	it('give each stage its colour and an unlisted municipality none', () => {
		expect(fillForStage('action_plan_adopted')).toBe(STAGE_COLOURS.action_plan_adopted);
		expect(new Set(Object.values(STAGE_COLOURS)).size).toBe(Object.keys(STAGE_COLOURS).length);
		expect(fillForStage(null)).toBe(NO_DATA_FILL);
		expect(fillForStage('not_a_stage')).toBe(NO_DATA_FILL);
	});

	it('step counts in whole numbers, darker for more, and fill hidden and unrecorded cells with patterns', () => {
		const values = municipalities.items.map((m) => cellValue(m.indicators.childrenReached)).filter((v) => v !== null);
		const bins = binsFor(values, true);
		expect(bins).toHaveLength(5);
		expect(bins[0]!.from).toBe(0);
		expect(bins.at(-1)!.to).toBe(540);
		for (let i = 1; i < bins.length; i++) {
			expect(bins[i]!.from).toBe(bins[i - 1]!.to + 1);
			expect(Number.isInteger(bins[i]!.from)).toBe(true);
		}
		expect(bins.map((b) => b.colour)).toEqual([...SEQUENTIAL]);
		expect(binOf(bins, 9)!.colour).toBe(SEQUENTIAL[0]);
		expect(binOf(bins, 212)!.colour).toBe(SEQUENTIAL[1]);
		expect(binOf(bins, 540)!.colour).toBe(SEQUENTIAL[4]);
		const colonesti = municipalities.items.find((m) => m.siruta === 21891)!;
		expect(fillForCell(colonesti.indicators.childrenReached, bins)).toBe(`url(#${HIDDEN_PATTERN})`);
		expect(fillForCell(colonesti.indicators.meetingsHeld, bins)).toBe(`url(#${NOT_RECORDED_PATTERN})`);
		expect(fillForCell(undefined, bins)).toBe(NO_DATA_FILL);
		expect(fillForCell({ value: 540 }, bins)).toBe(SEQUENTIAL[4]);
	});

	it('start at zero, use no more steps than whole numbers allow, and show nothing but zeros in the lightest', () => {
		expect(binsFor([1, 2], true).map((b) => [b.from, b.to, b.colour])).toEqual([
			[0, 0, SEQUENTIAL[2]],
			[1, 1, SEQUENTIAL[3]],
			[2, 2, SEQUENTIAL[4]]
		]);
		expect(binsFor([0, 0], true)).toEqual([{ from: 0, to: 0, colour: SEQUENTIAL[0] }]);
		expect(binOf(binsFor([7, 7], true), 7)!.colour).toBe(SEQUENTIAL[4]);
		expect(binsFor([], true)).toEqual([]);
		const ratios = binsFor([0.1, 0.9], false);
		expect(ratios).toHaveLength(5);
		expect(ratios[0]!.from).toBe(0);
		expect(ratios[4]!.to).toBeCloseTo(0.9);
		expect(binOf(ratios, 0.1)!.colour).toBe(SEQUENTIAL[0]);
	});
});

describe('the map', () => {
	const geo = (name: string) => JSON.parse(readFileSync(fileURLToPath(new URL(`../../../static/geo/${name}`, import.meta.url)), 'utf8'));
	const uats = shapeOf(geo('romania-uats.topo.json'), 'municipality');
	const countyShapes = shapeOf(geo('romania-counties.topo.json'), 'county');

	it('draws every administrative unit and county, keyed by SIRUTA and county code', () => {
		expect(uats.regions.length).toBeGreaterThanOrEqual(3180);
		expect(countyShapes.regions).toHaveLength(42);
		expect(new Set(uats.regions.map((r) => r.key)).size).toBe(uats.regions.length);
		for (const r of [...uats.regions, ...countyShapes.regions]) expect(r.d).toMatch(/^M[\d.-]/);
		expect(uats.borders).not.toBe('');
		expect(countyShapes.outline).not.toBe('');
	});

	it('finds each municipality of the API by its SIRUTA code, not by its name', () => {
		const regions = byKey(uats.regions, (r) => r.key);
		for (const m of municipalities.items) expect(regions.has(municipalityKey(m)), m.name).toBe(true);
		// The two Colonești are two places, in their own counties.
		expect(regions.get('21891')!.county).toBe('BC');
		expect(regions.get('126228')!.county).toBe('OT');
		expect(regions.get('21891')!.d).not.toBe(regions.get('126228')!.d);
	});

	it('finds each county of the API by its two-letter code', () => {
		const regions = byKey(countyShapes.regions, (r) => r.key);
		for (const c of counties.items) expect(regions.get(countyKey(c))?.label).toBe(c.name);
		expect(regions.has('B')).toBe(true);
	});
});

describe('the dashboard’s address and periods', () => {
	it('reads and writes the view, leaving out the defaults', () => {
		const state = parseState(new URLSearchParams('period=2026-Q3&level=municipality&colour=childrenReached&county=4&stage=implementation&q=bac&sort=childrenReached&dir=descending&trend=sessionsLive'));
		expect(state).toEqual({
			period: '2026-Q3',
			level: 'municipality',
			colour: 'childrenReached',
			county: 4,
			stage: 'implementation',
			q: 'bac',
			sort: { key: 'childrenReached', direction: 'descending' },
			trend: 'sessionsLive'
		});
		expect(parseState(new URLSearchParams(toQuery(state).slice(1)))).toEqual(state);
		const bad = parseState(new URLSearchParams('period=2026-Q5&level=x&colour=<b>&county=-1&stage=nope&sort=evil&trend=x'));
		expect(toQuery(bad)).toBe('');
	});

	it('offers recent periods and the published releases, newest first, and opens on the newest released quarter', () => {
		expect(releasedKinds(releases)).toEqual(['month', 'quarter', 'year']);
		expect(periodsOfKind(releases, 'quarter')).toEqual(['2026-Q3', '2026-Q2']);
		expect(defaultPeriod(releases, '2026-12-07')).toBe('2026-Q3');
		expect(defaultPeriod([], '2026-12-07')).toBe('2026-Q4');
		expect(periodChoices(releases, 'quarter', '2026-12-07')).toEqual(['2026-Q4', '2026-Q3', '2026-Q2', '2026-Q1', '2025-Q4', '2025-Q3', '2025-Q2', '2025-Q1']);
		expect(periodChoices(releases, 'year', '2026-02-01')).toEqual(['2026', '2025', '2024']);
		expect(periodChoices([], 'month', '2026-02-15').slice(0, 3)).toEqual(['2026-02', '2026-01', '2025-12']);
		expect(periodChoices(releases, 'month', '2027-12-01')).toHaveLength(13);
		expect(periodAt('quarter', '2026-01-01')).toBe('2026-Q1');
		expect(previousPeriod('2026-Q1')).toBe('2025-Q4');
		expect(kindOf('2026-11')).toBe('month');
		expect(kindOf('2026-Q1')).toBe('quarter');
		expect(kindOf('2026')).toBe('year');
	});

	it('names periods in words, a year without a thousands separator', () => {
		const quarter = (locale: Locale) => (q: string, year: string) => tr(locale)('national.period.quarter', { q, year });
		expect(formatPeriod('2026-Q3', 'ro', quarter('ro'))).toBe('trimestrul 3 2026');
		expect(formatPeriod('2026-Q3', 'hu', quarter('hu'))).toBe('2026. 3. negyedév');
		expect(formatPeriod('2026-11', 'en', quarter('en'))).toBe('November 2026');
		expect(formatPeriod('2026', 'ro', quarter('ro'))).toBe('2026');
		expect(trend.points.map((p) => cellState(p.cell))).toEqual(['value', 'hidden', 'value']);
	});
});

describe('the map close up', () => {
	const geo = (name: string) => JSON.parse(readFileSync(fileURLToPath(new URL(`../../../static/geo/${name}`, import.meta.url)), 'utf8'));
	const uats = shapeOf(geo('romania-uats.topo.json'), 'municipality');

	it('shows one county with its proportions kept, and the whole country otherwise', () => {
		expect(viewBoxOf(uats, null)).toBe('0 0 800 560');
		expect(viewBoxOf(uats, 'ZZ')).toBe('0 0 800 560');
		const [x, y, w, h] = viewBoxOf(uats, 'bc').split(' ').map(Number) as [number, number, number, number];
		expect(w).toBeLessThan(200);
		expect(w / h).toBeCloseTo(800 / 560, 1);
		// Colonești (Bacău) is inside the box; Colonești (Olt) is not.
		const inBox = (key: string) => {
			const r = uats.regions.find((region) => region.key === key)!;
			return r.bounds[0][0] >= x && r.bounds[1][0] <= x + w && r.bounds[0][1] >= y && r.bounds[1][1] <= y + h;
		};
		expect(inBox('21891')).toBe(true);
		expect(inBox('126228')).toBe(false);
	});
});
