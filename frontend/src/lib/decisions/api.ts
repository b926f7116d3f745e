import { getJSON, postJSON, putJSON, sendForm, type ApiResult } from '$lib/api/client';
import { problemMessageKey, type Problem } from '$lib/api/problem';
import type { AdultMessageKey } from '$lib/i18n/types';

// Council decisions (internal/voci/decision.go): drafts, publication, corrections, status
// changes and milestones, links to recommendations, verification and traceability.

export const STATUSES = [
	'proposed',
	'adopted',
	'adopted_with_changes',
	'rejected',
	'being_implemented',
	'implemented',
	'could_not_be_implemented'
] as const;
export type DecisionStatus = (typeof STATUSES)[number];

export const RESPONSES = ['adopted_as_proposed', 'adopted_in_part', 'not_adopted', 'deferred', 'not_competent', 'merged'] as const;
export type ResponseKind = (typeof RESPONSES)[number];

/** What the server takes: checked here first, to say so before uploading. */
export const MAX_PDF_BYTES = 10 * 1024 * 1024;

export interface Vote {
	for: number;
	against: number;
	abstain: number;
	absent: number;
}

export interface DecisionLink {
	recommendationId: string;
	response: ResponseKind;
	reasons: string;
	deferredUntil: string;
	passedTo: string;
	mergedWith: string;
}

export interface DecisionContent {
	number: string;
	date: string;
	title: string;
	text: string;
	vote: Vote;
	status: DecisionStatus;
	publicationUrl: string;
	pdfFileId: string;
	pdfSha256?: string;
	links: DecisionLink[];
}

export interface DecisionEntry {
	seq: number;
	kind: 'version' | 'status' | 'milestone';
	status?: DecisionStatus;
	date?: string;
	note: string;
	corrects?: string;
	recordedAt: string;
	prevHash: string;
	hash: string;
}

export interface Decision {
	id: string;
	municipality: number;
	published: boolean;
	publishedAt: string | null;
	revision: number;
	status: DecisionStatus;
	/** The statuses the decision may be given next; none once final. */
	nextStatuses: DecisionStatus[];
	current: DecisionContent;
	versions: { version: number; seq: number; corrects: string; recordedAt: string; hash: string; content: DecisionContent }[];
	entries: DecisionEntry[];
	milestones: { date: string; note: string }[];
	headHash: string;
}

export interface DecisionSummary {
	id: string;
	number: string;
	date: string;
	title: string;
	status: DecisionStatus;
	published: boolean;
	versions: number;
	links: number;
}

export interface Recommendation {
	id: string;
	source: string;
	consultationId: string;
	themeIds: string[];
	title: string;
	text: string;
	audienceBody: string;
	awaitingDecision: boolean;
}

export interface Verification {
	ok: boolean;
	entries: number;
	headHash: string;
	brokenAt: number;
	reason: string;
}

export interface Cell {
	name?: string;
	count: number | null;
	suppressed: boolean;
}

export interface Reach {
	consultationId: string;
	title: string;
	children: Cell;
	ageBands: Cell[];
	channels: Cell[];
}

export interface DecisionTrace {
	decision: Decision;
	recommendations: { recommendation: Recommendation; themeTitles?: string[]; link: DecisionLink; consultation: Reach | null }[];
}

export interface ConsultationTrace {
	consultation: Reach;
	recommendations: {
		recommendation: Recommendation;
		decisions: {
			decisionId: string;
			version: number;
			number: string;
			date: string;
			title: string;
			status: DecisionStatus;
			link: DecisionLink;
			publicationUrl: string;
			milestones: { date: string; note: string }[];
		}[];
	}[];
}

/** A consultation's chain forward: its recommendations, their decisions and milestones. */
export function consultationTraceApi(siruta: number, consultationId: string) {
	const base = `/api/v1/municipalities/${siruta}/consultations/${encodeURIComponent(consultationId)}/trace`;
	return {
		get: () => getJSON<ConsultationTrace>(base),
		csv: `${base}.csv`,
		json: `${base}?download=1`
	};
}

export function emptyContent(): DecisionContent {
	return {
		number: '',
		date: '',
		title: '',
		text: '',
		vote: { for: 0, against: 0, abstain: 0, absent: 0 },
		status: 'adopted',
		publicationUrl: '',
		pdfFileId: '',
		links: []
	};
}

export function emptyLink(recommendationId = ''): DecisionLink {
	return { recommendationId, response: 'adopted_as_proposed', reasons: '', deferredUntil: '', passedTo: '', mergedWith: '' };
}

/** The content as the API takes it: a link carries only the field its kind needs. */
export function toRequest(c: DecisionContent): Omit<DecisionContent, 'pdfSha256'> {
	const { pdfSha256: _, ...rest } = c;
	return {
		...rest,
		links: c.links.map((l) => ({
			recommendationId: l.recommendationId,
			response: l.response,
			reasons: l.reasons,
			deferredUntil: l.response === 'deferred' ? l.deferredUntil : '',
			passedTo: l.response === 'not_competent' ? l.passedTo : '',
			mergedWith: l.response === 'merged' ? l.mergedWith : ''
		}))
	};
}

