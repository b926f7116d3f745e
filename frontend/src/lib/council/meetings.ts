import { getJSON, sendForm, sendJSON, type ApiResult } from '$lib/api/client';
import { problemMessageKey, type Problem } from '$lib/api/problem';
import type { AdultMessageKey } from '$lib/i18n/types';
import type { AgendaItem, AgendaKind, MeetingState } from './member';

// A youth council's meetings and their agendas as adults manage them
// (internal/httpapi/meetings.go): the coordinator and the platform admin schedule meetings
// and draft agendas; the municipality's facilitators and council members read them.

export type { AgendaItem, AgendaKind, MeetingState } from './member';
export { AGENDA_KINDS, agendaItemTitle } from './member';

export interface Meeting {
	id: string;
	title: string;
	startsAt: string;
	place: string;
	state: MeetingState;
	openedAt: string | null;
	endedAt: string | null;
	version: number;
	items?: number;
	waiting?: number;
}

export interface MeetingPage {
	meeting: Meeting;
	agenda: { version: number; items: AgendaItem[] };
	/** For the meeting whose minutes an item approves, when it started. */
	minutesMeetings: Record<string, string>;
	mayManage: boolean;
}

export interface MeetingFields {
	title?: string;
	startsAt?: string;
	place?: string;
	state?: 'cancelled';
	version?: number;
}

export interface ItemChange {
	title?: string;
	description?: string;
	kind?: AgendaKind;
	status?: 'accepted' | 'declined';
	confirmHeld?: boolean;
	move?: -1 | 1;
}

/** The calls about one municipality's council meetings. */
export function meetingsApi(siruta: number) {
	const base = `/api/v1/municipalities/${siruta}/youth-council/meetings`;
	const one = (id: string) => `${base}/${encodeURIComponent(id)}`;
	const item = (id: string, itemId: string) => `${one(id)}/agenda/${encodeURIComponent(itemId)}`;
	return {
		list: (): Promise<ApiResult<{ meetings: Meeting[]; mayManage: boolean }>> => getJSON(base),
		schedule: (m: MeetingFields): Promise<ApiResult<MeetingPage>> => sendJSON<MeetingPage>('POST', base, m),
		get: (id: string): Promise<ApiResult<MeetingPage>> => getJSON<MeetingPage>(one(id)),
		update: (id: string, m: MeetingFields): Promise<ApiResult<MeetingPage>> => sendJSON<MeetingPage>('PATCH', one(id), m),
		addItem: (id: string, c: ItemChange): Promise<ApiResult<MeetingPage>> => sendJSON<MeetingPage>('POST', `${one(id)}/agenda`, c),
		changeItem: (id: string, itemId: string, c: ItemChange): Promise<ApiResult<MeetingPage>> =>
			sendJSON<MeetingPage>('PATCH', item(id, itemId), c),
		removeItem: (id: string, itemId: string): Promise<ApiResult<MeetingPage>> => sendJSON<MeetingPage>('DELETE', item(id, itemId)),
		attach: (id: string, itemId: string, file: File, csrfToken: string): Promise<ApiResult<MeetingPage>> =>
			upload(`${item(id, itemId)}/attachments`, file, csrfToken),
		detach: (id: string, itemId: string, fileId: string): Promise<ApiResult<MeetingPage>> =>
			sendJSON<MeetingPage>('DELETE', `${item(id, itemId)}/attachments/${encodeURIComponent(fileId)}`),
		fileURL: (id: string, itemId: string, fileId: string): string => `${item(id, itemId)}/attachments/${encodeURIComponent(fileId)}`
	};
}

/** Sends a document as multipart/form-data, with the session's CSRF token. */
function upload(url: string, file: File, csrfToken: string): Promise<ApiResult<MeetingPage>> {
	const form = new FormData();
	form.append('file', file);
	return sendForm<MeetingPage>('POST', url, form, { csrfToken });
}

const MEETING_ERRORS: Readonly<Record<string, AdultMessageKey>> = {
	meeting_not_scheduled: 'meetings.error.notScheduled',
	attachment_too_large: 'meetings.error.tooLarge',
	attachment_type_not_allowed: 'meetings.error.type',
	attachment_type_mismatch: 'meetings.error.mismatch',
	held_text_needs_confirmation: 'meetings.error.held',
	conflict: 'meetings.error.conflict',
	invalid_parameter: 'meetings.error.invalid',
	not_found: 'youthCouncil.error.notFound'
};

/** What a page says for a refused change. */
export function meetingErrorKey(problem: Problem): AdultMessageKey {
	if (problem.code === 'invalid_parameter' && problem.param === 'startsAt') return 'meetings.error.startsAt';
	if (problem.code === 'invalid_parameter' && problem.param === 'move') return 'meetings.error.move';
	return problemMessageKey(problem.code, MEETING_ERRORS);
}

/** A datetime-local field's value (the device's time) as an instant for the API. */
export function instantOf(local: string): string {
	const d = new Date(local);
	return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/** An instant as a datetime-local field's value, in the device's time. */
export function localOf(iso: string): string {
	const d = new Date(iso);
	if (Number.isNaN(d.getTime())) return '';
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
