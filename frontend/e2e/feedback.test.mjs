// Feedback to children: a council member writes it in Romanian and Hungarian with its
// easy-read versions, a second adult (the coordinator) approves and publishes it, the
// consultation then shows "answered" while the school-yard consultation, past its date
// without an answer, shows "overdue"; the public "you said, we did" page shows the answers in
// Romanian and in Hungarian without signing in. axe-core checks each page, on a laptop and
// on a phone. The recommendations come from the demo content (seeds.EnsureDemoRecommendations).
import assert from 'node:assert/strict';
import { demo, signIn } from './adults.mjs';
import { eventually, expectText, overflowsHorizontally, smallTouchTargets } from './expect.mjs';
import { expectNoAxeViolations, useVoci } from './server.mjs';

const { scenario } = useVoci();

const PARK = 'Cum vrem să arate parcul din cartier?';
const YARD = 'Curtea școlii';
const TEXTS = {
	ro: { text: 'Consiliul a hotărât să planteze copaci <script>alert(1)</script> lângă leagăne.', easyRead: 'Vom planta copaci în parc.' },
	hu: { text: 'A tanács úgy döntött, hogy fákat ültet a hinták mellé.', easyRead: 'Fákat ültetünk a parkba.' }
};
// Languages are named in their own words (LOCALE_NAMES).
const LABEL = { ro: 'Română', hu: 'Magyar' };

async function consultationId(page, url, title) {
	const list = await (await page.request.get(url('/api/v1/municipalities/20297/consultations'))).json();
	const found = list.items.find((c) => c.title === title);
	assert.ok(found, `the demo has "${title}"`);
	return found.id;
}

scenario('feedback is written, approved by a second adult and published; the public page shows it', async ({ page, url, newPage }) => {
	await signIn(page, url, demo('council', 'bacau'), { lang: 'en' });
	const park = await consultationId(page, url, PARK);
	await page.goto(url(`/m/20297/consultations/${park}/feedback`));
	const sections = page.locator('section.rec');
	await eventually(async () => assert.equal(await sections.count(), 2));
	await expectNoAxeViolations(page, 'the feedback page before writing');

	for (let i = 0; i < 2; i++) {
		const rec = sections.nth(i);
		for (const lang of ['ro', 'hu']) {
			await rec.getByLabel(`What was decided and why (${LABEL[lang]})`).fill(TEXTS[lang].text);
			await rec.getByLabel(`Easy-read version (${LABEL[lang]})`).fill(TEXTS[lang].easyRead);
		}
		await rec.getByRole('button', { name: 'Start the feedback' }).click();
		await expectText(rec.locator('[data-feedback-version-state]'), 'draft');
		// The keyboard reaches "Submit for review".
		await rec.getByRole('button', { name: 'Submit for review' }).focus();
		await page.keyboard.press('Enter');
		await expectText(rec.locator('[data-feedback-version-state]'), 'waiting for review');
		await expectText(rec.locator('p.status, p.rec__ok').last(), /another adult/i);
	}
	// The writer cannot approve: the button is not offered, and the page says why.
	assert.equal(await page.getByRole('button', { name: 'Approve and publish' }).count(), 0);
	await expectNoAxeViolations(page, 'the feedback page in review');

	const coordinator = await newPage({ label: 'coordinator' });
	await signIn(coordinator, url, demo('coordinator', 'bacau'), { lang: 'en' });
	await coordinator.goto(url(`/m/20297/consultations/${park}/feedback`));
	const theirs = coordinator.locator('section.rec');
	await eventually(async () => assert.equal(await theirs.count(), 2));
	for (let i = 0; i < 2; i++) {
		const rec = theirs.nth(i);
		await rec.getByRole('button', { name: 'Approve and publish' }).click();
		await expectText(rec.locator('[data-feedback-version-state]'), 'published');
	}
	// HTML in a text is shown as text, never run.
	await expectText(theirs.first().locator('.rec__published[lang="ro"] .rec__text').first(), TEXTS.ro.text);
	await expectNoAxeViolations(coordinator, 'the feedback page, published');

	// The list shows answered and overdue in words.
	await coordinator.goto(url('/m/20297/consultations'));
	const item = (title) => coordinator.locator('li.list__item', { hasText: title });
	await expectText(item(PARK).locator('[data-feedback-state]'), 'Children answered');
	await expectText(item(YARD).locator('[data-feedback-state]'), 'Answer to children overdue');
	await expectNoAxeViolations(coordinator, 'the consultation list');
	await coordinator.goto(url(`/m/20297/consultations/${park}`));
	await expectText(coordinator.locator('[data-feedback-state]'), 'Children answered');

	// The public page, signed out, in Romanian then Hungarian, on a laptop and on a phone.
	for (const viewport of [{ width: 1366, height: 768 }, { width: 360, height: 640 }]) {
		const visitor = await newPage({ viewport, label: `visitor ${viewport.width}` });
		await visitor.goto(url('/m/20297/public?lang=ro'));
		await expectText(visitor.locator('h1'), 'Ați spus, am făcut: Bacău');
		const parkItem = visitor.locator('li.timeline__item', { hasText: PARK });
		await expectText(parkItem.locator('.outcome__text').first(), TEXTS.ro.text);
		await expectText(visitor.locator('li.timeline__item', { hasText: YARD }).locator('.outcome__state'), 'Răspuns întârziat');
		await expectNoAxeViolations(visitor, `the public page in Romanian at ${viewport.width}px`);
		assert.equal(await overflowsHorizontally(visitor), false, 'no sideways scrolling');
		assert.deepEqual(await smallTouchTargets(visitor), [], 'touch targets of at least 44×44 px');
		// The easy-read switch.
		await parkItem.getByRole('button', { name: 'Ușor de citit' }).click();
		await expectText(parkItem.locator('.outcome__text').first(), TEXTS.ro.easyRead);

		await visitor.getByRole('button', { name: 'Magyar' }).click();
		await expectText(visitor.locator('h1'), 'Ti mondtátok, mi megcsináltuk: Bacău');
		// The park's title is translated; the demo's playground consultation is answered too.
		const huItem = visitor.locator('li.timeline__item', { hasText: 'A mi parkunk' });
		await expectText(huItem.locator('.outcome__text').first(), TEXTS.hu.easyRead);
		await expectText(huItem.locator('.outcome__state'), 'A gyerekek választ kaptak');
		await expectNoAxeViolations(visitor, `the public page in Hungarian at ${viewport.width}px`);
		// No child's alias, answer or time on the public page's data.
		const data = await (await visitor.request.get(url('/api/v1/public/municipalities/20297?lang=hu'))).text();
		for (const never of ['alias', 'participant', 'joinedAt']) assert.ok(!data.includes(never), `the public page's data holds "${never}"`);
	}
});