export function decisionsApi(siruta: number, csrfToken: string) {
	const base = `/api/v1/municipalities/${siruta}`;
	const one = (id: string) => `${base}/decisions/${encodeURIComponent(id)}`;
	const opts = { csrfToken };
	return {
		list: () => getJSON<{ decisions: DecisionSummary[] }>(`${base}/decisions`),
		get: (id: string) => getJSON<Decision>(one(id)),
		create: (c: DecisionContent) => postJSON<Decision>(`${base}/decisions`, toRequest(c), opts),
		update: (id: string, revision: number, c: DecisionContent) => putJSON<Decision>(one(id), { revision, ...toRequest(c) }, opts),
		publish: (id: string, revision: number) => postJSON<Decision>(`${one(id)}/publish`, { revision }, opts),
		correct: (id: string, corrects: string, c: DecisionContent) =>
			postJSON<Decision>(`${one(id)}/corrections`, { corrects, ...toRequest(c) }, opts),
		status: (id: string, status: DecisionStatus, date: string, note: string) =>
			postJSON<Decision>(`${one(id)}/status`, { status, date, note }, opts),
		milestone: (id: string, date: string, note: string) => postJSON<Decision>(`${one(id)}/milestones`, { date, note }, opts),
		verify: (id: string) => getJSON<Verification>(`${one(id)}/verify`),
		trace: (id: string) => getJSON<DecisionTrace>(`${one(id)}/trace`),
		traceCSV: (id: string) => `${one(id)}/trace.csv`,
		traceJSON: (id: string) => `${one(id)}/trace?download=1`,
		pdfURL: (fileId: string) => `${base}/decision-files/${encodeURIComponent(fileId)}`,
		recommendations: () => getJSON<{ recommendations: Recommendation[] }>(`${base}/decision-recommendations`),
		uploadPDF: (file: Blob) => uploadPDF(`${base}/decision-files`, file, csrfToken)
	};
}

export type DecisionsApi = ReturnType<typeof decisionsApi>;

function uploadPDF(url: string, file: Blob, csrfToken: string): Promise<ApiResult<{ fileId: string; size: number }>> {
	const form = new FormData();
	form.append('pdf', file);
	return sendForm('POST', url, form, { csrfToken });
}

const PARAM_MESSAGES: Readonly<Record<string, AdultMessageKey>> = {
	title: 'decisions.error.title',
	number: 'decisions.error.number',
	date: 'decisions.error.date',
	publicationUrl: 'decisions.error.publicationUrl',
	corrects: 'decisions.error.corrects',
	note: 'decisions.error.note',
	reasons: 'decisions.error.reasons',
	deferredUntil: 'decisions.error.deferredUntil',
	passedTo: 'decisions.error.passedTo',
	mergedWith: 'decisions.error.mergedWith',
	recommendationId: 'decisions.error.recommendation'
};

/** What an adult reads when a decisions request fails; the server's English detail is never shown. */
export function decisionErrorKey(problem: Pick<Problem, 'code' | 'param'>): AdultMessageKey {
	if (problem.code === 'invalid_parameter' && problem.param) {
		const field = problem.param.replace(/^links\[\d+\]\./, '').replace(/^vote\..*/, 'vote');
		if (field === 'vote') return 'decisions.error.vote';
		if (PARAM_MESSAGES[field]) return PARAM_MESSAGES[field];
	}
	return problemMessageKey(problem.code, {
		decision_published: 'decisions.error.published',
		decision_not_published: 'decisions.error.draft',
		link_other_municipality: 'decisions.error.otherMunicipality',
		changed_meanwhile: 'decisions.error.changed',
		not_a_pdf: 'decisions.error.notPdf',
		pdf_too_large: 'decisions.error.pdfTooLarge',
		status_date_out_of_range: 'decisions.error.statusDate',
		unauthorized: 'adult.signedOut',
		forbidden: 'adult.forbidden'
	});
}

/** Council members and the coordinator record a municipality's decisions. */
export const RECORDER_ROLES = ['council_member', 'coordinator'] as const;
/** Facilitators read them too (the platform's roles as well, through the API). */
export const DECISION_READER_ROLES = ['council_member', 'coordinator', 'facilitator'] as const;

type WithRoles = { readonly roles: readonly { role: string; municipality?: number }[] };

/** Whether `me` records the municipality's decisions. */
export function mayRecord(me: WithRoles | null, siruta: number): boolean {
	return me !== null && me.roles.some((g) => g.municipality === siruta && (RECORDER_ROLES as readonly string[]).includes(g.role));
}

/** Whether `me` reads the municipality's decisions: its team, or a platform role. */
export function mayReadDecisions(me: WithRoles | null, siruta: number): boolean {
	return (
		me !== null &&
		me.roles.some(
			(g) =>
				(g.municipality === siruta && (DECISION_READER_ROLES as readonly string[]).includes(g.role)) ||
				(!g.municipality && (g.role === 'platform_admin' || g.role === 'national_committee'))
		)
	);
}
