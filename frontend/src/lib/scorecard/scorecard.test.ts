import { render } from 'svelte/server';
import { beforeAll, describe, expect, it } from 'vitest';
import Scorecard from '$lib/components/Scorecard.svelte';
import { loadAdultMessages, useLocale } from '$lib/i18n/adult';
import { checkState, scorecardPath, type Scorecard as Card, type ScorecardCheck } from './scorecard';

const check = (key: ScorecardCheck['key'], met: boolean | null, extra: Partial<ScorecardCheck> = {}): ScorecardCheck => ({
	key,
	met,
	source: `computed from the records of ${key}`,
	evidence: `/m/20297/consultations/c1/${key}`,
	...extra
});

const consultation: Card = {
	consultation: { id: 'c1', title: 'Un loc de joacă' },
	dimensions: [
		{ key: 'space', met: 0, of: 2, checks: [check('accessibleSession', false), check('waysToTakePart', false), check('representativeness', null)] },
		{ key: 'voice', met: 3, of: 3, checks: [check('easyRead', true), check('questionKinds', true), check('freeText', true)] },
		{ key: 'audience', met: 2, of: 2, checks: [check('namedAudience', true), check('councilReview', true)] },
		{ key: 'influence', met: 1, of: 2, checks: [check('decisionLinked', true), check('feedbackOnTime', null), check('receiptsOpened', false)] }
	]
};

function rows(html: string): Map<string, string> {
	const out = new Map<string, string>();
	for (const match of html.matchAll(/<tr data-check="(\w+)" data-state="(\w+)"/g)) out.set(match[1] ?? '', match[2] ?? '');
	return out;
}

describe('scorecard helpers', () => {
	it('names the three states', () => {
		expect([checkState(true), checkState(false), checkState(null)]).toEqual(['met', 'notMet', 'notYet']);
	});
	it('asks for a consultation or the roll-up', () => {
		expect(scorecardPath(20297, 'a b', 'hu')).toBe('/api/v1/municipalities/20297/consultations/a%20b/scorecard?lang=hu');
		expect(scorecardPath(20297)).toBe('/api/v1/municipalities/20297/scorecard');
	});
});

describe('Scorecard', () => {
	beforeAll(async () => {
		await loadAdultMessages();
		await useLocale('en');
	});

	it('shows every check in words with an icon, its source and its evidence', () => {
		const { body } = render(Scorecard, { props: { siruta: 20297, consultationId: 'c1', initial: consultation } });
		const states = rows(body);
		expect(states.size).toBe(11);
		expect(states.get('easyRead')).toBe('met');
		expect(states.get('accessibleSession')).toBe('notMet');
		expect(states.get('representativeness')).toBe('notYet');
		// Words, not colour alone; the icon is hidden from screen readers.
		expect(body).toContain('cannot be judged yet');
		expect(body).toContain('not met');
		expect(body).toMatch(/<span class="scorecard__icon[^"]*" aria-hidden="true">✗<\/span>/);
		// A caption per dimension says how much of it is met.
		expect(body).toContain('Space');
		expect(body).toContain('3 of 3 checks judged are met');
		// Source and a link to the records, named by the check for screen readers.
		expect(body).toContain('computed from the records of councilReview');
		expect(body).toContain('href="/m/20297/consultations/c1/decisionLinked"');
		expect(body).toMatch(/See the records<span class="visually-hidden[^"]*">: A decision linked<\/span>/);
		expect(body).toContain('<th scope="row"');
	});

	it('rolls up with how many consultations meet each check', async () => {
		const roll: Card = {
			consultations: 2,
			dimensions: consultation.dimensions.map((d) => ({
				...d,
				checks: d.checks.map((c) => ({ ...c, metCount: c.met ? 2 : 0, of: c.met === null ? 0 : 2 }))
			}))
		};
		const { body } = render(Scorecard, { props: { siruta: 20297, initial: roll } });
		expect(body).toContain('opened consultations (2)');
		expect(body).toContain('met (in 2 of 2 consultations judged)');
		expect(body).toContain('not met (in 0 of 2 consultations judged)');

		await useLocale('hu');
		const hu = render(Scorecard, { props: { siruta: 20297, initial: roll } }).body;
		expect(hu).toContain('Lundy-értékelés');
		expect(hu).toContain('még nem ítélhető meg');
		await useLocale('en');
	});
});
