import { getJSON, postJSON, sendJSON, type ApiResult } from '$lib/api/client';
import { formatDate } from '$lib/format';
import type { Locale } from '$lib/i18n/locales';
import type { MessageKey, Translate } from '$lib/i18n/types';

// A youth council member's own view on their phone (GET /api/v1/youth-council/me), opened
// with their personal sign-in card. Children's page: nothing here may need adults' messages.

export type Office = '' | 'president' | 'vice_president' | 'secretary';

export interface MemberView {
	council: { name: string; municipality: number; termStart: string; termEnd: string };
	me: { displayName: string; office: Office; canTakePart: boolean; reason: string | null };
	/** The other members in office; a null name is a former member's, removed from records. */
	members: { displayName: string | null; office: Office }[];
	/** The next meetings, earliest first, each with the agenda items the member may see. */
	meetings: MemberMeeting[];
	/** The member drafts the agenda: the council's president. */
	mayDraft: boolean;
	/** For each meeting whose minutes an agenda item approves, when it started. */
	minutesMeetings: Record<string, string>;
	minutes: unknown[];
	csrfToken: string;
}

export type MeetingState = 'scheduled' | 'open' | 'ended' | 'cancelled';
export const AGENDA_KINDS = ['information', 'discussion', 'decision'] as const;
export type AgendaKind = (typeof AGENDA_KINDS)[number];

/** An agenda item. Of a member who proposed it only their display name is shown. */
export interface AgendaItem {
	id: string;
	title: string;
	description: string;
	kind: AgendaKind;
	status: 'accepted' | 'proposed' | 'declined';
	proposed: boolean;
	proposerName: string | null;
	/** Screening holds its text until the coordinator has read it. */
	held: boolean;
	flags?: string[];
	mine: boolean;
	attachments: { id: string; name: string; contentType: string; size: number }[];
	/** The meeting whose minutes this item approves. */
	approvesMinutesOf?: string;
}

export interface MemberMeeting {
	id: string;
	title: string;
	startsAt: string;
	place: string;
	state: MeetingState;
	agenda: { version: number; items: AgendaItem[] };
}

const myMeeting = (id: string) => `/api/v1/youth-council/me/meetings/${encodeURIComponent(id)}/agenda`;

/** Proposes an item for a meeting (the president's goes on the agenda). */
export function proposeItem(
	meetingId: string,
	item: { title: string; description?: string; kind: AgendaKind },
	csrfToken: string
): Promise<ApiResult<MemberMeeting>> {
	return sendJSON<MemberMeeting>('POST', myMeeting(meetingId), item, { csrfToken });
}

/** The president accepts, declines or moves an item. */
export function changeItemAsPresident(
	meetingId: string,
	itemId: string,
	change: { status?: 'accepted' | 'declined'; move?: -1 | 1 },
	csrfToken: string
): Promise<ApiResult<MemberMeeting>> {
	return sendJSON<MemberMeeting>('PATCH', `${myMeeting(meetingId)}/${encodeURIComponent(itemId)}`, change, { csrfToken });
}

/** The address a member downloads an item's document from. */
export function memberFileURL(meetingId: string, itemId: string, fileId: string): string {
	return `${myMeeting(meetingId)}/${encodeURIComponent(itemId)}/attachments/${encodeURIComponent(fileId)}`;
}

/** What the phone says for a refused proposal. */
export function proposalErrorKey(code: string): MessageKey {
	switch (code) {
		case 'meeting_not_scheduled':
			return 'councilPhone.agenda.error.closed';
		case 'conflict':
			return 'councilPhone.agenda.error.tooMany';
		case 'invalid_parameter':
			return 'councilPhone.agenda.error.invalid';
		case 'forbidden':
			return 'councilPhone.agenda.error.forbidden';
		default:
			return memberErrorKey(code);
	}
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

/**
 * The title an agenda item is shown under. The item that approves minutes is stored with a
 * Romanian title, for the minutes; it is said in the reader's language with the date of the
 * meeting it approves, when minutesMeetings (meeting ID to when it started) knows it.
 */
export function agendaItemTitle(
	item: Pick<AgendaItem, 'title' | 'approvesMinutesOf'>,
	minutesMeetings: Record<string, string>,
	t: Translate<MessageKey>,
	locale: Locale
): string {
	const startsAt = item.approvesMinutesOf ? minutesMeetings[item.approvesMinutesOf] : undefined;
	return startsAt ? t('minutes.approveItem', { date: formatDate(startsAt, locale) }) : item.title;
}
