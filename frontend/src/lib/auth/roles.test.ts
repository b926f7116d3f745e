import { describe, expect, it } from 'vitest';
import {
	adultLinks,
	coordinatedMunicipalities,
	grantableRoles,
	mayEditProfile,
	mayExport,
	mayDisable,
	mayManagePeople,
	mayRecordStage,
	mayRevoke,
	maySeeMunicipalityIndicators,
	maySeeNational,
	maySeeSettings
} from './roles';
import type { Me, RoleGrant } from './types';

function account(...roles: RoleGrant[]): Me {
	return {
		id: 'a1',
		email: 'x@example.org',
		displayName: 'X',
		roles,
		totpEnabled: false,
		totpRequired: false,
		mustSetUpTotp: false,
		lang: '',
		csrfToken: 't'
	};
}

const admin = account({ role: 'platform_admin' });
const national = account({ role: 'national_committee' });
const coordinator = account({ role: 'coordinator', municipality: 20297, municipalityName: 'Bacău' });
const twoPlaces = account(
	{ role: 'coordinator', municipality: 20297 },
	{ role: 'coordinator', municipality: 40198 },
	{ role: 'coordinator', municipality: 20297 }
);
const facilitator = account({ role: 'facilitator', municipality: 20297 });

describe('mayDisable', () => {
	const person = (id: string, ...roles: RoleGrant[]) => ({ id, roles });
	it('lets an admin disable anyone but themselves', () => {
		expect(mayDisable(admin, person('p', { role: 'platform_admin' }))).toBe(true);
		expect(mayDisable(admin, person('p'))).toBe(true);
		expect(mayDisable(admin, person(admin.id, { role: 'platform_admin' }))).toBe(false);
	});

	it('lets a coordinator disable only people whose roles are all theirs to take away', () => {
		expect(mayDisable(coordinator, person('p', { role: 'facilitator', municipality: 20297 }))).toBe(true);
		expect(mayDisable(coordinator, person('p', { role: 'coordinator', municipality: 20297 }))).toBe(false);
		expect(mayDisable(coordinator, person('p', { role: 'facilitator', municipality: 40198 }))).toBe(false);
		expect(
			mayDisable(coordinator, person('p', { role: 'facilitator', municipality: 20297 }, { role: 'national_committee' }))
		).toBe(false);
		expect(mayDisable(coordinator, person('p'))).toBe(false);
		expect(mayDisable(national, person('p', { role: 'coordinator', municipality: 20297 }))).toBe(false);
		expect(mayDisable(null, person('p'))).toBe(false);
	});
});

describe('roles', () => {
	it('lets admins, national members and coordinators manage people', () => {
		expect([admin, national, coordinator, facilitator, null].map(mayManagePeople)).toEqual([true, true, true, false, false]);
	});

	it('offers each inviter the roles the server lets them grant', () => {
		expect(grantableRoles(admin)).toEqual([
			'platform_admin',
			'national_committee',
			'coordinator',
			'facilitator',
			'council_member',
			'safeguarding_lead'
		]);
		expect(grantableRoles(national)).toEqual(['coordinator']);
		expect(grantableRoles(coordinator)).toEqual(['facilitator', 'council_member', 'safeguarding_lead']);
		expect(grantableRoles(facilitator)).toEqual([]);
	});

	it('lets a coordinator take away only the roles they grant, in their municipality', () => {
		expect(mayRevoke(coordinator, { role: 'facilitator', municipality: 20297 })).toBe(true);
		expect(mayRevoke(coordinator, { role: 'facilitator', municipality: 40198 })).toBe(false);
		expect(mayRevoke(coordinator, { role: 'coordinator', municipality: 20297 })).toBe(false);
		expect(mayRevoke(admin, { role: 'coordinator', municipality: 20297 })).toBe(true);
		expect(mayRevoke(national, { role: 'facilitator', municipality: 20297 })).toBe(false);
	});

	it('lists coordinated municipalities once each', () => {
		expect(coordinatedMunicipalities(twoPlaces).map((g) => g.municipality)).toEqual([20297, 40198]);
	});

	it('opens settings by role and municipality', () => {
		expect(mayRecordStage(national)).toBe(true);
		expect(mayRecordStage(coordinator)).toBe(false);
		expect(mayEditProfile(coordinator, 20297)).toBe(true);
		expect(mayEditProfile(coordinator, 40198)).toBe(false);
		expect(mayEditProfile(national, 20297)).toBe(false);
		expect(maySeeSettings(national, 40198)).toBe(true);
		expect(maySeeSettings(facilitator, 20297)).toBe(false);
	});

	it('lets the committee, admins and the own coordinator export a municipality', () => {
		expect(mayExport(national, 40198)).toBe(true);
		expect(mayExport(coordinator, 20297)).toBe(true);
		expect(mayExport(coordinator, 40198)).toBe(false);
		expect(mayExport(facilitator, 20297)).toBe(false);
	});

	it('builds the menu from the roles', () => {
		expect(adultLinks(null)).toEqual([]);
		expect(adultLinks(facilitator).map((l) => l.href)).toEqual(['/consultations']);
		expect(adultLinks(coordinator).map((l) => l.href)).toEqual([
			'/consultations',
			'/m/20297/help-requests',
			'/people',
			'/municipalities/20297/settings',
			'/audit'
		]);
		expect(adultLinks(twoPlaces).map((l) => l.href)).toEqual(['/consultations', '/m/20297/help-requests', '/people', '/audit']);
		const lead = account({ role: 'safeguarding_lead', municipality: 20297 });
		expect(adultLinks(lead).map((l) => l.href)).toEqual(['/m/20297/help-requests']);
		expect(adultLinks(admin).map((l) => l.href)).toEqual(['/national', '/people', '/audit']);
	});

	it('opens the national dashboard to admins and national members, and a municipality’s page to its coordinator too', () => {
		expect([admin, national, coordinator, facilitator, null].map(maySeeNational)).toEqual([true, true, false, false, false]);
		expect(adultLinks(national).map((l) => l.href)).toEqual(['/national', '/people', '/audit']);
		expect(maySeeMunicipalityIndicators(national, 21891)).toBe(true);
		expect(maySeeMunicipalityIndicators(coordinator, 20297)).toBe(true);
		expect(maySeeMunicipalityIndicators(coordinator, 21891)).toBe(false);
		expect(maySeeMunicipalityIndicators(facilitator, 20297)).toBe(false);
	});
});
