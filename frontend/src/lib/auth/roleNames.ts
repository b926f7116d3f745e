import type { AdultMessageKey, Translate } from '$lib/i18n/types';
import { isPlatformRole } from './roles';
import type { Role, RoleGrant } from './types';

const ROLE_KEYS: Readonly<Record<Role, AdultMessageKey>> = {
	platform_admin: 'role.platform_admin',
	national_committee: 'role.national_committee',
	coordinator: 'role.coordinator',
	facilitator: 'role.facilitator',
	council_member: 'role.council_member',
	safeguarding_lead: 'role.safeguarding_lead'
};

/** The name of a role, to translate on an adults' page. */
export function roleKey(role: Role): AdultMessageKey {
	return ROLE_KEYS[role];
}

/** "coordinator, Bacău" or "national committee member", in the current language (`$t`). */
export function describeGrant(grant: RoleGrant, t: Translate<AdultMessageKey>): string {
	const role = t(roleKey(grant.role));
	if (isPlatformRole(grant.role) || !grant.municipality) return role;
	return t('role.inMunicipality', { role, municipality: grant.municipalityName ?? String(grant.municipality) });
}
