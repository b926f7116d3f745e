import type { AdultMessageKey, MessageKey } from '$lib/i18n/types';

/**
 * An error answered by the server as `application/problem+json` (RFC 9457),
 * or made up by the client when the server could not be reached.
 */
export interface Problem {
	readonly status: number;
	/** A stable machine-readable code such as `session_not_found`. */
	readonly code: string;
	readonly title?: string;
	readonly detail?: string;
	/** The request parameter at fault, for `invalid_parameter`. */
	readonly param?: string;
	/** A self-paced link's dates, when it is used outside them. */
	readonly opensAt?: string;
	readonly closesAt?: string;
}

/** The code of a problem made up by the client: the request never got an answer. */
export const NETWORK_ERROR = 'network_error';

/** The code used when an error answer carries no code of its own. */
export const UNKNOWN_ERROR = 'unknown';

export function networkProblem(): Problem {
	return { status: 0, code: NETWORK_ERROR };
}

/** Reads a problem from a parsed error body, tolerating anything else a proxy might send. */
export function toProblem(status: number, body: unknown): Problem {
	const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
	const text = (name: string): string | undefined =>
		typeof fields[name] === 'string' && fields[name] !== '' ? (fields[name] as string) : undefined;
	return {
		status,
		code: text('code') ?? UNKNOWN_ERROR,
		title: text('title'),
		detail: text('detail'),
		param: text('param'),
		opensAt: text('opensAt'),
		closesAt: text('closesAt')
	};
}

/** What to tell a person about a problem, by code, anywhere in the interface. */
const COMMON_MESSAGES: Readonly<Record<string, MessageKey>> = {
	[NETWORK_ERROR]: 'errors.network',
	rate_limited: 'errors.rateLimited',
	invalid_parameter: 'errors.invalidRequest',
	invalid_body: 'errors.invalidRequest',
	not_found: 'errors.notFound'
};

/**
 * Maps a problem code to the message to show. `specific` holds what a page
 * says differently (the join page explains `session_not_found`); anything
 * unknown gets the generic message, never the server's English detail. The
 * key is a children's one unless `specific` holds adults' keys.
 */
export function problemMessageKey(code: string): MessageKey;
export function problemMessageKey<K extends AdultMessageKey>(code: string, specific: Readonly<Record<string, K>>): K | MessageKey;
export function problemMessageKey(code: string, specific: Readonly<Record<string, AdultMessageKey>> = {}): AdultMessageKey {
	return specific[code] ?? COMMON_MESSAGES[code] ?? 'errors.generic';
}
