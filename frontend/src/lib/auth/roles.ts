import type { MessageKey } from '$lib/i18n/types';
import { PLATFORM_ROLES, ROLES, type Me, type Role, type RoleGrant } from './types';

// The names of the roles are adults' messages: they live in `./roleNames`, so
// that every page's menu, which imports this module, does not download them.

export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isPlatformRole(role: Role): boolean {
	return PLATFORM_ROLES.includes(role);
}

function holds(me: Me | null | undefined, role: Role, municipality?: number): boolean {
	return (me?.roles ?? []).some(
		(grant) => grant.role === role && (municipality === undefined || grant.municipality === municipality)
	);
}

/** Admins and national committee members see every municipality. */
export function seesAllMunicipalities(me: Me | null | undefined): boolean {
	return holds(me, 'platform_admin') || holds(me, 'national_committee');
}

/** The municipalities `me` coordinates, in the order of their roles, without repeats. */
export function coordinatedMunicipalities(me: Me | null | undefined): RoleGrant[] {
	const seen = new Set<number>();
	const out: RoleGrant[] = [];
	for (const grant of me?.roles ?? []) {
		if (grant.role !== 'coordinator' || grant.municipality === undefined || seen.has(grant.municipality)) continue;
		seen.add(grant.municipality);
		out.push(grant);
	}
	return out;
}

/** Who may open the people page: admins, national members and coordinators. */
export function mayManagePeople(me: Me | null | undefined): boolean {
	return seesAllMunicipalities(me) || coordinatedMunicipalities(me).length > 0;
}

/** Who may read the audit trail: the same people; a coordinator sees their municipality's. */
export function mayReadAudit(me: Me | null | undefined): boolean {
	return mayManagePeople(me);
}

/** Admins and national members record a municipality's stage in the initiative. */
export function mayRecordStage(me: Me | null | undefined): boolean {
	return seesAllMunicipalities(me);
}

/** Admins, the national committee and the municipality's coordinator export its tables. */
export function mayExport(me: Me | null | undefined, siruta: number): boolean {
	return seesAllMunicipalities(me) || holds(me, 'coordinator', siruta);
}

/** The national dashboard is the committee's and the admins': every municipality at a glance. */
export function maySeeNational(me: Me | null | undefined): boolean {
	return seesAllMunicipalities(me);
}

/** One municipality's page of the dashboard: the committee and admins all, a coordinator their own. */
export function maySeeMunicipalityIndicators(me: Me | null | undefined, siruta: number): boolean {
	return seesAllMunicipalities(me) || holds(me, 'coordinator', siruta);
}

/** A coordinator of the municipality edits its profile (so does an admin). */
export function mayEditProfile(me: Me | null | undefined, siruta: number): boolean {
	return holds(me, 'platform_admin') || holds(me, 'coordinator', siruta);
}

/** Who may open a municipality's settings page at all. */
export function maySeeSettings(me: Me | null | undefined, siruta: number): boolean {
	return seesAllMunicipalities(me) || holds(me, 'coordinator', siruta);
}

/** The roles a coordinator hands out in their own municipality. */
const COORDINATOR_GRANTS: readonly Role[] = ['facilitator', 'council_member', 'safeguarding_lead'];

/**
 * The roles `me` may invite someone to, as the server decides them: an admin
 * every role; a national committee member coordinators; a coordinator the
 * facilitators, council members and safeguarding lead of their municipality.
 */
export function grantableRoles(me: Me | null | undefined): Role[] {
	if (holds(me, 'platform_admin')) {
		return ['platform_admin', 'national_committee', 'coordinator', ...COORDINATOR_GRANTS];
	}
	const out: Role[] = [];
	if (holds(me, 'national_committee')) out.push('coordinator');
	if (coordinatedMunicipalities(me).length > 0) out.push(...COORDINATOR_GRANTS);
	return out;
}

/**
 * Whether `me` may take `grant` away from someone: admins any role,
 * coordinators the roles they hand out, in their own municipality.
 */
export function mayRevoke(me: Me | null | undefined, grant: RoleGrant): boolean {
	if (holds(me, 'platform_admin')) return true;
	return (
		COORDINATOR_GRANTS.includes(grant.role) &&
		grant.municipality !== undefined &&
		holds(me, 'coordinator', grant.municipality)
	);
}

/**
 * Whether `me` may disable or enable the account of `person`, as far as the
 * roles shown tell: admins anyone but themselves; a coordinator someone whose
 * roles are all theirs to take away. The server decides on every role the
 * person holds, also those in other municipalities.
 */
export function mayDisable(
	me: Me | null | undefined,
	person: { readonly id: string; readonly roles: readonly RoleGrant[] }
): boolean {
	if (!me || person.id === me.id) return false;
	if (holds(me, 'platform_admin')) return true;
	return person.roles.length > 0 && person.roles.every((grant) => mayRevoke(me, grant));
}

export interface NavLink {
	readonly href: string;
	readonly key: MessageKey;
}

/** The links to adults' pages that `me`'s roles open, in the order of the menu. */
export function adultLinks(me: Me | null | undefined): NavLink[] {
	if (!me) return [];
	const links: NavLink[] = [];
	// Children never see the adults' consultation pages in the menu.
	if ((['facilitator', 'coordinator', 'council_member'] as const).some((r) => holds(me, r))) {
		links.push({ href: '/consultations', key: 'nav.consultations' });
	}
	const help = helpMunicipalities(me);
	if (help.length > 0) links.push({ href: helpRequestsPath(help[0] as number), key: 'nav.helpRequests' });
	if (maySeeNational(me)) links.push({ href: '/national', key: 'nav.national' });
	if (mayManagePeople(me)) links.push({ href: '/people', key: 'nav.people' });
	const coordinated = coordinatedMunicipalities(me);
	if (!seesAllMunicipalities(me) && coordinated.length === 1 && coordinated[0]?.municipality !== undefined) {
		links.push({ href: settingsPath(coordinated[0].municipality), key: 'nav.settings' });
	}
	if (mayReadAudit(me)) links.push({ href: '/audit', key: 'nav.audit' });
	return links;
}

/** The settings page of a municipality. */
export function settingsPath(siruta: number): string {
	return `/municipalities/${siruta}/settings`;
}

/** The municipalities whose help requests `me` follows up (safeguarding lead or coordinator), each once. */
export function helpMunicipalities(me: Me | null | undefined): number[] {
	const out: number[] = [];
	for (const grant of me?.roles ?? []) {
		if ((grant.role === 'safeguarding_lead' || grant.role === 'coordinator') && grant.municipality !== undefined) {
			if (!out.includes(grant.municipality)) out.push(grant.municipality);
		}
	}
	return out;
}

/** The help-request list of a municipality. */
export function helpRequestsPath(siruta: number): string {
	return `/m/${siruta}/help-requests`;
}
