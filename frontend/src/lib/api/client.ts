import { networkProblem, toProblem, type Problem } from './problem';

export type ApiResult<T> = { readonly ok: true; readonly data: T } | { readonly ok: false; readonly problem: Problem };

export interface RequestOptions {
	readonly signal?: AbortSignal;
	/**
	 * An adult's CSRF token for this request. Without it, state-changing
	 * requests carry the token of the signed-in session (see useCsrfToken).
	 */
	readonly csrfToken?: string;
	/** A child's participant token (a self-paced link), sent as `Authorization: Bearer`. */
	readonly bearer?: string;
}

/** The header that carries the session's CSRF token on every state-changing request. */
export const CSRF_HEADER = 'X-CSRF-Token';

// The token of the current session, from the last /me answer. It is kept in
// memory only: a reload asks /me again.
let csrfToken = '';

/** Sends `token` with every later state-changing request ("" once signed out). */
export function useCsrfToken(token: string): void {
	csrfToken = token;
}

/** GETs a JSON resource under the same origin. */
export function getJSON<T>(path: string, options: RequestOptions = {}): Promise<ApiResult<T>> {
	const headers: Record<string, string> = {};
	if (options.bearer) headers.Authorization = `Bearer ${options.bearer}`;
	return request<T>(path, { method: 'GET', headers, signal: options.signal }, !options.bearer);
}

/** POSTs `body` as JSON under the same origin. */
export function postJSON<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<ApiResult<T>> {
	return sendJSON<T>('POST', path, body, options);
}

/** PUTs `body` as JSON under the same origin. */
export function putJSON<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<ApiResult<T>> {
	return sendJSON<T>('PUT', path, body, options);
}

/** DELETEs a resource; a 204 answer is `data: null`. */
export async function deleteResource(path: string, options: RequestOptions = {}): Promise<ApiResult<null>> {
	const answer = await sendJSON<null>('DELETE', path, undefined, options);
	return answer.ok ? { ok: true, data: answer.data ?? null } : answer;
}

/**
 * Sends a state-changing request (POST, PATCH, PUT, DELETE) with the CSRF
 * token, and `body` as JSON when there is one. An answer without a body
 * (204, 202) succeeds with `undefined` as its data.
 */
export function sendJSON<T = undefined>(
	method: 'POST' | 'PATCH' | 'PUT' | 'DELETE',
	path: string,
	body?: unknown,
	options: RequestOptions = {}
): Promise<ApiResult<T>> {
	const headers: Record<string, string> = {};
	// An empty token given by a page that had none yet falls back to the session's.
	const token = options.csrfToken || csrfToken;
	if (token !== '') headers[CSRF_HEADER] = token;
	if (options.bearer) headers.Authorization = `Bearer ${options.bearer}`;
	if (body !== undefined) headers['Content-Type'] = 'application/json';
	return request<T>(path, {
		method,
		headers,
		body: body === undefined ? undefined : JSON.stringify(body),
		signal: options.signal
	}, !options.bearer);
}

/**
 * Sends `form` as multipart/form-data (an upload) with the CSRF token, and reads the answer as
 * sendJSON does. The browser sets the content type with its boundary.
 */
export function sendForm<T>(method: 'POST' | 'PUT', path: string, form: FormData, options: RequestOptions = {}): Promise<ApiResult<T>> {
	const headers: Record<string, string> = {};
	const token = options.csrfToken || csrfToken;
	if (token !== '') headers[CSRF_HEADER] = token;
	return request<T>(path, { method, headers, body: form, signal: options.signal }, true);
}

/** Statuses that carry no body by design. */
const EMPTY_STATUSES = new Set([202, 204, 205]);

/**
 * Sends a request and never throws: every failure, including a network
 * error or a body that is not JSON, becomes a Problem. A caller that aborts
 * checks its own signal before using the result. The problem listeners hear
 * of it when `tellListeners`: not for a child's token, whose refusal says
 * nothing about an adult signed in on the same browser.
 */
function request<T>(path: string, init: RequestInit, tellListeners: boolean): Promise<ApiResult<T>> {
	const response = fetch(path, {
		...init,
		headers: { Accept: 'application/json, application/problem+json', ...init.headers },
		credentials: 'same-origin'
	});
	return readResponse<T>(response, tellListeners);
}

/**
 * Reads the answer to a request already sent (by `request`, or by a page's inline script
 * before the page started: see $lib/phone/early), as `request` does.
 */
export async function readResponse<T>(sent: Promise<Response>, tellListeners: boolean): Promise<ApiResult<T>> {
	let response: Response;
	try {
		response = await sent;
	} catch {
		return { ok: false, problem: networkProblem() };
	}
	let body: unknown;
	try {
		body = await response.json();
	} catch {
		body = undefined;
	}
	if (!response.ok) {
		const problem = toProblem(response.status, body);
		if (tellListeners) for (const listener of problemListeners) listener(problem);
		return { ok: false, problem };
	}
	if (body === undefined && !EMPTY_STATUSES.has(response.status)) {
		return { ok: false, problem: toProblem(response.status, undefined) };
	}
	return { ok: true, data: body as T };
}

type ProblemListener = (problem: Problem) => void;
const problemListeners = new Set<ProblemListener>();

/**
 * Calls `listener` with every error answer, so that one place can react to
 * a session that ended or a second factor that must be set up first.
 * Returns the function that stops listening.
 */
export function onProblem(listener: ProblemListener): () => void {
	problemListeners.add(listener);
	return () => problemListeners.delete(listener);
}
