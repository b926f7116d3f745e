/**
 * The live-session message set, "voci-live/1" (internal/live/protocol.go on
 * the server). Every message both ways is an envelope `{type, id, data}`; a
 * reply echoes the `id` of the request it answers.
 */
export const PROTOCOL_VERSION = 'voci-live/1';

export interface Envelope<D = unknown> {
	readonly type: string;
	readonly id?: string;
	readonly data?: D;
}

export type LiveState = 'lobby' | 'question_open' | 'question_locked' | 'results_revealed' | 'ended';

export type QuestionKind =
	| 'single'
	| 'multiple'
	| 'scale'
	| 'short_text'
	| 'word_cloud'
	| 'ranking'
	| 'idea_board';

export const QUESTION_KINDS: readonly QuestionKind[] = [
	'single',
	'multiple',
	'scale',
	'short_text',
	'word_cloud',
	'ranking',
	'idea_board'
];

/** Whether answers pick among options (otherwise they are text). */
export function hasOptions(kind: QuestionKind): boolean {
	return kind === 'single' || kind === 'multiple' || kind === 'scale' || kind === 'ranking';
}

export type ModerationState = '' | 'held' | 'pending' | 'approved' | 'rejected';

export interface LiveOption {
	readonly id: string;
	readonly label: string;
	readonly emoji?: string;
	readonly picture?: LivePicture;
}

/**
 * A question's or an option's picture (PROTOCOL.md, "Pictures"): `url` as
 * stored, `url?w=N` for N in `widths`; `alt` is read in its place.
 */
export interface LivePicture {
	readonly url: string;
	readonly alt: string;
	readonly width: number;
	readonly height: number;
	readonly widths: readonly number[];
}

export interface LiveQuestion {
	readonly id: string;
	readonly kind: QuestionKind;
	readonly prompt: string;
	readonly easyRead?: string;
	readonly options: readonly LiveOption[];
	readonly emojiFaces?: boolean;
	readonly maxChoices?: number;
	readonly maxLength?: number;
	/** The question's place in the consultation (1-based) and how many there are: "2 / 7". */
	readonly number?: number;
	readonly of?: number;
	readonly picture?: LivePicture;
}

export interface StateData {
	readonly sessionId: string;
	readonly state: LiveState;
	readonly question: LiveQuestion | null;
	readonly deadline?: string;
	readonly revealed: boolean;
	readonly trustText: boolean;
	/** The facilitator has locked the room against new children. */
	readonly joinsLocked?: boolean;
	/** The language the question is in: the child's where the consultation offers it, else its original one. */
	readonly lang?: string;
	/** Adults' screens: the consultation's languages, the original first… */
	readonly languages?: readonly string[];
	/** …and the question in each of the others. */
	readonly translations?: Readonly<Record<string, LiveQuestion>>;
}

export interface ParticipantData {
	readonly id: string;
	readonly alias: string;
	readonly lang: string;
	readonly ageBand: string;
	readonly gender: string;
}

/** The answer to `lang.set`: the join answer's texts in the language the child now reads. */
export interface LangOKData {
	readonly participant: ParticipantData;
	readonly consultationTitle: string;
	readonly consultationEasyRead: string;
	readonly audienceBody: string;
}

export interface StoredAnswer {
	readonly questionId: string;
	readonly choices?: readonly string[];
	readonly text?: string;
	readonly moderation?: ModerationState;
}

export interface WelcomeData {
	readonly protocol: string;
	readonly role: 'participant' | 'presenter' | 'facilitator';
	readonly sessionId: string;
	readonly joinCode?: string;
	readonly participant?: ParticipantData;
	readonly answers?: readonly StoredAnswer[];
}

export interface AckData {
	readonly questionId: string;
	readonly idempotencyKey: string;
	readonly acceptedAt: string;
	readonly moderation?: ModerationState;
	readonly replayed: boolean;
}

/** What a national line is for (PROTOCOL.md, help.ack). */
export type HelplineKind = 'abuse_report' | 'child_helpline' | 'emergency';

export interface Helpline {
	readonly number: string;
	/** A kind this client does not know is not shown. */
	readonly kind: HelplineKind | (string & {});
}

/** The answer to "I need to talk to someone". */
export interface HelpAckData {
	/** The whole answer as one text, for when the fields below are missing. */
	readonly message: string;
	/** The municipality's safeguarding lead; null when it named nobody. */
	readonly contact?: { readonly name: string; readonly phone?: string } | null;
	readonly helplines?: readonly Helpline[];
}

/** What a child thinks of another child's idea on an idea board. */
export type Reaction = 'agree' | 'disagree' | 'pass';

export const REACTIONS: readonly Reaction[] = ['agree', 'disagree', 'pass'];

/** The reactions to one idea of an idea board. */
export interface IdeaReactions {
	readonly ideaId: string;
	readonly agree: number;
	readonly disagree: number;
	readonly pass: number;
}

export interface TallyData {
	readonly questionId: string;
	readonly respondents: number;
	readonly connected: number;
	readonly options: readonly { readonly id: string; readonly count: number }[];
	/** For an idea board: the ideas someone reacted to. */
	readonly reactions?: readonly IdeaReactions[];
	/** In `results` of a ranking only: each option's average place and Borda points. */
	readonly ranking?: readonly RankingFigure[];
	readonly at: string;
}

/** A ranking option's figures over the room's orders, as the results page computes them. */
export interface RankingFigure {
	readonly id: string;
	/** 1 is first, two decimals; 0 when nobody placed it. */
	readonly averageRank: number;
	/** Borda points: n−r for place r of n options. */
	readonly points: number;
}

export interface TextData {
	readonly answerId: string;
	readonly questionId: string;
	readonly text: string;
	/** To a phone only: the idea is the child's own. */
	readonly own?: boolean;
	/** To a phone only: what the child said of the idea. */
	readonly reaction?: Reaction;
}

/** To phones: the approved ideas of the open idea board, all at once. */
export interface IdeasData {
	readonly questionId: string;
	readonly ideas: readonly TextData[];
}

/** A text that is not approved any more: off the screen. */
export interface WithdrawnData {
	readonly answerId: string;
	readonly questionId: string;
}

export interface ResultsData extends TallyData {
	readonly texts: readonly TextData[];
}

export interface ModerationData {
	readonly answerId: string;
	readonly questionId: string;
	readonly text: string;
	readonly moderation: ModerationState;
	readonly flags: readonly string[];
	readonly revision: number;
}

export interface ErrorData {
	readonly code: string;
	readonly message: string;
	readonly param?: string;
}

/** What a participant sends with an answer. */
export interface AnswerSubmit {
	readonly questionId: string;
	readonly choices?: readonly string[];
	readonly text?: string;
	readonly idempotencyKey: string;
}

/** Close codes the server uses (internal/live/client.go). */
export const CLOSE = {
	replaced: 4001,
	removed: 4003,
	ended: 4004,
	tooSlow: 4008,
	flood: 4029,
	policy: 1008
} as const;
