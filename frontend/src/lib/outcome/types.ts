/** Where a consultation stands with its answer to the children (see voci.FeedbackStatus). */
export interface FeedbackStatus {
	readonly state: 'answered' | 'overdue' | 'waiting' | 'none';
	readonly dueBy: string | null;
	readonly answeredAt: string | null;
	readonly recommendations: number;
	readonly published: number;
}

export interface PublicOption {
	readonly label: string;
	readonly emoji?: string;
	/** null when hidden: too few children. */
	readonly count: number | null;
	readonly percent: number | null;
	readonly hidden?: boolean;
}

export interface PublicQuestion {
	readonly prompt: string;
	readonly kind: string;
	readonly respondents: number | null;
	readonly options: readonly PublicOption[];
}

export interface PublicTheme {
	readonly title: string;
	readonly summary: string;
	readonly quotes: readonly string[];
	readonly inputs: number | null;
}

export interface PublicFeedback {
	readonly version: number;
	readonly corrects?: string;
	readonly lang: string;
	readonly text: string;
	readonly easyRead: string;
	readonly publishedAt: string;
}

export interface PublicDecision {
	readonly number: string;
	readonly date: string | null;
	readonly title: string;
	readonly status: string;
	readonly response: string;
	readonly reasons?: string;
	readonly deferredUntil?: string | null;
	readonly passedTo?: string;
	readonly mergedWith?: string;
	readonly publicationUrl?: string;
	readonly milestones: readonly { readonly date: string; readonly note: string }[];
}

export interface PublicRecommendation {
	readonly id: string;
	readonly title: string;
	readonly text: string;
	readonly audienceBody: string;
	readonly feedback: PublicFeedback | null;
	readonly decisions: readonly PublicDecision[];
}

/** The public outcome of one consultation: GET /api/v1/public/consultations/{id}/outcome. */
export interface Outcome {
	readonly consultationId: string;
	readonly municipality: number;
	readonly lang: string;
	readonly title: string;
	readonly purpose: string;
	readonly easyRead: string;
	readonly audienceBody: string;
	readonly status: string;
	readonly feedback: FeedbackStatus;
	readonly date: string | null;
	/** Absent on the municipality's page. */
	readonly questions?: readonly PublicQuestion[];
	readonly themes: readonly PublicTheme[];
	readonly recommendations: readonly PublicRecommendation[];
}

/** A municipality's public page: GET /api/v1/public/municipalities/{siruta}. */
export interface PublicMunicipality {
	readonly municipality: { readonly siruta: number; readonly name: string; readonly countyName: string };
	readonly lang: string;
	readonly consultations: readonly Outcome[];
	/** The youth council's motions sent to the local council, newest first; no member is named. */
	readonly councilMotions: readonly PublicCouncilMotion[];
}

/** A youth council's motion sent to the local council, with the answer so far. */
export interface PublicCouncilMotion extends PublicRecommendation {
	readonly number: string;
	readonly sentAt: string;
	readonly state: 'sent' | 'decided' | 'answered';
}

const DECISION_STATUSES = [
	'proposed',
	'adopted',
	'adopted_with_changes',
	'rejected',
	'being_implemented',
	'implemented',
	'not_implemented'
] as const;
const RESPONSES = ['adopted', 'adopted_in_part', 'not_adopted', 'deferred', 'not_competent', 'merged'] as const;

/** The message key of a decision's status; unknown ones read "in progress". */
export function statusKey(status: string): `outcome.status.${(typeof DECISION_STATUSES)[number] | 'other'}` {
	const known = DECISION_STATUSES.find((s) => s === status);
	if (known) return `outcome.status.${known}`;
	if (status === 'could_not_be_implemented') return 'outcome.status.not_implemented';
	return 'outcome.status.other';
}

/** The message key of how a decision took the children's views into account. */
export function responseKey(response: string): `outcome.response.${(typeof RESPONSES)[number] | 'other'}` {
	const aliases: Record<string, (typeof RESPONSES)[number]> = { adopted_as_proposed: 'adopted' };
	const known = RESPONSES.find((r) => r === response) ?? aliases[response];
	return known ? `outcome.response.${known}` : 'outcome.response.other';
}
