import { getJSON, sendJSON, type ApiResult } from '$lib/api/client';
import type { List, Municipality, Page } from '$lib/api/types';
import type { Locale } from '$lib/i18n/locales';
import type { Role, RoleGrant } from '$lib/auth/types';

/** An adult with an account, and the roles they hold (within what the caller may see). */
export interface Person {
	readonly id: string;
	readonly email: string;
	readonly displayName: string;
	readonly disabled?: boolean;
	readonly roles: readonly RoleGrant[];
}

/**
 * An invitation not yet accepted. `emailSent` and `link` come only in the
 * answer to its creation; `link` only when the email did not go out (no SMTP
 * server configured, or sending failed), for the inviter to pass on.
 */
export interface Invitation {
	readonly id: string;
	readonly email: string;
	readonly roles: readonly RoleGrant[];
	readonly invitedBy?: string;
	readonly lang?: Locale;
	readonly createdAt?: string;
	readonly expiresAt: string;
	readonly emailSent?: boolean;
	readonly link?: string;
}

export interface InvitationRequest {
	readonly email: string;
	readonly role: Role;
	readonly municipality?: number;
	readonly lang: Locale;
}

/** How many people one page of the list shows. */
export const PEOPLE_PAGE_SIZE = 100;

/** People of one municipality, or of every municipality (admins and national members), by email. */
export function listPeople(siruta: number | null, page = 1, options: { signal?: AbortSignal } = {}) {
	const path = siruta === null ? '/api/v1/people' : `/api/v1/municipalities/${siruta}/people`;
	return getJSON<Page<Person>>(`${path}?page=${page}&pageSize=${PEOPLE_PAGE_SIZE}`, options);
}

export function revokeRole(siruta: number, accountId: string, role: Role): Promise<ApiResult<undefined>> {
	return sendJSON(
		'DELETE',
		`/api/v1/municipalities/${siruta}/people/${encodeURIComponent(accountId)}/roles/${encodeURIComponent(role)}`
	);
}

/** Takes a platform-wide role (platform admin, national committee member); admins only. */
export function revokePlatformRole(accountId: string, role: Role): Promise<ApiResult<undefined>> {
	return sendJSON('DELETE', `/api/v1/people/${encodeURIComponent(accountId)}/roles/${encodeURIComponent(role)}`);
}

/** Disables an account (its sessions end at once), or enables it again. */
export function setDisabled(accountId: string, disabled: boolean): Promise<ApiResult<Person>> {
	return sendJSON<Person>('PATCH', `/api/v1/people/${encodeURIComponent(accountId)}`, { disabled });
}

/** Sends an invitation again with a new link; the old link stops working. */
export function resendInvitation(id: string): Promise<ApiResult<Invitation>> {
	return sendJSON<Invitation>('POST', `/api/v1/invitations/${encodeURIComponent(id)}/resend`, {});
}

export function listInvitations(siruta: number | null, options: { signal?: AbortSignal } = {}) {
	const query = siruta === null ? '' : `?municipality=${siruta}`;
	return getJSON<List<Invitation>>(`/api/v1/invitations${query}`, options);
}

export function invite(request: InvitationRequest): Promise<ApiResult<Invitation>> {
	return sendJSON<Invitation>('POST', '/api/v1/invitations', request);
}

export function revokeInvitation(id: string): Promise<ApiResult<undefined>> {
	return sendJSON('DELETE', `/api/v1/invitations/${encodeURIComponent(id)}`);
}

/** The municipalities in the initiative, for an admin's or national member's choice. */
export async function enrolledMunicipalities(): Promise<ApiResult<readonly Municipality[]>> {
	const answer = await getJSON<Page<Municipality>>('/api/v1/municipalities?enrolled=true&pageSize=100');
	return answer.ok ? { ok: true, data: answer.data.items } : answer;
}
