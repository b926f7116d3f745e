import { describe, expect, it } from 'vitest';
import { EDITOR_ROLES, followsOnly, mayEdit, municipalitiesWith, READER_ROLES } from './me';

const me = {
	roles: [
		{ role: 'facilitator', municipality: 20297, municipalityName: 'Bacău' },
		{ role: 'council_member', municipality: 40198, municipalityName: 'Brașov' },
		{ role: 'coordinator', municipality: 20297, municipalityName: 'Bacău' },
		{ role: 'platform_admin' }
	]
};

describe('municipalitiesWith', () => {
	it('lists each municipality once where a role fits', () => {
		expect(municipalitiesWith(me, EDITOR_ROLES)).toEqual([{ siruta: 20297, name: 'Bacău' }]);
		expect(municipalitiesWith(me, READER_ROLES)).toEqual([
			{ siruta: 20297, name: 'Bacău' },
			{ siruta: 40198, name: 'Brașov' }
		]);
	});

	it('lets only facilitators and coordinators edit', () => {
		expect(mayEdit(me, 20297)).toBe(true);
		expect(mayEdit(me, 40198)).toBe(false);
		expect(mayEdit(null, 20297)).toBe(false);
	});
});

describe('followsOnly', () => {
	it('is a platform role with no role in the municipality’s team', () => {
		expect(followsOnly(me, 20297)).toBe(false);
		expect(followsOnly(me, 40198)).toBe(false);
		expect(followsOnly(me, 12345)).toBe(true);
		expect(followsOnly({ roles: [{ role: 'national_committee' }] }, 20297)).toBe(true);
		expect(followsOnly({ roles: [{ role: 'facilitator', municipality: 40198 }] }, 20297)).toBe(false);
		expect(followsOnly(null, 20297)).toBe(false);
	});
});
