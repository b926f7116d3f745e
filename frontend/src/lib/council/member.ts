import { getJSON, postJSON, sendJSON, type ApiResult } from '$lib/api/client';
import type { MessageKey } from '$lib/i18n/types';

// A youth council member's own view on their phone (GET /api/v1/youth-council/me), opened
// with their personal sign-in card. Children's page: nothing here may need adults' messages.

export type Office = '' | 'president' | 'vice_president' | 'secretary';

export interface MemberView {
	council: { name: string; municipality: number; termStart: string; termEnd: string };
	me: { displayName: string; office: Office; canTakePart: boolean; reason: string | null };
	/** The other members in office; a null name is a former member's, removed from records. */
	members: { displayName: string | null; office: Office }[];
	meetings: unknown[];
	minutes: unknown[];
	csrfToken: string;
}

/** The card's secret in a link's fragment (#card=…), or "". */
export function cardFromHash(hash: string): string {
	const m = /^#card=([A-Za-z0-9_-]{1,100})$/.exec(hash);
	return m?.[1] ?? '';
}

export function signInWithCard(card: string): Promise<ApiResult<MemberView>> {
	return postJSON<MemberView>('/api/v1/youth-council/sign-in', { card });
}

export function loadMemberView(): Promise<ApiResult<MemberView>> {
	return getJSON<MemberView>('/api/v1/youth-council/me');
}

export function signOutMember(csrfToken: string): Promise<ApiResult<undefined>> {
	return sendJSON('POST', '/api/v1/youth-council/me/sign-out', undefined, { csrfToken });
}

/** What the phone says for a refused card or session. */
export function memberErrorKey(code: string): MessageKey {
	switch (code) {
		case 'card_revoked':
			return 'councilPhone.error.revoked';
		case 'card_invalid':
			return 'councilPhone.error.invalid';
		case 'rate_limited':
			return 'councilPhone.error.tooMany';
		case 'unauthorized':
			return 'councilPhone.signedOut';
		default:
			return 'errors.generic';
	}
}

export function officeKey(office: Office): MessageKey | null {
	return office === '' ? null : (`councilPhone.office.${office}` as MessageKey);
}
