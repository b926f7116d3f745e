import { describe, expect, it } from 'vitest';
import { toForm, toUpdate, type ProfileForm } from './profile';
import { nextStages, offeredStages, outOfOrderStages } from './stages';

describe('nextStages', () => {
	it('enrols at any stage but paused', () => {
		expect(nextStages(null)).not.toContain('paused');
		expect(nextStages(null)).toHaveLength(7);
	});

	it('moves one step along the cycle, or pauses', () => {
		expect(nextStages('interested')).toEqual(['memorandum_signed', 'paused']);
		expect(nextStages('evaluation')).toEqual(['recognised', 'implementation', 'paused']);
		expect(nextStages('recognised')).toEqual(['situation_analysis', 'paused']);
	});

	it('returns from a pause to any stage', () => {
		expect(nextStages('paused')).toHaveLength(7);
		expect(nextStages('paused')).not.toContain('paused');
	});

	it("offers the server's next stages, dropping names it does not know", () => {
		expect(offeredStages({ stage: 'interested', nextStages: ['memorandum_signed', 'paused', 'orbiting' as never] })).toEqual([
			'memorandum_signed',
			'paused'
		]);
		expect(offeredStages({ stage: 'interested', nextStages: [] })).toEqual(['memorandum_signed', 'paused']);
	});
});

describe('outOfOrderStages', () => {
	it('offers every other active stage, with a reason, once enrolled', () => {
		expect(outOfOrderStages('situation_analysis', ['action_plan_adopted', 'paused'])).toEqual([
			'interested',
			'memorandum_signed',
			'implementation',
			'evaluation',
			'recognised'
		]);
		expect(outOfOrderStages('evaluation', nextStages('evaluation'))).toEqual(['interested', 'memorandum_signed', 'situation_analysis', 'action_plan_adopted']);
	});

	it('has none to add while not enrolled or paused', () => {
		expect(outOfOrderStages(null, nextStages(null))).toEqual([]);
		expect(outOfOrderStages('paused', nextStages('paused'))).toEqual([]);
	});
});

describe('profile form', () => {
	const empty = (): ProfileForm => toForm({ childPopulation: {}, feedbackDeadlineDays: 60 });

	it('reads a profile into strings', () => {
		const form = toForm({
			childPopulation: { under_10: 1200, '16_18': 0 },
			safeguardingLead: { name: 'Ana', phone: '+40 234 000 000' },
			feedbackDeadlineDays: 45
		});
		expect(form.population).toEqual({ under_10: '1200', '10_12': '', '13_15': '', '16_18': '0' });
		expect(form.lead).toEqual({ name: 'Ana', phone: '+40 234 000 000', email: '' });
		expect(form.deadline).toBe('45');
	});

	it('sends unknown bands as null and an empty contact as none', () => {
		const form = empty();
		form.population.under_10 = '1 200';
		expect(toUpdate(form)).toEqual({
			ok: true,
			body: {
				childPopulation: { under_10: 1200, '10_12': null, '13_15': null, '16_18': null },
				safeguardingLead: null,
				feedbackDeadlineDays: 60
			}
		});
	});

	it('sends a contact with only what was given', () => {
		const form = empty();
		Object.assign(form.lead, { name: ' Ana ', email: 'ana@example.org' });
		const result = toUpdate(form);
		expect(result.ok && result.body.safeguardingLead).toEqual({ name: 'Ana', email: 'ana@example.org' });
	});

	it('reads nulls as unknown', () => {
		expect(toForm({ childPopulation: { under_10: null }, safeguardingLead: null, feedbackDeadlineDays: 60 }).population.under_10).toBe('');
	});

	it('names the first field at fault', () => {
		const bad = (change: (form: ProfileForm) => void) => {
			const form = empty();
			change(form);
			const result = toUpdate(form);
			return result.ok ? null : result.field;
		};
		expect(bad((f) => (f.population['13_15'] = '-3'))).toBe('childPopulation.13_15');
		expect(bad((f) => (f.population['13_15'] = '2000000'))).toBe('childPopulation.13_15');
		expect(bad((f) => (f.lead.phone = '0234'))).toBe('safeguardingLead.name');
		expect(bad((f) => (f.lead.name = 'Ana'))).toBe('safeguardingLead.phone');
		expect(bad((f) => Object.assign(f.lead, { name: 'Ana', email: 'ana' }))).toBe('safeguardingLead.email');
		expect(bad((f) => (f.deadline = '6'))).toBe('feedbackDeadlineDays');
		expect(bad((f) => (f.deadline = '181'))).toBe('feedbackDeadlineDays');
		expect(bad((f) => (f.deadline = '7'))).toBeNull();
		// What Svelte puts in a number field's binding.
		expect(bad((f) => (f.deadline = 45))).toBeNull();
		expect(bad((f) => (f.deadline = null))).toBe('feedbackDeadlineDays');
	});
});
