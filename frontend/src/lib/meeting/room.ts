import type { MessageKey } from '$lib/i18n';

// A youth council meeting's live room (internal/live/meeting.go, protocol voci-meeting/1):
// every screen receives the same state; a member's phone also gets its own part ("you"),
// the chair's the coach's prompt. Commands carry a key of their own; a command not yet
// answered when the connection drops is sent again, with the same key, once it is back, so
// that a vote is counted once however often the phone reconnects.

export const HAND_KINDS = ['contribution', 'for', 'against', 'question', 'point_of_order'] as const;
export type HandKind = (typeof HAND_KINDS)[number];
export const CHOICES = ['yes', 'no', 'abstain'] as const;
export type Choice = (typeof CHOICES)[number];
export const ITEM_KINDS = ['information', 'discussion', 'decision'] as const;
export const MAJORITIES = ['simple', 'absolute', 'two_thirds'] as const;

/** Where a motion may go next (voci's motionMoves): the buttons a phone offers; the server decides. */
export const MOTION_MOVES: Record<string, string[]> = {
	submitted: ['seconded', 'withdrawn', 'deferred'],
	seconded: ['debated', 'withdrawn', 'deferred', 'referred'],
	debated: ['voting', 'withdrawn', 'deferred', 'referred'],
	deferred: ['debated', 'withdrawn', 'referred']
};

/** Whether a motion can be amended now: a motion (not an amendment) seconded, debated or deferred. */
export function amendable(m: { amends?: string; state: string }): boolean {
	return !m.amends && ['seconded', 'debated', 'deferred'].includes(m.state);
}

export interface RoomState {
	seq: number;
	phase: 'not_started' | 'open' | 'ended';
	quorum: { inOffice: number; present: number; needed: number; met: boolean };
	/** minutesStartsAt: when the meeting whose minutes the item approves started. */
	item: { number: number; title: string; kind: string; approvesMinutes?: boolean; minutesStartsAt?: string } | null;
	agenda: { number: number; title: string; kind: string; approvesMinutes?: boolean; minutesStartsAt?: string }[];
	members: { id: string; name: string; present: boolean; remote: boolean }[];
	hands: { member: string; name: string; kind: HandKind }[];
	floor: { member: string; name: string; kind: HandKind; since: string; remainingSeconds: number } | null;
	listClosed: boolean;
	vote: { motion?: string; title: string; majority: string; decision: boolean; secret: boolean; method: string; voted: number; present: number } | null;
	lastResult: {
		motion?: string;
		outcome: 'adopted' | 'not_adopted' | 'not_valid';
		rule: string;
		yes: number;
		no: number;
		abstain: number;
		notVoting: number;
		absent: number;
		yesNeeded: number;
		quorumMet: boolean;
		secret: boolean;
		byHand: boolean;
	} | null;
	motions: { number: string; amends?: string; title: string; text: string; proposer: string; proposerId: string; majority: string; state: string }[];
	coach?: { step: string; member?: string; name?: string; motion?: string; balanced?: { by: string; member: string; name: string }[] };
	you?: { member: string; present: boolean; hand?: HandKind; voted: boolean; choice?: Choice; chair: boolean; secretary: boolean };
	now: string;
}

export interface Welcome {
	protocol: string;
	role: 'member' | 'organizer' | 'projector' | 'gallery';
	member?: string;
	chair: boolean;
	secretary: boolean;
	speakingSeconds: number;
}

export type Status = 'connecting' | 'open' | 'closed' | 'refused';

export interface RoomEvents {
	welcome(w: Welcome): void;
	state(s: RoomState): void;
	status(s: Status, closeCode?: number): void;
	answer(kind: string, error: { code: string; message: string } | null): void;
}

/** The message key of a hand's kind. */
export function handKey(kind: HandKind): MessageKey {
	return `meetingRoom.hand.${kind}` as MessageKey;
}

/** The message key of the chair coach's step. */
export function coachKey(step: string): MessageKey {
	return `meetingRoom.coach.${step || 'none'}` as MessageKey;
}

