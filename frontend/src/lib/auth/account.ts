import type { Locale } from '$lib/i18n';
import { getJSON, sendJSON, type ApiResult } from '$lib/api/client';
import { problemMessageKey, type Problem } from '$lib/api/problem';
import type { AdultMessageKey } from '$lib/i18n/types';
import type { AccountSession, Me, TotpSetup } from './types';

/** Sets the language Voci's emails are written to the adult in. */
export function updateEmailLanguage(lang: Locale): Promise<ApiResult<Me>> {
	return sendJSON<Me>('PATCH', '/api/v1/me', { lang });
}

export function updateDisplayName(displayName: string): Promise<ApiResult<Me>> {
	return sendJSON<Me>('PATCH', '/api/v1/me', { displayName });
}

export function changePassword(currentPassword: string, newPassword: string): Promise<ApiResult<undefined>> {
	return sendJSON('POST', '/api/v1/me/password', { currentPassword, newPassword });
}

export function listSessions(): Promise<ApiResult<{ items: AccountSession[] }>> {
	return getJSON('/api/v1/me/sessions');
}

export function endSession(id: string): Promise<ApiResult<undefined>> {
	return sendJSON('DELETE', `/api/v1/me/sessions/${encodeURIComponent(id)}`);
}

export function beginTotp(): Promise<ApiResult<TotpSetup>> {
	return sendJSON<TotpSetup>('POST', '/api/v1/me/totp');
}

export function enableTotp(code: string): Promise<ApiResult<undefined>> {
	return sendJSON('POST', '/api/v1/me/totp/enable', { code });
}

export function disableTotp(code: string): Promise<ApiResult<undefined>> {
	return sendJSON('POST', '/api/v1/me/totp/disable', { code });
}

/** Messages every signed-in form shares, by problem code. */
export const SIGNED_IN_MESSAGES: Readonly<Record<string, AdultMessageKey>> = {
	unauthorized: 'errors.unauthorized',
	forbidden: 'errors.forbidden',
	csrf_failed: 'errors.csrf',
	origin_not_allowed: 'errors.csrf',
	totp_setup_required: 'errors.totpSetup',
	conflict: 'errors.conflict'
};

/**
 * What to say when a password change fails. The server explains its policy in
 * English in `detail`; the page chooses by code and parameter and explains the
 * policy in the adult's language next to the field.
 */
export function passwordChangeErrorKey(problem: Problem): AdultMessageKey {
	if (problem.code === 'invalid_credentials') return 'account.password.wrongCurrent';
	if (problem.code === 'invalid_parameter' && problem.param === 'newPassword') return 'password.error.rejected';
	return problemMessageKey(problem.code, SIGNED_IN_MESSAGES);
}

/** What to say when a code for the second factor is refused. */
export function totpErrorKey(problem: Problem): AdultMessageKey {
	if (problem.code === 'invalid_totp' || problem.code === 'invalid_parameter') return 'account.totp.invalid';
	if (problem.code === 'forbidden') return 'account.totp.required';
	return problemMessageKey(problem.code, SIGNED_IN_MESSAGES);
}
