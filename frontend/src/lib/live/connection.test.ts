import { describe, expect, it } from 'vitest';
import {
	closedReason,
	DISCONNECTED,
	LIVE_SUBPROTOCOL,
	LiveConnection,
	participantProtocols,
	reconnectDelay,
	socketURL,
	type SocketLike,
	type Timers
} from './connection';
import type { Envelope } from './protocol';

class FakeSocket implements SocketLike {
	readyState = 0;
	sent: Envelope[] = [];
	closedWith: number | null = null;
	onopen: ((event: unknown) => void) | null = null;
	onmessage: ((event: { data: unknown }) => void) | null = null;
	onclose: ((event: { code: number }) => void) | null = null;
	onerror: ((event: unknown) => void) | null = null;
	constructor(
		readonly url: string,
		readonly protocols: string[] = []
	) {}
	send(data: string): void {
		this.sent.push(JSON.parse(data) as Envelope);
	}
	close(code = 1000): void {
		this.closedWith = code;
	}
	open(): void {
		this.readyState = 1;
		this.onopen?.({});
	}
	receive(message: Envelope): void {
		this.onmessage?.({ data: JSON.stringify(message) });
	}
	drop(code = 1006): void {
		this.readyState = 3;
		this.onclose?.({ code });
	}
}

/** Timers run by hand: `advance` fires what is due. */
class FakeTimers implements Timers {
	now = 0;
	private next = 1;
	private readonly due = new Map<number, { at: number; fn: () => void }>();
	setTimeout(fn: () => void, ms: number): unknown {
		const id = this.next++;
		this.due.set(id, { at: this.now + ms, fn });
		return id;
	}
	clearTimeout(handle: unknown): void {
		this.due.delete(handle as number);
	}
	advance(ms: number): void {
		const until = this.now + ms;
		for (;;) {
			const ready = [...this.due].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
			if (!ready) break;
			this.due.delete(ready[0]);
			this.now = ready[1].at;
			ready[1].fn();
		}
		this.now = until;
	}
	get pending(): number {
		return this.due.size;
	}
}

function setup() {
	const sockets: FakeSocket[] = [];
	const received: Envelope[] = [];
	const statuses: string[] = [];
	const timers = new FakeTimers();
	const connection = new LiveConnection({
		url: () => 'ws://voci.test/api/v1/live/participant',
		protocols: () => participantProtocols('t0ken_-A'),
		onMessage: (m) => received.push(m),
		onStatus: (s, reason) => statuses.push(reason ? `${s}:${reason}` : s),
		createSocket: (url, protocols) => {
			const socket = new FakeSocket(url, protocols);
			sockets.push(socket);
			return socket;
		},
		timers,
		random: () => 0.5,
		heartbeatMs: 20_000
	});
	connection.start();
	const last = () => sockets[sockets.length - 1]!;
	return { connection, sockets, last, received, statuses, timers };
}

describe('reconnectDelay', () => {
	it('doubles from half a second up to ten, with jitter in the upper half', () => {
		expect(reconnectDelay(0, () => 0)).toBe(250);
		expect(reconnectDelay(0, () => 1)).toBe(500);
		expect(reconnectDelay(1, () => 1)).toBe(1000);
		expect(reconnectDelay(3, () => 1)).toBe(4000);
		expect(reconnectDelay(20, () => 1)).toBe(10_000);
		expect(reconnectDelay(20, () => 0)).toBe(5000);
	});
});

describe('closedReason', () => {
	it.each([
		[4004, 'ended'],
		[4003, 'removed'],
		[4001, 'replaced'],
		[1008, 'refused'],
		[1006, null],
		[1001, null],
		[4008, null],
		[4029, null]
	])('close code %i → %s', (code, reason) => {
		expect(closedReason(code)).toBe(reason);
	});
});

