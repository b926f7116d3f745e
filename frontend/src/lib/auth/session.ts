import { get, writable } from 'svelte/store';
import { getJSON, sendJSON, useCsrfToken, type ApiResult } from '$lib/api/client';
import { local } from '$lib/storage';
import type { Me } from './types';

/**
 * Remembers, in this browser, that an adult signed in. Only then does a page
 * ask the server who is signed in, so a child's phone on /join never sends
 * that request. The cookie itself is HttpOnly and the truth stays with the
 * server: adults' pages always ask.
 */
export const SIGNED_IN_HINT_KEY = 'voci.signedIn';

/**
 * The signed-in adult: `undefined` while not known yet, `null` when nobody
 * is signed in. The layout, the menu and adults' pages share it.
 */
export const me = writable<Me | null | undefined>(undefined);

let pending: Promise<Me | null> | null = null;

/** Asks the server who is signed in (once at a time) and shares the answer. */
export function loadMe(): Promise<Me | null> {
	pending ??= getJSON<Me>('/api/v1/me').then((answer) => {
		pending = null;
		if (answer.ok) {
			signedIn(answer.data);
			return answer.data;
		}
		// 401: nobody is signed in. Anything else (the server unreachable) also
		// leaves the page signed out; the next page load asks again.
		if (answer.problem.status === 401) forget();
		else me.set(null);
		return null;
	});
	return pending;
}

/** Called by the layout: asks the server only when this browser has signed in before. */
export function initSession(): void {
	if (local.get(SIGNED_IN_HINT_KEY) !== null) void loadMe();
	else if (get(me) === undefined) me.set(null);
}

/** Keeps the account the server answered with (sign-in, /me, a profile change). */
export function signedIn(account: Me): void {
	useCsrfToken(account.csrfToken);
	local.set(SIGNED_IN_HINT_KEY, '1');
	me.set(account);
}

/** Forgets the account: the session ended, here or on the server. */
export function forget(): void {
	useCsrfToken('');
	local.remove(SIGNED_IN_HINT_KEY);
	me.set(null);
}

/** Ends this session on the server, then forgets it here whatever the answer. */
export async function signOut(): Promise<ApiResult<undefined>> {
	const answer = await sendJSON('POST', '/api/v1/auth/logout');
	forget();
	return answer;
}

/** Ends every session of the account, this one included. */
export async function signOutEverywhere(): Promise<ApiResult<undefined>> {
	const answer = await sendJSON('POST', '/api/v1/auth/logout-everywhere');
	if (answer.ok) forget();
	return answer;
}
