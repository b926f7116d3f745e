import { CLOSE, type Envelope, type ErrorData } from './protocol';

/** The part of the browser's WebSocket this module uses, so tests can stand in for it. */
export interface SocketLike {
	readonly readyState: number;
	send(data: string): void;
	close(code?: number, reason?: string): void;
	onopen: ((event: unknown) => void) | null;
	onmessage: ((event: { data: unknown }) => void) | null;
	onclose: ((event: { code: number }) => void) | null;
	onerror: ((event: unknown) => void) | null;
}

export interface Timers {
	setTimeout(callback: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
}

/**
 * connecting: the first attempt; open: messages flow; reconnecting: the
 * connection dropped and another attempt is scheduled; closed: over for good
 * (see `ClosedReason`).
 */
export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Why a connection will not come back. */
export type ClosedReason = 'ended' | 'removed' | 'replaced' | 'refused' | 'stopped';

export type Reply =
	| { readonly ok: true; readonly message: Envelope }
	| { readonly ok: false; readonly code: string; readonly param?: string };

export interface ConnectionOptions {
	/** The websocket URL, asked again before every attempt. */
	url: () => string;
	/** The websocket subprotocols to ask for (a child's token travels in them, never in the URL). */
	protocols?: () => string[];
	onMessage: (message: Envelope) => void;
	onStatus?: (status: ConnectionStatus, reason?: ClosedReason) => void;
	/** Called after every (re)connection, before pending requests are sent again. */
	onOpen?: () => void;
	createSocket?: (url: string, protocols: string[]) => SocketLike;
	timers?: Timers;
	random?: () => number;
	/** How long to wait for a pong before the connection is judged dead. */
	heartbeatMs?: number;
}

/** The code of a reply made up here: the connection dropped before the answer came. */
export const DISCONNECTED = 'network_error';

const OPEN = 1;
const MIN_DELAY_MS = 500;
const MAX_DELAY_MS = 10_000;

/** Backoff before reconnection attempt `attempt` (0-based): doubling, capped, with jitter. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
	const base = Math.min(MAX_DELAY_MS, MIN_DELAY_MS * 2 ** Math.min(attempt, 10));
	return Math.round(base / 2 + (random() * base) / 2);
}

/** Which close codes end the connection for good, and why. */
export function closedReason(code: number): ClosedReason | null {
	switch (code) {
		case CLOSE.ended:
			return 'ended';
		case CLOSE.removed:
			return 'removed';
		case CLOSE.replaced:
			return 'replaced';
		case CLOSE.policy:
			return 'refused';
		default:
			return null;
	}
}

interface Pending {
	readonly envelope: Envelope;
	readonly retry: boolean;
	sent: boolean;
	resolve(reply: Reply): void;
}

/**
 * One live-session websocket that comes back by itself after a dropped
 * connection. Requests carry an ID and resolve with the server's reply to
 * it; a request marked `retry` (an answer, with its idempotency key) is sent
 * again after a reconnection until it gets one, others resolve as
 * `DISCONNECTED` when the connection drops.
 */
export class LiveConnection {
	private socket: SocketLike | null = null;
	private status: ConnectionStatus = 'connecting';
	private attempt = 0;
	private nextId = 0;
	private retryTimer: unknown = null;
	private heartbeatTimer: unknown = null;
	private readonly pending = new Map<string, Pending>();
	private readonly timers: Timers;
	private readonly random: () => number;
	private readonly createSocket: (url: string, protocols: string[]) => SocketLike;

	constructor(private readonly options: ConnectionOptions) {
		this.timers = options.timers ?? {
			setTimeout: (cb, ms) => globalThis.setTimeout(cb, ms),
			clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>)
		};
		this.random = options.random ?? Math.random;
		this.createSocket =
			options.createSocket ??
			((url, protocols) =>
				(protocols.length > 0 ? new WebSocket(url, protocols) : new WebSocket(url)) as unknown as SocketLike);
	}

	get current(): ConnectionStatus {
		return this.status;
	}

	start(): void {
		this.connect();
	}

	/** Closes for good; outstanding requests resolve as disconnected. */
	stop(): void {
		this.finish('stopped');
		this.socket?.close(1000, 'bye');
	}

	/** Sends a message and resolves with the reply that echoes its ID. */
	request(type: string, data?: unknown, { retry = false } = {}): Promise<Reply> {
		const id = `c${++this.nextId}`;
		const envelope: Envelope = data === undefined ? { type, id } : { type, id, data };
		return new Promise<Reply>((resolve) => {
			if (this.status === 'closed') {
				resolve({ ok: false, code: DISCONNECTED });
				return;
			}
			const entry: Pending = { envelope, retry, sent: false, resolve };
			this.pending.set(id, entry);
			this.trySend(entry);
		});
	}

