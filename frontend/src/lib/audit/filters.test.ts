import { describe, expect, it } from 'vitest';
import { auditApiPath, auditCsvPath, auditPagePath, isActionName, NO_FILTERS, parseFilters } from './filters';

describe('audit filters', () => {
	it('reads the address, dropping what is malformed', () => {
		expect(
			parseFilters(new URLSearchParams('municipality=20297&actor=%20a@b.ro&action=session.&from=2026-01-01&to=soon&page=2'))
		).toEqual({ municipality: 20297, actor: 'a@b.ro', action: 'session.', from: '2026-01-01', to: '', page: 2 });
		expect(parseFilters(new URLSearchParams('municipality=x&page=0'))).toEqual(NO_FILTERS);
	});

	it('writes the page, the API request and the CSV download with the same names', () => {
		const filters = { ...NO_FILTERS, municipality: 20297, action: 'session.sign_in', page: 3 };
		expect(auditPagePath(filters)).toBe('/audit?municipality=20297&action=session.sign_in&page=3');
		expect(auditApiPath(filters)).toBe('/api/v1/audit?municipality=20297&action=session.sign_in&page=3&pageSize=50');
		// The download holds every matching entry, not one page.
		expect(auditCsvPath(filters)).toBe('/api/v1/audit.csv?municipality=20297&action=session.sign_in');
		expect(auditPagePath(NO_FILTERS)).toBe('/audit');
		expect(auditCsvPath(NO_FILTERS)).toBe('/api/v1/audit.csv');
		expect(auditCsvPath(filters, 'hu')).toBe('/api/v1/audit.csv?municipality=20297&action=session.sign_in&lang=hu');
		expect(auditCsvPath(NO_FILTERS, 'en')).toBe('/api/v1/audit.csv?lang=en');
		expect(auditCsvPath(NO_FILTERS, 'ro')).toBe('/api/v1/audit.csv');
	});

	it('round-trips', () => {
		const filters = { municipality: 1, actor: 'x@y.ro', action: 'a.b', from: '2026-01-01', to: '2026-02-01', page: 4 };
		expect(parseFilters(new URL(auditPagePath(filters), 'http://x').searchParams)).toEqual(filters);
	});
});

describe('isActionName', () => {
	it('accepts what the server accepts', () => {
		expect(isActionName('session.sign_in')).toBe(true);
		expect(isActionName('municipality')).toBe(true);
		expect(isActionName('session.')).toBe(false);
		expect(isActionName('Session.Sign_in')).toBe(false);
		expect(isActionName('a'.repeat(65))).toBe(false);
	});
});
