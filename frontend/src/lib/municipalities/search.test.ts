import { describe, expect, it } from 'vitest';
import {
	EMPTY_SEARCH,
	MAX_QUERY_LENGTH,
	municipalitiesPath,
	onPage,
	pageCount,
	parseSearch,
	toQueryString,
	toSearchParams,
	type SearchState
} from './search';

const parse = (query: string) => parseSearch(new URLSearchParams(query));

describe('parseSearch', () => {
	it('reads every field', () => {
		expect(parse('q=colonesti&county=4&enrolled=true&page=2')).toEqual({
			q: 'colonesti',
			county: 4,
			enrolled: true,
			page: 2
		});
	});

	it('gives the empty search for an empty query', () => {
		expect(parse('')).toEqual(EMPTY_SEARCH);
	});

	it('keeps diacritics and trims spaces', () => {
		expect(parse('q=%20Bra%C8%99ov%20').q).toBe('Brașov');
	});

	it.each(['page=0', 'page=-1', 'page=1.5', 'page=abc', 'page=', 'page=99999999999999999999'])(
		'falls back to page 1 for %s',
		(query) => {
			expect(parse(query).page).toBe(1);
		}
	);

	it.each(['county=', 'county=x', 'county=-4', 'county=4.5'])('ignores a malformed county: %s', (query) => {
		expect(parse(query).county).toBeNull();
	});

	it('treats only enrolled=true as the filter', () => {
		expect(parse('enrolled=true').enrolled).toBe(true);
		expect(parse('enrolled=1').enrolled).toBe(false);
		expect(parse('enrolled=false').enrolled).toBe(false);
	});

	it('caps the length of the name fragment', () => {
		expect(parse(`q=${'a'.repeat(500)}`).q).toHaveLength(MAX_QUERY_LENGTH);
	});

	it('ignores unrelated parameters such as lang', () => {
		expect(parse('lang=hu&q=x')).toEqual({ ...EMPTY_SEARCH, q: 'x' });
	});
});

describe('toSearchParams', () => {
	it('leaves defaults out', () => {
		expect(toSearchParams(EMPTY_SEARCH).toString()).toBe('');
		expect(toQueryString(EMPTY_SEARCH)).toBe('');
	});

	it('writes every field that is set', () => {
		const search: SearchState = { q: 'Colonești', county: 28, enrolled: true, page: 3 };
		expect(toSearchParams(search).toString()).toBe('q=Colone%C8%99ti&county=28&enrolled=true&page=3');
	});

	it('drops a blank name', () => {
		expect(toQueryString({ ...EMPTY_SEARCH, q: '   ' })).toBe('');
	});

	it.each<SearchState>([
		EMPTY_SEARCH,
		{ q: 'brasov', county: null, enrolled: false, page: 1 },
		{ q: 'Sfântu Gheorghe & co', county: 14, enrolled: true, page: 7 },
		{ q: '', county: 40, enrolled: false, page: 2 }
	])('round-trips %j through the URL', (search) => {
		expect(parseSearch(new URLSearchParams(toQueryString(search)))).toEqual(search);
	});
});

describe('municipalitiesPath', () => {
	it('asks the API with the same parameters', () => {
		expect(municipalitiesPath(EMPTY_SEARCH)).toBe('/api/v1/municipalities');
		expect(municipalitiesPath({ q: 'brasov', county: 8, enrolled: true, page: 2 })).toBe(
			'/api/v1/municipalities?q=brasov&county=8&enrolled=true&page=2'
		);
	});
});

describe('paging', () => {
	it('counts pages, at least one', () => {
		expect(pageCount(0, 20)).toBe(1);
		expect(pageCount(1, 20)).toBe(1);
		expect(pageCount(20, 20)).toBe(1);
		expect(pageCount(21, 20)).toBe(2);
		expect(pageCount(3181, 20)).toBe(160);
		expect(pageCount(5, 0)).toBe(1);
	});

	it('moves to another page keeping the filters', () => {
		expect(onPage({ q: 'a', county: 4, enrolled: true, page: 1 }, 2)).toEqual({
			q: 'a',
			county: 4,
			enrolled: true,
			page: 2
		});
	});
});
