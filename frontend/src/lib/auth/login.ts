import { postJSON, type ApiResult } from '$lib/api/client';
import { problemMessageKey, type Problem } from '$lib/api/problem';
import type { Locale } from '$lib/i18n/locales';
import type { AdultMessageKey } from '$lib/i18n/types';
import type { Me } from './types';

export interface Credentials {
	readonly email: string;
	readonly password: string;
	/** The 6-digit code, in the second step only. */
	readonly totp?: string;
}

/**
 * Signs in. `lang` is the language the page is shown in: the account
 * remembers it, and Voci's emails to the adult are written in it.
 */
export function logIn(credentials: Credentials, lang: Locale): Promise<ApiResult<Me>> {
	return postJSON<Me>('/api/v1/auth/login', { ...credentials, lang });
}

/** The server asks for the second factor: the password was right. */
export const TOTP_REQUIRED = 'totp_required';

const LOGIN_MESSAGES: Readonly<Record<string, AdultMessageKey>> = {
	invalid_credentials: 'login.error.invalidCredentials',
	account_disabled: 'login.error.disabled',
	invalid_totp: 'login.error.invalidTotp',
	totp_required: 'login.totp.intro',
	rate_limited: 'login.error.rateLimited',
	invalid_parameter: 'login.error.invalidCredentials',
	invalid_body: 'login.error.invalidCredentials'
};

/** What to tell the adult when signing in fails. */
export function loginErrorKey(problem: Problem): AdultMessageKey {
	return problemMessageKey(problem.code, LOGIN_MESSAGES);
}

/** A 6-digit code as people type or paste it: spaces and dashes dropped. */
export function normalizeTotp(raw: string): string {
	return raw.replace(/[\s\-\u2010-\u2015]/g, '');
}

export function isTotpCode(code: string): boolean {
	return /^[0-9]{6}$/.test(code);
}
