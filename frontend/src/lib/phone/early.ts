// The first screen of a live session and of a self-paced link, before the page's scripts.
//
// Both pages are written out at build time as shells, and their first screen needs data: the
// session's state from the live connection, the consultation from the API. On a slow phone
// network the page's scripts take more than a second to arrive. So the shell starts the data
// itself, from a small script inline in its head, while the scripts download, and fills in a
// first screen written out with the page (EarlySession.svelte, EarlySelfPaced.svelte). Once
// started, the page takes over the same request or the same connection rather than asking
// again, and draws the same screen in its place. The shells are written in Romanian; for a
// phone shown English or Hungarian, app.html puts the screen's words in that language as soon
// as the body is parsed (see $lib/phone/words), and only then are the data filled in.
//
// earlySession and earlySelfPaced run as inline scripts: the shell carries their source, so
// they must not use anything from outside their own body.

import type { SocketLike } from '$lib/live/connection';

/** What an inline script left for the page: one request, or one live connection. */
interface EarlyRequest {
	readonly url: string;
	readonly bearer: string | null;
	readonly response: Promise<Response>;
}

interface EarlySocket {
	readonly url: string;
	readonly protocols: string;
	readonly socket: WebSocket;
	readonly messages: MessageEvent[];
	opened: boolean;
	closed: CloseEvent | null;
}

interface EarlyWindow {
	__vociLang?: string;
	__vociEarlyRequest?: EarlyRequest;
	__vociEarlySocket?: EarlySocket;
}

/**
 * /p/KEY: asks for the consultation (or, for a child coming back, their place in it) in the
 * page's language, and shows the introduction from the answer.
 */
export function earlySelfPaced(w: Window & EarlyWindow): void {
	const match = /^\/p\/([^/]+)$/.exec(w.location.pathname);
	if (!match) return;
	let key: string;
	try {
		key = decodeURIComponent(match[1] ?? '');
	} catch {
		return;
	}
	const lang = w.__vociLang || 'ro';
	let token: string | null = null;
	try {
		token = w.localStorage.getItem('voci.selfPaced.' + key);
	} catch {
		// No storage: a child starting afresh.
	}
	const base = '/api/v1/self-paced/' + encodeURIComponent(key);
	const url = (token ? base + '/me' : base) + '?lang=' + encodeURIComponent(lang);
	const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
	if (token) headers.Authorization = 'Bearer ' + token;
	const response = w.fetch(url, { headers, credentials: 'same-origin' });
	w.__vociEarlyRequest = { url, bearer: token, response };
	// A child coming back starts on a question, which only the page draws.
	if (token) return;

	const zone = 'Europe/Bucharest';
	// As formatDate and formatMoment in $lib/format.
	const day = (value: string): string => {
		const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
		if (d) return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]))));
		const date = new Date(value);
		return isNaN(date.getTime()) ? value : new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: zone }).format(date);
	};
	const moment = (value: string): string => {
		const date = new Date(value);
		return isNaN(date.getTime()) ? value : new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short', timeZone: zone }).format(date);
	};
	response
		.then((r) => (r.ok ? r.clone().json() : null))
		.then((c) => {
			// After app.html has put the screen's words in the page's language (on DOMContentLoaded).
			if (w.document.readyState === 'loading') return new Promise((resolve) => w.document.addEventListener('DOMContentLoaded', () => resolve(c)));
			return c;
		})
		.then((c) => {
			const screen = w.document.querySelector('[data-early-screen]');
			// The page has started (and drew its own screen), or the shell is written in
			// another language than the answer.
			if (!c || !screen || lang !== w.document.documentElement.lang) return;
			const fill = (name: string, text: string) => {
				for (const el of screen.querySelectorAll('[data-early="' + name + '"]')) el.textContent = text;
			};
			fill('title', c.title);
			fill('lead', c.easyRead || c.purpose);
			fill('body', c.audienceBody);
			fill('date', day(c.answerBy));
			fill('until', moment(c.closesAt));
			if (!(c.easyRead || c.purpose)) screen.querySelector('[data-early-part="lead"]')?.setAttribute('hidden', '');
			screen.querySelector('[data-early-part="wait"]')?.setAttribute('hidden', '');
			screen.querySelector('[data-early-part="ready"]')?.removeAttribute('hidden');
		})
		.catch(() => {
			// The page asks again once started.
		});
}

/**
 * /session: opens the child's live connection with the join answer this tab keeps, and
 * shows the lobby once the server has said who the child is and that the session waits.
 */