/** The message key of a vote's outcome. */
export function outcomeKey(outcome: string): MessageKey {
	return `meetingRoom.outcome.${outcome}` as MessageKey;
}

/** The message key of a motion's state. */
export function motionStateKey(state: string): MessageKey {
	return `meetingRoom.motionState.${state}` as MessageKey;
}

const KNOWN_ERRORS = ['no_quorum', 'vote_closed', 'not_entitled', 'forbidden', 'queue_closed', 'hand_raised', 'vote_open', 'meeting_ended', 'rate_limited', 'invalid_parameter', 'motion_transition', 'wrong_state', 'not_found', 'vote_by_hand'];

/** The message key of a refused command's code. */
export function errorKey(code: string): MessageKey {
	return (KNOWN_ERRORS.includes(code) ? `meetingRoom.error.${code}` : 'meetingRoom.error.other') as MessageKey;
}

/** Close codes after which reconnecting is pointless: the person may no longer take part. */
export const FINAL_CLOSE_CODES = [1008, 4003];

function newKey(): string {
	if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID();
	return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export function websocketURL(path: string): string {
	const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
	return `${proto}//${location.host}${path}`;
}

/** Connects to a meeting room and keeps the connection, until close(). */
export class RoomConnection {
	private ws: WebSocket | null = null;
	private pending = new Map<string, { type: string; data: unknown }>();
	private stopped = false;
	private retry = 0;

	constructor(
		private readonly url: string,
		private readonly protocols: string[] | undefined,
		private readonly on: RoomEvents
	) {
		this.connect();
	}

	private connect(): void {
		this.on.status('connecting');
		const ws = this.protocols ? new WebSocket(this.url, this.protocols) : new WebSocket(this.url);
		this.ws = ws;
		ws.onopen = () => {
			this.retry = 0;
			this.on.status('open');
			for (const [id, m] of this.pending) ws.send(JSON.stringify({ type: m.type, id, data: m.data }));
		};
		ws.onmessage = (event) => {
			let msg: { type: string; id?: string; data?: unknown };
			try {
				msg = JSON.parse(String(event.data));
			} catch {
				return;
			}
			if (msg.type === 'welcome') this.on.welcome(msg.data as Welcome);
			else if (msg.type === 'meeting.state') this.on.state(msg.data as RoomState);
			else if (msg.id && this.pending.has(msg.id) && (msg.type === 'ack' || msg.type === 'error')) {
				const cmd = this.pending.get(msg.id);
				const err = msg.type === 'error' ? (msg.data as { code: string; message: string }) : null;
				// A refusal for speed is sent again a moment later, with the same key.
				if (err?.code === 'rate_limited' && cmd) {
					const id = msg.id;
					setTimeout(() => this.ws?.readyState === WebSocket.OPEN && this.pending.has(id) && this.ws.send(JSON.stringify({ type: cmd.type, id, data: cmd.data })), 1000);
					return;
				}
				this.pending.delete(msg.id);
				this.on.answer(cmd?.type ?? '', err);
			}
		};
		ws.onclose = (event) => {
			if (this.ws !== ws) return;
			this.ws = null;
			if (this.stopped) return;
			if (FINAL_CLOSE_CODES.includes(event.code)) {
				this.on.status('refused', event.code);
				return;
			}
			this.on.status('closed', event.code);
			const wait = Math.min(10000, 500 * 2 ** this.retry++);
			setTimeout(() => !this.stopped && this.connect(), wait);
		};
	}

	/** Sends a command; it is answered through RoomEvents.answer. */
	send(type: string, data: Record<string, unknown> = {}): void {
		const id = newKey();
		this.pending.set(id, { type, data });
		if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type, id, data }));
	}

	close(): void {
		this.stopped = true;
		this.ws?.close(1000);
	}
}

/** The members waiting to speak, in the order every screen shows. */
export function queueLabel(hands: RoomState['hands'], unnamed: string): string[] {
	return hands.map((h) => h.name || unnamed);
}
