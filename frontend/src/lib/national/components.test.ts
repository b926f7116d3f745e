import { render } from 'svelte/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAdultMessages, useLocale } from '$lib/i18n';
import NationalTable from '$lib/components/NationalTable.svelte';
import TrendChart from '$lib/components/TrendChart.svelte';
import MapLegend from '$lib/components/MapLegend.svelte';
import { HIDDEN_PATTERN } from './scale';
import { readNationalMunicipalities } from './api';
import type { NationalMunicipalitiesAnswer, Trend } from './types';
import municipalitiesFixture from './fixtures/municipalities.json';
import trendFixture from './fixtures/trend.json';

// The dashboard's components rendered to HTML from the fixtures (shaped as the API answers).
const municipalities = readNationalMunicipalities(municipalitiesFixture as unknown as NationalMunicipalitiesAnswer);

beforeAll(async () => {
	await loadAdultMessages();
	await useLocale('en');
});

/** The HTML without Svelte's scoping classes and markers. */
function clean(html: string): string {
	return html
		.replace(/<!--.*?-->/gs, '')
		.replace(/\s*svelte-[a-z0-9]+/g, '')
		.replace(/ class=""/g, '');
}

function rowsOf(html: string): string[] {
	return [...html.matchAll(/<tr>(.*?)<\/tr>/gs)].map(([, row]) => (row ?? '').replace(/<!--.*?-->/gs, '').replace(/<[^>]+>/g, '|').replace(/\|+/g, '|'));
}

describe('NationalTable', () => {
	it('marks the sorted column with aria-sort, puts a button in every header, and shows the one hidden label', () => {
		const { body: raw } = render(NationalTable, {
			props: {
				items: municipalities.items,
				indicators: ['childrenReached', 'meetingsHeld'],
				sort: { key: 'childrenReached', direction: 'descending' },
				onsort: () => {},
				caption: 'Municipalities'
			}
		});
		const body = clean(raw);
		expect(body).toContain('<caption id="national-table-caption">Municipalities</caption>');
		expect(body.match(/<th scope="col" aria-sort="descending">/g)).toHaveLength(1);
		expect(body.match(/<th scope="col" aria-sort="none">/g)).toHaveLength(4);
		expect(body.match(/<button type="button" class="sort"/g)).toHaveLength(5);
		const rows = rowsOf(body).slice(1);
		expect(rows[0]).toContain('Municipiul Brașov|Brașov|action plan adopted|540|not yet recorded|');
		expect(rows.at(-1)).toMatch(/Colonești\|Olt\|not enrolled\|hidden to protect children\|not yet recorded\|/);
		expect(body).toContain('href="/national/municipalities/21891"');
		expect(body).not.toMatch(/>0</);
	});
});

describe('TrendChart', () => {
	it('has its numbers in a table, a hidden point with the one label and a hatched stub', () => {
		const { body: raw } = render(TrendChart, { props: { trend: trendFixture as unknown as Trend, label: 'Children reached' } });
		const body = clean(raw);
		expect(body).toContain('<caption>Children reached</caption>');
		const rows = rowsOf(body).slice(1);
		expect(rows).toEqual(['|Q1 2026|120|', '|Q2 2026|hidden to protect children|', '|Q3 2026|766|']);
		expect(body).toContain(`url(#${HIDDEN_PATTERN})`);
		expect(body).toMatch(/<svg[^>]*aria-hidden="true"/);
	});
});

describe('MapLegend', () => {
	it('names every colour in words', () => {
		const { body: raw } = render(MapLegend, {
			props: { title: 'Stage', entries: [{ fill: '#1fa187', label: 'action plan adopted' }, { fill: `url(#${HIDDEN_PATTERN})`, label: 'hidden to protect children' }] }
		});
		const body = clean(raw);
		expect(body).toContain('<figcaption>Stage</figcaption>');
		expect(body).toContain('action plan adopted');
		expect(body).toContain(`fill="url(#${HIDDEN_PATTERN})"`);
	});
});
