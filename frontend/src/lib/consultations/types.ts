import type { FeedbackStatus } from '$lib/outcome/types';
import type { LivePicture, LiveState, QuestionKind } from '$lib/live/protocol';

export const AGE_BANDS = ['under_10', '10_12', '13_15', '16_18'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** "Prefer not to say" first: it is a full answer, not an afterthought. */
export const GENDERS = ['prefer_not_to_say', 'girl', 'boy', 'other'] as const;
export type Gender = (typeof GENDERS)[number];

export const CFCI_GOALS = [
	'valued_fairly',
	'voice_heard',
	'essential_services',
	'safe_environment',
	'family_play_leisure'
] as const;
export type CfciGoal = (typeof CFCI_GOALS)[number];

export const MODES = ['live', 'self_paced', 'paper'] as const;
export type Mode = (typeof MODES)[number];

export type ConsultationStatus = 'draft' | 'open' | 'closed';

export interface OptionInput {
	readonly id?: string;
	readonly label: string;
	readonly emoji?: string;
	/** Shown; the server ignores it when sent (pictures have their own routes). */
	readonly picture?: LivePicture;
}

/** The languages a consultation's content may be written in, in the editor's order. */
export const CONTENT_LANGUAGES = ['ro', 'hu', 'en'] as const;
export type ContentLanguage = (typeof CONTENT_LANGUAGES)[number];

/** A consultation's texts in a language other than its original one; '' is missing. */
export interface ConsultationText {
	readonly title: string;
	readonly purpose: string;
	readonly easyRead: string;
	/** Who reads the children's views, named in this language; absent from older consultations. */
	readonly audienceBody?: string;
}

/** A question's wording in a language other than its consultation's original one; '' is missing. */
export interface QuestionText {
	readonly prompt: string;
	readonly easyRead: string;
	/** By the original option's ID; no ID: the original's option at the same position. */
	readonly options: readonly { readonly id?: string; readonly label: string }[];
}

export interface Question {
	readonly id: string;
	readonly position: number;
	readonly kind: QuestionKind;
	readonly prompt: string;
	readonly easyRead: string;
	readonly options: readonly OptionInput[];
	readonly emojiFaces: boolean;
	readonly maxChoices: number;
	readonly frozen: boolean;
	readonly picture?: LivePicture;
	readonly translations?: Readonly<Record<string, QuestionText>>;
}

export interface QuestionInput {
	readonly kind: QuestionKind;
	readonly prompt: string;
	readonly easyRead: string;
	readonly options: readonly OptionInput[];
	readonly emojiFaces: boolean;
	readonly maxChoices: number;
	readonly scalePoints?: 3 | 5;
	readonly translations?: Readonly<Record<string, QuestionText>>;
}

export interface ConsultationInput {
	readonly title: string;
	readonly purpose: string;
	readonly easyRead: string;
	readonly ageBands: readonly string[];
	readonly goals: readonly string[];
	readonly topics: readonly string[];
	readonly audienceBody: string;
	readonly answerBy: string | null;
	readonly modes: readonly string[];
	readonly selfPacedFrom: string | null;
	readonly selfPacedUntil: string | null;
	/** Offered languages, the original first (it cannot change once created). */
	readonly languages?: readonly string[];
	readonly translations?: Readonly<Record<string, ConsultationText>>;
}

export interface Consultation extends ConsultationInput {
	/** With the questions: texts not yet written, per other language. */
	readonly missingTranslations?: Readonly<Record<string, number>>;
	/** When read with ?lang=: the language the texts are in. */
	readonly lang?: string;
	readonly id: string;
	readonly municipality: number;
	readonly status: ConsultationStatus;
	readonly createdAt: string;
	readonly updatedAt: string;
	readonly questions?: readonly Question[];
	/** Whether the audience has answered the children: answered, overdue, waiting or none. */
	readonly feedback?: FeedbackStatus;
}

export interface LiveSession {
	readonly id: string;
	readonly consultationId: string;
	readonly municipality: number;
	readonly joinCode: string;
	readonly joinUrl: string;
	readonly state: LiveState;
	readonly questionId?: string;
	readonly deadline: string | null;
	readonly revealed: readonly string[];
	readonly trustText: boolean;
	readonly startedAt: string;
	readonly endedAt: string | null;
	readonly participants: number;
}

export interface SessionParticipant {
	readonly id: string;
	readonly alias: string;
	readonly removed: boolean;
	readonly joinedAt: string;
}

/** A child's "I need to talk to someone", for the safeguarding lead and the coordinator. */
/** A consultation's self-paced link: children open `url` on their own devices between the dates. */
export interface SelfPacedLink {
	readonly key: string;
	readonly url: string;
	readonly opensAt: string;
	readonly closesAt: string;
	/** Whether children can use it now. */
	readonly open: boolean;
}

export interface HelpRequest {
	readonly id: string;
	/** asked: the child pressed the button; possible_disclosure: screening flagged a text. */
	readonly kind: 'asked' | 'possible_disclosure';
	/** The live session; empty for a child who came through a self-paced link. */
	readonly sessionId: string;
	readonly consultationId?: string;
	readonly consultationTitle: string;
	readonly joinCode?: string;
	readonly sessionStartedAt?: string;
	/** The adult who started the live session. */
	readonly facilitator?: string;
	readonly municipalityName: string;
	/** The alias the child has now. */
	readonly alias: string;
	readonly createdAt: string;
	readonly acknowledgedAt: string | null;
	readonly acknowledgedBy?: string;
	readonly note: string;
	readonly closedAt: string | null;
	/** The text that raised a possible disclosure. */
	readonly answerText?: string;
	/** Whether the safeguarding leads were emailed; '' for requests from before it was kept. */
	readonly notification?: HelpNotification;
}

export interface HelpRequestPage {
	readonly items: HelpRequest[];
	readonly total: number;
	readonly offset: number;
	readonly limit: number;
	/** False when no mail server is configured: the leads are told in Voci only. */
	readonly mailConfigured: boolean;
}

export type HelpNotification = '' | 'pending' | 'sent' | 'retrying' | 'failed' | 'not_configured' | 'no_recipients';

/** Which texts a facilitator reviews. */
export type ReviewFilter = 'waiting' | 'approved' | 'rejected' | 'all';

export const REVIEW_FILTERS: readonly ReviewFilter[] = ['waiting', 'approved', 'rejected', 'all'];

export interface ModerationItem {
	readonly answerId: string;
	readonly questionId: string;
	readonly sessionId?: string;
	readonly text: string;
	readonly moderation: 'held' | 'pending' | 'approved' | 'rejected';
	readonly flags: readonly string[];
	readonly revision: number;
	readonly source: string;
	readonly at: string;
}

/** A count the server may have suppressed: `count` is null then. */
export interface CountCell {
	readonly id: string;
	readonly count: number | null;
	readonly suppressed?: boolean;
}

export interface Group {
	readonly group: string;
	readonly respondents: number | null;
	readonly suppressed?: boolean;
	readonly options: readonly CountCell[];
	/** A ranking's statistics for the group, per option; null figures when hidden. */
	readonly ranks?: readonly RankCell[];
}

/** One option's ranking statistics in a group: null (and suppressed) when hidden. */
export interface RankCell {
	readonly id: string;
	readonly points: number | null;
	readonly averageRank: number | null;
	readonly suppressed?: boolean;
}

export interface QuestionResults {
	readonly questionId: string;
	readonly position: number;
	readonly kind: QuestionKind;
	readonly prompt: string;
	readonly respondents: number;
	readonly bySource: Readonly<Record<string, number>>;
	readonly options: readonly {
		readonly id: string;
		readonly label: string;
		readonly emoji?: string;
		readonly count: number;
		readonly percent: number;
		/** A ranking's Borda points (n−r for place r of n options) and average place (1 is first). */
		readonly points?: number;
		readonly averageRank?: number;
	}[];
	readonly texts: readonly {
		readonly id: string;
		readonly text: string;
		readonly source: string;
		/** For an idea board: the children's reactions. */
		readonly reactions?: { readonly agree: number; readonly disagree: number; readonly pass: number };
	}[];
	readonly words?: readonly { readonly word: string; readonly count: number }[];
	readonly byAgeBand?: { readonly groups: readonly Group[] };
	readonly byGender?: { readonly groups: readonly Group[] };
	/** The question's wordings, oldest first, when it was reworded after children answered. */
	readonly promptVersions?: readonly {
		readonly version: number;
		readonly prompt: string;
		readonly from: string;
		readonly until: string | null;
		readonly respondents: number | null;
		readonly suppressed: boolean;
	}[];
}

export interface Results {
	readonly consultationId: string;
	readonly title: string;
	readonly k: number;
	readonly generatedAt: string;
	readonly questions: readonly QuestionResults[];
}
