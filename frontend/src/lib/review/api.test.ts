import { describe, expect, it } from 'vitest';
import { filterQuery } from './api';

describe('filterQuery', () => {
	it('sends only the filters that are set', () => {
		expect(filterQuery({})).toBe('');
		expect(filterQuery({ channel: '', q: '', offset: 0 })).toBe('');
		expect(filterQuery({ channel: 'paper', ageBand: '13_15', q: 'fântână apă', offset: 50, limit: 25 })).toBe(
			'?channel=paper&ageBand=13_15&q=f%C3%A2nt%C3%A2n%C4%83+ap%C4%83&offset=50&limit=25'
		);
	});
});
