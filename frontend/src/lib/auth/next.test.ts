import { describe, expect, it } from 'vitest';
import { loginPath, safeNext } from './next';

describe('safeNext', () => {
	it.each([
		['/people', '/people'],
		['/audit?municipality=20297&page=2', '/audit?municipality=20297&page=2'],
		['/municipalities/20297/settings#stage', '/municipalities/20297/settings#stage']
	])('follows a path on this site: %s', (raw, expected) => {
		expect(safeNext(raw)).toBe(expected);
	});

	it.each([
		null,
		'',
		'people',
		'//evil.example/x',
		'/\\evil.example',
		'\\\\evil.example',
		'https://evil.example/',
		'javascript:alert(1)',
		'/\t/evil.example',
		'/\n/evil.example',
		' /people',
		'/login',
		'/login?next=/login'
	])('falls back to the start page for %j', (raw) => {
		expect(safeNext(raw)).toBe('/start');
	});

	it('uses the fallback it is given', () => {
		expect(safeNext('//x', '/')).toBe('/');
	});
});

describe('loginPath', () => {
	it('remembers where to come back to', () => {
		expect(loginPath('/audit?page=2')).toBe('/login?next=%2Faudit%3Fpage%3D2');
	});

	it('leaves out a useless next', () => {
		expect(loginPath('/')).toBe('/login');
		expect(loginPath('//evil.example')).toBe('/login');
	});
});
