import { coordinatedMunicipalities, isPlatformRole, seesAllMunicipalities } from '$lib/auth/roles';
import type { Me, Role } from '$lib/auth/types';
import type { AdultMessageKey } from '$lib/i18n/types';

/** A municipality the page can be about: its SIRUTA code and name. */
export interface Place {
	readonly siruta: number;
	readonly name: string;
}

/**
 * The municipality the people page shows, from `?municipality=`: any for an
 * admin or national member (null for all of them); for a coordinator one of
 * theirs, the first by default.
 */
export function pickScope(me: Me, raw: string | null): number | null {
	const asked = raw !== null && /^[1-9][0-9]{0,8}$/.test(raw) ? Number(raw) : null;
	if (seesAllMunicipalities(me)) return asked;
	const mine = coordinatedMunicipalities(me).map((g) => g.municipality as number);
	if (asked !== null && mine.includes(asked)) return asked;
	return mine[0] ?? null;
}

/** The municipalities a coordinator may choose between. */
export function coordinatorPlaces(me: Me): Place[] {
	return coordinatedMunicipalities(me).map((g) => ({
		siruta: g.municipality as number,
		name: g.municipalityName ?? String(g.municipality)
	}));
}

export interface InviteDraft {
	readonly email: string;
	readonly role: Role | '';
	readonly municipality: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What is wrong with an invitation before it is sent, or null. */
export function checkInvite(draft: InviteDraft): { field: 'email' | 'role' | 'municipality'; key: AdultMessageKey } | null {
	if (!EMAIL.test(draft.email.trim())) return { field: 'email', key: 'errors.invalidRequest' };
	if (draft.role === '') return { field: 'role', key: 'errors.invalidRequest' };
	if (!isPlatformRole(draft.role) && !/^[1-9][0-9]*$/.test(draft.municipality)) {
		return { field: 'municipality', key: 'people.invite.needMunicipality' };
	}
	return null;
}

/** The page of the list asked for in `?page=`: a positive whole number, 1 otherwise. */
export function pickPage(raw: string | null): number {
	return raw !== null && /^[1-9][0-9]{0,5}$/.test(raw) ? Number(raw) : 1;
}

/** The people page's own address for a municipality (null: all) and a page of the list. */
export function peoplePagePath(scope: number | null, page = 1): string {
	const params = new URLSearchParams();
	if (scope !== null) params.set('municipality', String(scope));
	if (page > 1) params.set('page', String(page));
	const query = params.toString();
	return query === '' ? '/people' : `/people?${query}`;
}

/** Which people one page shows: the first and last position, counted from 1, or null for an empty page. */
export function pageRange(page: number, pageSize: number, shown: number): { from: number; to: number } | null {
	if (shown <= 0) return null;
	const from = (page - 1) * pageSize + 1;
	return { from, to: from + shown - 1 };
}
