import { getJSON, sendJSON, type ApiResult } from '$lib/api/client';
import type { MessageKey } from '$lib/i18n/types';

// A council meeting's minutes (internal/httpapi/minutes.go), for a member's phone and for the
// municipality's adults alike. Children's words only: the secretary edits them too.

export interface MinutesRef {
	meetingId: string;
	title: string;
	startsAt: string;
}

export interface MinutesVote {
	subject?: string;
	outcome: 'adopted' | 'not_adopted' | 'not_valid';
	majority: string;
	secret: boolean;
	method: string;
	yes: number;
	no: number;
	abstain: number;
	notVoting: number;
	absent: number;
	present: number;
	inOffice: number;
}

export interface MinutesItem {
	number: number;
	title: string;
	kind: string;
	approvesMinutesOf: MinutesRef | null;
	speakers: number;
	motions: { number: string; amends?: string; title: string; text: string; state: string; votes: MinutesVote[] }[];
	votes: MinutesVote[];
	notes: string[];
}

export interface Minutes {
	meeting: { id: string; title: string; startsAt: string; state: string };
	council: string;
	status: 'draft' | 'approved';
	revision: number;
	/** For a member, while the coordinator reads the secretary's edit, the text before it (null when none). */
	text: string | null;
	held: boolean;
	/** For adults and the secretary: when the secretary's edit, still held at the approval, was saved. */
	heldEditDroppedAt?: string;
	editedBy: 'platform' | 'coordinator' | 'secretary';
	approvedAt: string | null;
	approvedIn: MinutesRef | null;
	hash: string | null;
	verified: boolean | null;
	approval: { yes: number; no: number; abstain: number } | null;
	mayEdit: boolean;
	summary: {
		opened: string | null;
		closed: string | null;
		present: { name: string | null; role?: string; remote: boolean }[];
		absent: number;
		items: MinutesItem[];
	};
}

export interface MinutesEntry {
	meeting: { id: string; title: string; startsAt: string };
	status: 'draft' | 'approved';
	approvedAt: string | null;
}

/** Where the minutes are read: by a member with their card, or by an adult of the municipality. */
export type MinutesSource = { kind: 'member'; csrfToken: string } | { kind: 'adult'; siruta: number };

function base(src: MinutesSource, meetingId: string): string {
	const m = encodeURIComponent(meetingId);
	return src.kind === 'member'
		? `/api/v1/youth-council/me/meetings/${m}/minutes`
		: `/api/v1/municipalities/${src.siruta}/youth-council/meetings/${m}/minutes`;
}

export function listMinutes(src: MinutesSource): Promise<ApiResult<{ minutes: MinutesEntry[] }>> {
	return getJSON(src.kind === 'member' ? '/api/v1/youth-council/me/minutes' : `/api/v1/municipalities/${src.siruta}/youth-council/minutes`);
}

export function loadMinutes(src: MinutesSource, meetingId: string): Promise<ApiResult<Minutes>> {
	return getJSON<Minutes>(base(src, meetingId));
}

export function saveMinutes(src: MinutesSource, meetingId: string, text: string, revision: number): Promise<ApiResult<Minutes>> {
	return sendJSON<Minutes>('PUT', base(src, meetingId), { text, revision }, src.kind === 'member' ? { csrfToken: src.csrfToken } : {});
}

export const MINUTES_FILES = ['pdf', 'csv', 'popolo'] as const;
export type MinutesFile = (typeof MINUTES_FILES)[number];

export function minutesFileURL(src: MinutesSource, meetingId: string, file: MinutesFile, lang: string): string {
	return `${base(src, meetingId)}/${file}?lang=${encodeURIComponent(lang)}`;
}

export function minutesErrorKey(code: string): MessageKey {
	switch (code) {
		case 'conflict':
			return 'minutes.error.conflict';
		case 'minutes_approved':
			return 'minutes.error.approved';
		case 'minutes_meeting_not_ended':
			return 'minutes.notEnded';
		case 'invalid_parameter':
			return 'minutes.error.invalid';
		default:
			return 'minutes.error.generic';
	}
}

/** The key of a vote's outcome, in words. */
export function outcomeKey(o: MinutesVote['outcome']): MessageKey {
	return `minutes.outcome.${o}` as MessageKey;
}

/** The key of a motion's state, in words. */
export function motionStateKey(state: string): MessageKey {
	const known = ['submitted', 'seconded', 'debated', 'voting', 'adopted', 'rejected', 'withdrawn', 'deferred', 'referred'];
	return (known.includes(state) ? `minutes.state.${state}` : 'minutes.state.submitted') as MessageKey;
}
