import { postJSON, type ApiResult } from '$lib/api/client';
import { problemMessageKey, type Problem } from '$lib/api/problem';
import type { AdultMessageKey } from '$lib/i18n/types';
import { isTokenProblem } from './recovery';
import { isRole } from './roles';
import type { Me, RoleGrant } from './types';

/** What the invitee sees before accepting, as `POST /api/v1/invitations/preview` answers. */
export interface InvitationPreview {
	readonly email: string;
	readonly expiresAt: string;
	/** The invitee already has an account: accepting adds the roles with its password. */
	readonly accountExists: boolean;
	readonly roles: readonly { role: string; municipality?: number; municipalityName?: string }[];
}

/** The secret is posted, not put in an address, so it stays out of logs. */
export function previewInvitation(token: string): Promise<ApiResult<InvitationPreview>> {
	return postJSON<InvitationPreview>('/api/v1/invitations/preview', { token });
}

export interface Acceptance {
	readonly token: string;
	/** For a new account only. */
	readonly displayName?: string;
	/** A new account's password, or the existing account's current one. */
	readonly password: string;
	/** An existing account with two-step sign-in on: its current code. */
	readonly totp?: string;
}

export function acceptInvitation(acceptance: Acceptance): Promise<ApiResult<Me>> {
	return postJSON<Me>('/api/v1/invitations/accept', acceptance);
}

/** The roles an invitation offers that this interface knows how to name. */
export function invitationGrants(preview: Pick<InvitationPreview, 'roles'>): RoleGrant[] {
	return (preview.roles ?? []).flatMap((grant) =>
		isRole(grant.role)
			? [{ role: grant.role, municipality: grant.municipality || undefined, municipalityName: grant.municipalityName }]
			: []
	);
}

/** What to say when accepting fails. */
export function acceptErrorKey(problem: Problem): AdultMessageKey {
	if (isTokenProblem(problem)) return 'invitation.invalid';
	if (problem.code === 'invalid_parameter' && (problem.param === 'password' || problem.param === 'newPassword')) {
		return 'password.error.rejected';
	}
	if (problem.code === 'invalid_parameter' && problem.param === 'displayName') return 'account.name.error';
	if (problem.code === 'invalid_credentials') return 'account.password.wrongCurrent';
	if (problem.code === 'account_disabled') return 'login.error.disabled';
	if (problem.code === 'invalid_totp') return 'login.error.invalidTotp';
	if (problem.code === 'totp_required') return 'login.totp.intro';
	return problemMessageKey(problem.code);
}
