/** A municipality's profile, kept by its coordinator. */

export const AGE_BANDS = ['under_10', '10_12', '13_15', '16_18'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export interface Contact {
	readonly name: string;
	readonly phone: string;
	readonly email: string;
}

/** `GET /api/v1/municipalities/:siruta/profile`. */
export interface Profile {
	/** Children per age band; null (or absent) when not known. */
	readonly childPopulation: Partial<Record<AgeBand, number | null>>;
	/** Null when nobody is named. */
	readonly safeguardingLead?: Partial<Contact> | null;
	readonly feedbackDeadlineDays: number;
	readonly updatedAt?: string | null;
}

/** The profile as the form edits it: every field a string, as typed. */
export interface ProfileForm {
	population: Record<AgeBand, string>;
	lead: { name: string; phone: string; email: string };
	/** A number input bound by Svelte gives a number, or null when empty. */
	deadline: string | number | null;
}

export const MIN_DEADLINE_DAYS = 7;
export const MAX_DEADLINE_DAYS = 180;
export const MAX_CHILDREN_PER_BAND = 1_000_000;

export function toForm(profile: Profile): ProfileForm {
	const population = {} as Record<AgeBand, string>;
	for (const band of AGE_BANDS) {
		const n = profile.childPopulation?.[band];
		population[band] = n === undefined || n === null ? '' : String(n);
	}
	const lead = profile.safeguardingLead ?? {};
	return {
		population,
		lead: { name: lead.name ?? '', phone: lead.phone ?? '', email: lead.email ?? '' },
		deadline: String(profile.feedbackDeadlineDays ?? '')
	};
}

export type ProfileField = `childPopulation.${AgeBand}` | 'safeguardingLead.name' | 'safeguardingLead.phone' | 'safeguardingLead.email' | 'feedbackDeadlineDays';

/**
 * The PATCH body for a form, or the first field at fault. An empty band is
 * sent as null ("not known"); an empty contact as null (nobody named), and a
 * contact's empty phone or email is left out.
 */
export function toUpdate(
	form: ProfileForm
): { ok: true; body: Record<string, unknown> } | { ok: false; field: ProfileField } {
	const childPopulation: Record<string, number | null> = {};
	for (const band of AGE_BANDS) {
		const raw = form.population[band].trim().replace(/[\s.]/g, '');
		if (raw === '') {
			childPopulation[band] = null;
			continue;
		}
		if (!/^[0-9]{1,7}$/.test(raw) || Number(raw) > MAX_CHILDREN_PER_BAND) {
			return { ok: false, field: `childPopulation.${band}` };
		}
		childPopulation[band] = Number(raw);
	}
	const lead = { name: form.lead.name.trim(), phone: form.lead.phone.trim(), email: form.lead.email.trim() };
	const anyLead = lead.name !== '' || lead.phone !== '' || lead.email !== '';
	if (anyLead && lead.name === '') return { ok: false, field: 'safeguardingLead.name' };
	if (anyLead && lead.phone === '' && lead.email === '') return { ok: false, field: 'safeguardingLead.phone' };
	if (lead.email !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(lead.email)) return { ok: false, field: 'safeguardingLead.email' };
	const deadline = form.deadline === null ? '' : String(form.deadline).trim();
	if (!/^[0-9]{1,3}$/.test(deadline) || Number(deadline) < MIN_DEADLINE_DAYS || Number(deadline) > MAX_DEADLINE_DAYS) {
		return { ok: false, field: 'feedbackDeadlineDays' };
	}
	const safeguardingLead = !anyLead
		? null
		: { name: lead.name, ...(lead.phone === '' ? {} : { phone: lead.phone }), ...(lead.email === '' ? {} : { email: lead.email }) };
	return {
		ok: true,
		body: { childPopulation, safeguardingLead, feedbackDeadlineDays: Number(deadline) }
	};
}