describe('LiveConnection', () => {
	it('answers a request with the reply that echoes its id', async () => {
		const { connection, last, received } = setup();
		last().open();
		const reply = connection.request('alias.reroll', { lang: 'hu' });
		expect(last().sent).toEqual([{ type: 'alias.reroll', id: 'c1', data: { lang: 'hu' } }]);
		last().receive({ type: 'session.state', data: {} });
		last().receive({ type: 'alias', id: 'c1', data: { alias: 'Vidám Róka 3' } });
		expect(await reply).toEqual({ ok: true, message: { type: 'alias', id: 'c1', data: { alias: 'Vidám Róka 3' } } });
		expect(received.map((m) => m.type)).toEqual(['session.state', 'alias']);
	});

	it('turns an error reply into its code', async () => {
		const { connection, last } = setup();
		last().open();
		const reply = connection.request('answer.submit', { questionId: 'q' });
		last().receive({ type: 'error', id: 'c1', data: { code: 'question_not_open', message: 'English', param: 'questionId' } });
		expect(await reply).toEqual({ ok: false, code: 'question_not_open', param: 'questionId' });
	});

	it('waits for the connection before sending', () => {
		const { connection, last } = setup();
		void connection.request('help.request');
		expect(last().sent).toEqual([]);
		last().open();
		expect(last().sent).toEqual([{ type: 'help.request', id: 'c1' }]);
	});

	it('reconnects after a drop, and resends an unacknowledged answer with the same key', async () => {
		const { connection, sockets, last, statuses, timers } = setup();
		last().open();
		const answer = { questionId: 'q1', choices: ['a'], idempotencyKey: 'k1' };
		const reply = connection.request('answer.submit', answer, { retry: true });
		const reroll = connection.request('alias.reroll');
		last().drop();
		expect(statuses).toEqual(['open', 'reconnecting']);
		expect(await reroll).toEqual({ ok: false, code: DISCONNECTED });

		timers.advance(374);
		expect(sockets).toHaveLength(1);
		timers.advance(1);
		expect(sockets).toHaveLength(2);
		last().open();
		expect(statuses).toEqual(['open', 'reconnecting', 'open']);
		expect(last().sent).toEqual([{ type: 'answer.submit', id: 'c1', data: answer }]);
		last().receive({ type: 'answer.ack', id: 'c1', data: { questionId: 'q1', idempotencyKey: 'k1', replayed: true } });
		expect(await reply).toMatchObject({ ok: true });
	});

	it('backs off longer after each failed attempt and starts over once connected', () => {
		const { sockets, last, timers } = setup();
		last().drop();
		timers.advance(375);
		last().drop();
		timers.advance(749);
		expect(sockets).toHaveLength(2);
		timers.advance(1);
		expect(sockets).toHaveLength(3);
		last().open();
		last().drop();
		timers.advance(375);
		expect(sockets).toHaveLength(4);
	});

	it.each([
		[4004, 'ended'],
		[4003, 'removed'],
		[4001, 'replaced']
	])('stops for good on close code %i', async (code, reason) => {
		const { connection, sockets, last, statuses, timers } = setup();
		last().open();
		const pending = connection.request('answer.submit', {}, { retry: true });
		last().drop(code);
		expect(statuses).toEqual(['open', `closed:${reason}`]);
		expect(await pending).toEqual({ ok: false, code: DISCONNECTED });
		timers.advance(60_000);
		expect(sockets).toHaveLength(1);
		expect(connection.current).toBe('closed');
	});

	it('pings a quiet connection and replaces it when even the ping gets nothing', () => {
		const { sockets, last, timers } = setup();
		last().open();
		timers.advance(20_000);
		expect(last().sent).toEqual([{ type: 'ping' }]);
		last().receive({ type: 'pong' });
		timers.advance(19_999);
		expect(last().sent).toHaveLength(1);
		timers.advance(1);
		expect(last().sent).toHaveLength(2);
		timers.advance(10_000);
		expect(sockets[0]!.closedWith).toBe(4000);
		timers.advance(375);
		expect(sockets).toHaveLength(2);
	});

	it('stops when asked, and refuses requests after', async () => {
		const { connection, last, statuses, timers } = setup();
		last().open();
		connection.stop();
		expect(last().closedWith).toBe(1000);
		expect(statuses).toEqual(['open', 'closed:stopped']);
		expect(await connection.request('ping')).toEqual({ ok: false, code: DISCONNECTED });
		expect(timers.pending).toBe(0);
	});

	it('ignores what is not a JSON envelope', () => {
		const { last, received } = setup();
		last().open();
		last().onmessage?.({ data: 'not json' });
		last().onmessage?.({ data: JSON.stringify({ id: 'x' }) });
		last().onmessage?.({ data: new ArrayBuffer(2) });
		expect(received).toEqual([]);
	});
});

describe('the participant token', () => {
	it('travels in the subprotocols, never in the URL, on every attempt', () => {
		const { sockets, last, timers } = setup();
		last().onclose?.({ code: 1006 });
		timers.advance(60_000);
		expect(sockets.length).toBeGreaterThan(1);
		for (const socket of sockets) {
			expect(socket.url).toBe('ws://voci.test/api/v1/live/participant');
			expect(socket.url).not.toContain('t0ken');
			expect(socket.protocols).toEqual([LIVE_SUBPROTOCOL, 'voci-token.t0ken_-A']);
		}
	});
});

describe('socketURL', () => {
	it('uses wss on https and ws on http', () => {
		expect(socketURL('/api/v1/live/participant', { protocol: 'https:', host: 'voci.ro' })).toBe(
			'wss://voci.ro/api/v1/live/participant'
		);
		expect(socketURL('/x', { protocol: 'http:', host: '10.0.0.2:8080' })).toBe('ws://10.0.0.2:8080/x');
	});
});