export function earlySession(w: Window & EarlyWindow): void {
	let joined: { websocket?: unknown; participantToken?: unknown; session?: { consultationTitle?: unknown } } | null = null;
	try {
		joined = JSON.parse(w.sessionStorage.getItem('voci.participant') || 'null');
	} catch {
		return;
	}
	if (!joined || typeof joined.websocket !== 'string' || typeof joined.participantToken !== 'string' || !joined.session) return;
	const url = (w.location.protocol === 'https:' ? 'wss:' : 'ws:') + '//' + w.location.host + joined.websocket;
	// As participantProtocols in $lib/live/connection.
	const protocols = ['voci-live.1', 'voci-token.' + joined.participantToken];
	let socket: WebSocket;
	try {
		socket = new WebSocket(url, protocols);
	} catch {
		return;
	}
	const early: EarlySocket = { url, protocols: protocols.join(' '), socket, messages: [], opened: false, closed: null };
	w.__vociEarlySocket = early;
	const title = String(joined.session.consultationTitle ?? '');
	let alias: string | null = null;
	let waiting = false;

	const draw = (): void => {
		const screen = w.document.querySelector('[data-early-screen]');
		if (!screen) return;
		for (const el of screen.querySelectorAll('[data-early="title"]')) el.textContent = title;
		screen.removeAttribute('hidden');
		if (alias === null || !waiting || w.document.documentElement.lang !== (w.__vociLang || 'ro')) return;
		// The alias card's name (AliasCard.svelte).
		for (const el of screen.querySelectorAll('.alias__name')) el.textContent = alias;
		screen.querySelector('[data-early-part="wait"]')?.setAttribute('hidden', '');
		screen.querySelector('[data-early-part="ready"]')?.removeAttribute('hidden');
	};
	socket.onopen = () => {
		early.opened = true;
	};
	socket.onmessage = (event) => {
		early.messages.push(event);
		try {
			const message = JSON.parse(event.data);
			if (message.type === 'welcome' && message.data && message.data.participant) alias = String(message.data.participant.alias);
			// As phaseOf in $lib/live/participantState: the lobby, or a question not yet shown.
			if (message.type === 'session.state' && message.data) waiting = message.data.state === 'lobby' || (message.data.state === 'question_open' && !message.data.question);
		} catch {
			return;
		}
		draw();
	};
	socket.onclose = (event) => {
		early.closed = event;
	};
	if (w.document.readyState === 'loading') w.document.addEventListener('DOMContentLoaded', draw);
	else draw();
}

function earlyWindow(): EarlyWindow | null {
	return typeof window === 'undefined' ? null : (window as unknown as EarlyWindow);
}

/**
 * The response to the request the shell started for `url` with this token, taken once; null
 * when the shell started none, or another.
 */
export function takeEarlyResponse(url: string, bearer: string | null): Promise<Response> | null {
	const w = earlyWindow();
	const early = w?.__vociEarlyRequest;
	if (!w || !early) return null;
	delete w.__vociEarlyRequest;
	return early.url === url && early.bearer === bearer ? early.response : null;
}

/**
 * The live connection the shell opened for this URL and these subprotocols, taken once, as a
 * socket that first replays what it heard before the page started; null when there is none.
 * A connection opened for another child or session is closed.
 */
export function takeEarlySocket(url: string, protocols: readonly string[]): SocketLike | null {
	const w = earlyWindow();
	const early = w?.__vociEarlySocket;
	if (!w || !early) return null;
	delete w.__vociEarlySocket;
	const socket = early.socket;
	if (early.url !== url || early.protocols !== protocols.join(' ')) {
		socket.close(1000, 'bye');
		return null;
	}
	const adopted: SocketLike = {
		get readyState() {
			return socket.readyState;
		},
		send: (data) => socket.send(data),
		close: (code, reason) => socket.close(code, reason),
		onopen: null,
		onmessage: null,
		onclose: null,
		onerror: null
	};
	// The caller sets the handlers right after this returns: replay then, in order, and pass
	// on what comes next.
	queueMicrotask(() => {
		if (early.opened) adopted.onopen?.({});
		for (const message of early.messages) adopted.onmessage?.(message);
		if (early.closed) {
			adopted.onclose?.(early.closed);
			return;
		}
		socket.onopen = (event) => adopted.onopen?.(event);
		socket.onmessage = (event) => adopted.onmessage?.(event);
		socket.onclose = (event) => adopted.onclose?.(event);
		socket.onerror = (event) => adopted.onerror?.(event);
	});
	return adopted;
}

/** Closes the connection the shell opened, when the page will not use it. */
export function dropEarlySocket(): void {
	const w = earlyWindow();
	w?.__vociEarlySocket?.socket.close(1000, 'bye');
	if (w) delete w.__vociEarlySocket;
}

/**
 * A sentence of the dictionary with its parameters as empty elements that the inline script
 * fills in: `{body}` becomes `<span data-early="body"></span>`. `translate` is given markers
 * for the parameters; the rest of the sentence is escaped.
 */
export function slotted(translate: (params: Record<string, string>) => string, names: readonly string[]): string {
	const params = Object.fromEntries(names.map((name) => [name, `\u0001${name}\u0001`]));
	const escaped = translate(params).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
	return escaped.replace(/\u0001([a-zA-Z]+)\u0001/g, (_, name: string) => `<span data-early="${name}"></span>`);
}