	private connect(): void {
		this.retryTimer = null;
		let socket: SocketLike;
		try {
			socket = this.createSocket(this.options.url(), this.options.protocols?.() ?? []);
		} catch {
			this.scheduleReconnect();
			return;
		}
		this.socket = socket;
		socket.onopen = () => {
			if (this.socket !== socket) return;
			this.attempt = 0;
			this.setStatus('open');
			this.options.onOpen?.();
			for (const entry of this.pending.values()) {
				entry.sent = false;
				this.trySend(entry);
			}
			this.armHeartbeat();
		};
		socket.onmessage = (event) => {
			if (this.socket !== socket || typeof event.data !== 'string') return;
			let message: Envelope;
			try {
				message = JSON.parse(event.data) as Envelope;
			} catch {
				return;
			}
			if (typeof message?.type !== 'string') return;
			this.armHeartbeat();
			this.settle(message);
			this.options.onMessage(message);
		};
		socket.onclose = (event) => {
			if (this.socket !== socket) return;
			this.socket = null;
			this.disarmHeartbeat();
			const reason = closedReason(event.code);
			if (reason !== null) {
				this.finish(reason);
				return;
			}
			if (this.status === 'closed') return;
			for (const [id, entry] of this.pending) {
				if (!entry.retry) {
					this.pending.delete(id);
					entry.resolve({ ok: false, code: DISCONNECTED });
				}
			}
			this.scheduleReconnect();
		};
		socket.onerror = () => {
			// A close event follows; it decides what happens next.
		};
	}

	private settle(message: Envelope): void {
		if (message.id === undefined) return;
		const entry = this.pending.get(message.id);
		if (!entry) return;
		this.pending.delete(message.id);
		if (message.type === 'error') {
			const data = (message.data ?? {}) as Partial<ErrorData>;
			entry.resolve({ ok: false, code: data.code ?? 'unknown', param: data.param });
		} else {
			entry.resolve({ ok: true, message });
		}
	}

	private trySend(entry: Pending): void {
		if (entry.sent || this.status !== 'open' || this.socket?.readyState !== OPEN) return;
		try {
			this.socket.send(JSON.stringify(entry.envelope));
			entry.sent = true;
		} catch {
			// The close event will follow.
		}
	}

	private scheduleReconnect(): void {
		if (this.status === 'closed' || this.retryTimer !== null) return;
		this.setStatus('reconnecting');
		const delay = reconnectDelay(this.attempt++, this.random);
		this.retryTimer = this.timers.setTimeout(() => this.connect(), delay);
	}

	/**
	 * A connection can die without a close event (a phone walking out of
	 * Wi-Fi). Any message proves it alive; after a quiet spell we ping, and
	 * if even that gets nothing we drop the socket and reconnect.
	 */
	private armHeartbeat(): void {
		this.disarmHeartbeat();
		const quiet = this.options.heartbeatMs ?? 25_000;
		this.heartbeatTimer = this.timers.setTimeout(() => {
			const socket = this.socket;
			if (!socket) return;
			try {
				socket.send(JSON.stringify({ type: 'ping' }));
			} catch {
				// Handled by the timeout below.
			}
			this.heartbeatTimer = this.timers.setTimeout(() => {
				if (this.socket !== socket) return;
				this.socket = null;
				socket.onclose = null;
				socket.close(4000, 'no heartbeat');
				this.scheduleAfterDrop();
			}, quiet / 2);
		}, quiet);
	}

	private scheduleAfterDrop(): void {
		for (const [id, entry] of this.pending) {
			if (!entry.retry) {
				this.pending.delete(id);
				entry.resolve({ ok: false, code: DISCONNECTED });
			}
		}
		this.scheduleReconnect();
	}

	private disarmHeartbeat(): void {
		if (this.heartbeatTimer !== null) this.timers.clearTimeout(this.heartbeatTimer);
		this.heartbeatTimer = null;
	}

	private finish(reason: ClosedReason): void {
		if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer);
		this.retryTimer = null;
		this.disarmHeartbeat();
		const already = this.status === 'closed';
		this.status = 'closed';
		for (const entry of this.pending.values()) entry.resolve({ ok: false, code: DISCONNECTED });
		this.pending.clear();
		if (!already) this.options.onStatus?.('closed', reason);
	}

	private setStatus(next: ConnectionStatus): void {
		if (this.status === next) return;
		this.status = next;
		this.options.onStatus?.(next);
	}
}

/** The websocket URL for `path` on this page's host. */
export function socketURL(path: string, location: { protocol: string; host: string }): string {
	return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${path}`;
}

/** The subprotocol the server answers with; PROTOCOL.md names it. */
export const LIVE_SUBPROTOCOL = 'voci-live.1';

/**
 * The subprotocols of a child's websocket: the protocol, and the participant token in the
 * `Sec-WebSocket-Protocol` header, which proxies do not log as they log URLs.
 */
export function participantProtocols(token: string): string[] {
	return [LIVE_SUBPROTOCOL, `voci-token.${token}`];
}
