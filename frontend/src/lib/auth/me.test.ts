import { describe, expect, it } from 'vitest';
import { EDITOR_ROLES, mayEdit, municipalitiesWith, READER_ROLES } from './me';

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
