import type { Locale } from '$lib/i18n/locales';

/** The JSON shapes of the account API under /api/v1/me and /api/v1/auth. */

export const ROLES = [
	'platform_admin',
	'national_committee',
	'coordinator',
	'facilitator',
	'council_member',
	'safeguarding_lead'
] as const;

export type Role = (typeof ROLES)[number];

/** Roles held for the whole platform; every other role is held for one municipality. */
export const PLATFORM_ROLES: readonly Role[] = ['platform_admin', 'national_committee'];

export interface RoleGrant {
	readonly role: Role;
	/** SIRUTA code; absent for platform-wide roles. */
	readonly municipality?: number;
	readonly municipalityName?: string;
}

/** The signed-in adult, as `GET /api/v1/me` answers. */
export interface Me {
	readonly id: string;
	readonly email: string;
	readonly displayName: string;
	readonly roles: readonly RoleGrant[];
	readonly totpEnabled: boolean;
	/** The role requires two-step sign-in: it cannot be turned off. */
	readonly totpRequired: boolean;
	/** The role requires two-step sign-in and it is not on yet: nothing else works until it is. */
	readonly mustSetUpTotp: boolean;
	/** The language Voci's emails are written in; empty until known, which means Romanian. */
	readonly lang: '' | Locale;
	readonly csrfToken: string;
}

export interface AccountSession {
	readonly id: string;
	readonly userAgent: string;
	readonly createdAt: string;
	readonly lastSeenAt: string;
	readonly current: boolean;
}

export interface TotpSetup {
	readonly secret: string;
	/** An otpauth:// URI, shown as a QR code. */
	readonly uri: string;
}
