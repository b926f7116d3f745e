// The Lundy scorecard of the demo's answered consultation ("Un loc de joacă pentru toți
// copiii", seeds.EnsureDemoAnswered): a council member of Bacău sees its four dimensions on
// the consultation's page, each check met, not met or not yet judged in words with an icon,
// what it is computed from and a link to the records; the coordinator sees the roll-up under
// the municipality's consultations. axe-core finds nothing, on a laptop and on a phone.
import assert from 'node:assert/strict';
import { demo, signIn } from './adults.mjs';
import { eventually, expectText, overflowsHorizontally } from './expect.mjs';
import { expectNoAxeViolations, useVoci } from './server.mjs';

const { scenario } = useVoci();

const ANSWERED = 'Un loc de joacă pentru toți copiii';
const VIEWPORTS = [
	{ width: 1366, height: 768 },
	{ width: 360, height: 640 }
];

/** The state of each check the scorecard shows, by its key. */
function states(scorecard) {
	return scorecard.locator('tr[data-check]').evaluateAll((rows) => Object.fromEntries(rows.map((r) => [r.dataset.check, r.dataset.state])));
}

/** The scorecard's links to the records that are smaller than a finger. */
function smallEvidenceLinks(scorecard) {
	return scorecard.locator('a').evaluateAll((links) =>
		links.filter((a) => {
			const box = a.getBoundingClientRect();
			return box.width < 44 || box.height < 44;
		}).length
	);
}

scenario('the answered consultation has its Lundy scorecard, and the municipality its roll-up', async ({ page, url, newPage }) => {
	await signIn(page, url, demo('council', 'bacau'), { lang: 'en' });
	const list = await (await page.request.get(url('/api/v1/municipalities/20297/consultations'))).json();
	const answered = list.items.find((c) => c.title === ANSWERED);
	assert.ok(answered, `the demo has "${ANSWERED}"`);

	for (const viewport of VIEWPORTS) {
		await page.setViewportSize(viewport);
		await page.goto(url(`/m/20297/consultations/${answered.id}`));
		const scorecard = page.getByTestId('scorecard');
		await expectText(scorecard.getByRole('heading', { name: 'Lundy scorecard' }), 'Lundy scorecard');
		await eventually(async () => assert.equal(await scorecard.locator('tr[data-check]').count(), 11));
		// Paper forms only, no live session: no accessible session, one way to take part. Its
		// voice and audience are all there; the council decided and answered in time; nobody
		// has opened a receipt since; both its age bands are reached against the child population
		// the demo declares for Bacău.
		assert.deepEqual(await states(scorecard), {
			accessibleSession: 'notMet',
			waysToTakePart: 'notMet',
			representativeness: 'met',
			easyRead: 'met',
			questionKinds: 'met',
			freeText: 'met',
			namedAudience: 'met',
			councilReview: 'met',
			decisionLinked: 'met',
			feedbackOnTime: 'met',
			receiptsOpened: 'notMet'
		});
		// A table per dimension, named by its caption; each state in words beside its icon.
		const voice = scorecard.getByRole('table', { name: /Voice/ });
		await expectText(voice.locator('caption'), 'Voice 3 of 3 checks judged are met');
		const easyRead = voice.getByRole('row', { name: /An easy-read version/ });
		await expectText(easyRead.locator('.scorecard__words'), 'met');
		assert.equal(await easyRead.locator('[aria-hidden="true"]').textContent(), '✓', 'the icon beside the words is hidden from screen readers');
		await expectText(scorecard.locator('tr[data-check="representativeness"] .scorecard__words'), 'met');
		await expectText(scorecard.locator('tr[data-check="accessibleSession"] .scorecard__words'), 'not met');
		assert.match(await scorecard.locator('tr[data-check="councilReview"] .scorecard__source').textContent(), /council member/);
		// The evidence is a link to the page with the records.
		const evidence = scorecard.locator('tr[data-check="decisionLinked"] a');
		assert.equal(await evidence.getAttribute('href'), '/m/20297/decisions');
		assert.equal((await evidence.textContent())?.replace(/\s+/g, ' ').trim(), 'See the records: A decision linked', 'the link names its check');
		assert.equal(await smallEvidenceLinks(scorecard), 0, 'evidence links are touch targets');
		assert.equal(await overflowsHorizontally(page), false, `no sideways scrolling at ${viewport.width}×${viewport.height}`);
		await expectNoAxeViolations(page, `the consultation page with its scorecard at ${viewport.width}×${viewport.height}`);
	}

	// In Hungarian, the sentences come in Hungarian too.
	await page.goto(url(`/m/20297/consultations/${answered.id}?lang=hu`));
	const hu = page.getByTestId('scorecard');
	await expectText(hu.getByRole('heading', { name: 'Lundy-értékelés' }), 'Lundy-értékelés');
	await expectText(hu.locator('tr[data-check="easyRead"] .scorecard__source'), 'A konzultáció könnyen érthető szövege, az előkészítéskor megírva.');

	// The coordinator sees the municipality's roll-up under its consultations.
	const coordinator = await newPage({ label: 'coordinator' });
	await signIn(coordinator, url, demo('coordinator', 'bacau'), { lang: 'en' });
	for (const viewport of VIEWPORTS) {
		await coordinator.setViewportSize(viewport);
		await coordinator.goto(url('/m/20297/consultations'));
		const roll = coordinator.getByTestId('scorecard');
		await eventually(async () => assert.equal(await roll.locator('tr[data-check]').count(), 11));
		await expectText(roll.locator('tr[data-check="easyRead"] .scorecard__words'), /^(met|not met) \(in \d+ of \d+ consultations judged\)$/);
		await expectNoAxeViolations(coordinator, `the consultations with the roll-up at ${viewport.width}×${viewport.height}`);
	}
});
