import { describe, expect, it } from 'vitest';
import type { Me, RoleGrant } from '$lib/auth/types';
import { checkInvite, coordinatorPlaces, pageRange, peoplePagePath, pickPage, pickScope } from './scope';

function account(...roles: RoleGrant[]): Me {
	return { id: 'a', email: 'a@b.ro', displayName: 'A', roles, totpEnabled: false, totpRequired: false, mustSetUpTotp: false, lang: '', csrfToken: '' };
}

const national = account({ role: 'national_committee' });
const coordinator = account(
	{ role: 'coordinator', municipality: 20297, municipalityName: 'Bacău' },
	{ role: 'coordinator', municipality: 40198, municipalityName: 'Brașov' }
);

describe('pickScope', () => {
	it('lets a national member pick any municipality, or all', () => {
		expect(pickScope(national, null)).toBeNull();
		expect(pickScope(national, '12345')).toBe(12345);
		expect(pickScope(national, 'abc')).toBeNull();
		expect(pickScope(national, '0')).toBeNull();
	});

	it('keeps a coordinator within their municipalities, the first by default', () => {
		expect(pickScope(coordinator, null)).toBe(20297);
		expect(pickScope(coordinator, '40198')).toBe(40198);
		expect(pickScope(coordinator, '12345')).toBe(20297);
	});

	it('names a coordinator’s places', () => {
		expect(coordinatorPlaces(coordinator)).toEqual([
			{ siruta: 20297, name: 'Bacău' },
			{ siruta: 40198, name: 'Brașov' }
		]);
	});
});

describe('checkInvite', () => {
	it('wants an email, a role, and a municipality for a municipal role', () => {
		expect(checkInvite({ email: 'nope', role: 'facilitator', municipality: '20297' })?.field).toBe('email');
		expect(checkInvite({ email: 'a@b.ro', role: '', municipality: '20297' })?.field).toBe('role');
		expect(checkInvite({ email: 'a@b.ro', role: 'facilitator', municipality: '' })).toEqual({
			field: 'municipality',
			key: 'people.invite.needMunicipality'
		});
		expect(checkInvite({ email: ' a@b.ro ', role: 'facilitator', municipality: '20297' })).toBeNull();
		expect(checkInvite({ email: 'a@b.ro', role: 'national_committee', municipality: '' })).toBeNull();
	});
});

describe('paging', () => {
	it('reads the page from the address, 1 for anything else', () => {
		expect(pickPage(null)).toBe(1);
		expect(pickPage('3')).toBe(3);
		expect(pickPage('0')).toBe(1);
		expect(pickPage('-2')).toBe(1);
		expect(pickPage('2.5')).toBe(1);
		expect(pickPage('abc')).toBe(1);
		expect(pickPage('99999999')).toBe(1);
	});

	it('writes the address without defaults', () => {
		expect(peoplePagePath(null)).toBe('/people');
		expect(peoplePagePath(null, 2)).toBe('/people?page=2');
		expect(peoplePagePath(20297, 1)).toBe('/people?municipality=20297');
		expect(peoplePagePath(20297, 3)).toBe('/people?municipality=20297&page=3');
	});

	it('counts the people a page shows', () => {
		expect(pageRange(1, 100, 100)).toEqual({ from: 1, to: 100 });
		expect(pageRange(3, 100, 7)).toEqual({ from: 201, to: 207 });
		expect(pageRange(5, 100, 0)).toBeNull();
	});
});
