import { getJSON, sendJSON, type ApiResult } from '$lib/api/client';
import { problemMessageKey, type Problem } from '$lib/api/problem';
import type { AdultMessageKey } from '$lib/i18n/types';
import type { Office } from './member';

// The youth council as adults manage it (internal/httpapi/council.go): the coordinator and
// the platform admin change it and alone see guardians' consent; the municipality's
// facilitators and council members read it.

export type { Office } from './member';
export const OFFICES: readonly Office[] = ['', 'president', 'vice_president', 'secretary'];
export const AGE_BANDS = ['10_12', '13_15', '16_18'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];
export const MAJORITIES = ['simple', 'absolute', 'two_thirds'] as const;
export const CHAIR_RULES = ['president', 'president_or_vice', 'any_member'] as const;
export const CONSENT_METHODS = ['paper_form', 'in_person', 'electronic'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

export interface Council {
	id: string;
	municipality: number;
	name: string;
	termStart: string;
	termEnd: string;
	quorum: { numerator: number; denominator: number };
	majority: (typeof MAJORITIES)[number];
	chair: (typeof CHAIR_RULES)[number];
}

export interface Member {
	id: string;
	displayName: string;
	recordName: string | null;
	ageBand: AgeBand;
	office: Office;
	joinedOn: string;
	leftOn: string | null;
	inOffice: boolean;
	needsConsent: boolean;
	canTakePart: boolean;
	reason: 'left' | 'consent_missing' | 'consent_withdrawn' | null;
	hasCard: boolean;
	version: number;
}

export interface CouncilPage {
	council: Council;
	members: Member[];
	mayManage: boolean;
}

export interface ConsentRecord {
	memberId: string;
	needsConsent: boolean;
	member: Member;
	consent: {
		guardianName: string;
		givenOn: string;
		method: ConsentMethod;
		scope: string;
		recordedAt: string;
		withdrawnOn: string | null;
		inForce: boolean;
	} | null;
}

export interface Card {
	memberId: string;
	displayName: string;
	office: Office;
	councilName: string;
	link: string;
	qr: string;
	issuedAt: string;
}

export interface CouncilSettings {
	name?: string;
	termStart?: string;
	termEnd?: string;
	quorum?: { numerator: number; denominator: number };
	majority?: string;
	chair?: string;
}

export interface MemberFields {
	displayName?: string;
	ageBand?: AgeBand;
	office?: Office;
	joinedOn?: string;
	version?: number;
}

export interface ConsentFields {
	guardianName: string;
	givenOn: string;
	method: ConsentMethod;
	scope: string;
	version?: number;
}

/** The calls of one municipality's youth council. */
export function councilApi(siruta: number) {
	const base = `/api/v1/municipalities/${siruta}/youth-council`;
	return {
		get: (): Promise<ApiResult<CouncilPage>> => getJSON<CouncilPage>(base),
		save: (s: CouncilSettings): Promise<ApiResult<CouncilPage>> => sendJSON<CouncilPage>('PUT', base, s),
		addMember: (m: MemberFields): Promise<ApiResult<Member>> => sendJSON<Member>('POST', `${base}/members`, m),
		updateMember: (id: string, m: MemberFields): Promise<ApiResult<Member>> => sendJSON<Member>('PATCH', `${base}/members/${id}`, m),
		leave: (id: string, on: string, version: number): Promise<ApiResult<Member>> =>
			sendJSON<Member>('POST', `${base}/members/${id}/leave`, { on, version }),
		consents: (): Promise<ApiResult<{ consents: ConsentRecord[] }>> => getJSON<{ consents: ConsentRecord[] }>(`${base}/consents`),
		recordConsent: (id: string, c: ConsentFields): Promise<ApiResult<ConsentRecord>> =>
			sendJSON<ConsentRecord>('PUT', `${base}/members/${id}/consent`, c),
		withdrawConsent: (id: string, on: string, version: number): Promise<ApiResult<ConsentRecord>> =>
			sendJSON<ConsentRecord>('POST', `${base}/members/${id}/consent/withdraw`, { on, version }),
		issueCard: (id: string): Promise<ApiResult<Card>> => sendJSON<Card>('POST', `${base}/members/${id}/card`),
		revokeCard: (id: string): Promise<ApiResult<undefined>> => sendJSON('DELETE', `${base}/members/${id}/card`)
	};
}

const COUNCIL_ERRORS: Readonly<Record<string, AdultMessageKey>> = {
	office_taken: 'youthCouncil.error.officeTaken',
	member_left: 'youthCouncil.error.memberLeft',
	conflict: 'youthCouncil.error.conflict',
	invalid_parameter: 'youthCouncil.error.invalid',
	not_found: 'youthCouncil.error.notFound'
};

/** What a page says for a refused change. */
export function councilErrorKey(problem: Problem): AdultMessageKey {
	if (problem.code === 'invalid_parameter' && problem.param === 'displayName') return 'youthCouncil.error.displayName';
	return problemMessageKey(problem.code, COUNCIL_ERRORS);
}

type WithRoles = { readonly roles: readonly { role: string; municipality?: number }[] };

function holds(me: WithRoles, roles: readonly string[], siruta: number): boolean {
	return me.roles.some((g) => roles.includes(g.role) && (g.role === 'platform_admin' || g.municipality === siruta));
}

/** Whether `me` may read the municipality's youth council. */
export function mayReadCouncil(me: WithRoles, siruta: number): boolean {
	return holds(me, ['platform_admin', 'coordinator', 'facilitator', 'council_member'], siruta);
}

/** Whether `me` may manage the council and see guardians' consent. */
export function mayManageCouncil(me: WithRoles, siruta: number): boolean {
	return holds(me, ['platform_admin', 'coordinator'], siruta);
}

/** Today as YYYY-MM-DD, in UTC as the server keeps dates. */
export function today(now: Date = new Date()): string {
	return now.toISOString().slice(0, 10);
}
