import { derived, get } from 'svelte/store';
import { loadMe, me as session } from './session';
import type { Me } from './types';

/**
 * The signed-in adult as the consultation pages see it: a view of the one
 * session store (./session.ts) that the layout, the header and the account
 * pages share, so that signing in or out anywhere shows everywhere.
 */
export type { Me, RoleGrant } from './types';

/** Anything with role grants: an account, or a test's made-up one. */
type WithRoles = { readonly roles: readonly { role: string; municipality?: number; municipalityName?: string }[] };

/** The roles that prepare and run consultations. */
export const EDITOR_ROLES = ['facilitator', 'coordinator'] as const;
/** The roles that may read consultations and their results. */
export const READER_ROLES = ['facilitator', 'coordinator', 'council_member'] as const;

/** The roles told of children's help requests: they follow them up, outside the room. */
export const HELP_ROLES = ['safeguarding_lead', 'coordinator'] as const;

/** Whether `me` follows up the municipality's help requests. */
export function mayFollowHelp(me: WithRoles | null, siruta: number): boolean {
	return me !== null && municipalitiesWith(me, HELP_ROLES).some((m) => m.siruta === siruta);
}

/** The municipalities where `me` holds one of `roles`, each once, in grant order. */
export function municipalitiesWith(
	me: WithRoles,
	roles: readonly string[]
): { siruta: number; name: string }[] {
	const seen = new Map<number, string>();
	for (const grant of me.roles) {
		if (grant.municipality && roles.includes(grant.role) && !seen.has(grant.municipality)) {
			seen.set(grant.municipality, grant.municipalityName ?? String(grant.municipality));
		}
	}
	return [...seen].map(([siruta, name]) => ({ siruta, name }));
}

/** Whether `me` may edit consultations of the municipality. */
export function mayEdit(me: WithRoles | null, siruta: number): boolean {
	return me !== null && municipalitiesWith(me, EDITOR_ROLES).some((m) => m.siruta === siruta);
}

/** The platform-wide roles that follow every municipality without working in it. */
export const FOLLOWER_ROLES = ['platform_admin', 'national_committee'] as const;

/**
 * Whether `me` follows the municipality from the platform (admin, national committee) without
 * a role in its team: they see which consultations it holds, but not the consultations' pages.
 */
export function followsOnly(me: WithRoles | null, siruta: number): boolean {
	if (me === null || municipalitiesWith(me, READER_ROLES).some((m) => m.siruta === siruta)) return false;
	return me.roles.some((grant) => !grant.municipality && (FOLLOWER_ROLES as readonly string[]).includes(grant.role));
}

export type MeState =
	| { readonly status: 'loading' }
	| { readonly status: 'signedOut' }
	| { readonly status: 'error' }
	| { readonly status: 'signedIn'; readonly me: Me };

const state = derived(session, ($session): MeState => {
	if ($session === undefined) return { status: 'loading' };
	if ($session === null) return { status: 'signedOut' };
	return { status: 'signedIn', me: $session };
});

export const me = {
	subscribe: state.subscribe,
	/** Asks the server who is signed in, unless it is known (pass `force` to ask again). */
	async load(force = false): Promise<void> {
		if (force || !get(session)) await loadMe();
	}
};
