import { postJSON, sendJSON, type ApiResult } from '$lib/api/client';
import { problemMessageKey, type Problem } from '$lib/api/problem';
import type { Locale } from '$lib/i18n/locales';
import type { AdultMessageKey } from '$lib/i18n/types';

/**
 * Asks for a reset link by email. The server answers the same whether or not
 * an account has the address, so the page says the same too.
 */
export function requestPasswordReset(email: string, lang: Locale): Promise<ApiResult<undefined>> {
	return postJSON<undefined>('/api/v1/auth/password-reset', { email, lang });
}

export function confirmPasswordReset(token: string, newPassword: string): Promise<ApiResult<undefined>> {
	return sendJSON('POST', '/api/v1/auth/password-reset/confirm', { token, newPassword });
}

/** Codes that mean the emailed link no longer works. */
const TOKEN_CODES = new Set(['token_invalid', 'token_expired', 'token_used', 'not_found']);

export function isTokenProblem(problem: Problem): boolean {
	return TOKEN_CODES.has(problem.code) || (problem.code === 'invalid_parameter' && problem.param === 'token');
}

/** What to say when choosing a new password from an emailed link fails. */
export function resetErrorKey(problem: Problem): AdultMessageKey {
	if (isTokenProblem(problem)) return 'reset.tokenInvalid';
	if (problem.code === 'invalid_parameter' && (problem.param === 'newPassword' || problem.param === 'password')) {
		return 'password.error.rejected';
	}
	return problemMessageKey(problem.code);
}

/**
 * The secret of an emailed link, or null when the address has none worth
 * sending. The server writes it in the fragment (`#token=…`), which browsers
 * never send to a server nor in a Referer; `?token=` is read too.
 */
export function tokenFrom(url: URL): string | null {
	const fromHash = new URLSearchParams(url.hash.replace(/^#/, '')).get('token');
	const token = (fromHash ?? url.searchParams.get('token') ?? '').trim();
	return /^[A-Za-z0-9_\-.~]{8,100}$/.test(token) ? token : null;
}
