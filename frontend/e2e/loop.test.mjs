// The whole loop, from a child's voice to the council's answer and back to the child. A child
// takes part in a live session of the demo park consultation on a small phone, in Hungarian,
// and keeps the receipt code the end screen gives. A council member groups the park's input
// into two themes and makes a recommendation; a decision answers it "adopted in part", with
// reasons and a milestone; feedback is written in Romanian and in Hungarian (Hungarian because
// the child used it), with easy-read versions, and a second adult approves and publishes it.
// The child's code then shows that decision on /r in Romanian and in Hungarian, the park shows
// as answered and the school yard as overdue. The demo's answered consultation and the code the
// server prints at start-up open on /r too, and the child answers back with it, once.
// axe-core checks every page on the way.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe } from 'node:test';
import { fileURLToPath } from 'node:url';
import { api } from './adult.mjs';
import { demo, LOGIN, signIn } from './adults.mjs';
import { eventually, expectPage, expectText, HEADINGS, overflowsHorizontally, smallTouchTargets } from './expect.mjs';
import { expectNoAxeViolations, useVoci } from './server.mjs';

const { scenario } = useVoci();

const BACAU = 20297;
const PARK = 'Cum vrem să arate parcul din cartier?';
const PARK_HU = 'A mi parkunk';
const YARD = 'Curtea școlii';
const ANSWERED = 'Un loc de joacă pentru toți copiii';
const ANSWERED_HU = 'Játszótér minden gyereknek';
const SMALL_PHONE = { width: 360, height: 640 };
const LAPTOP = { width: 1366, height: 768 };
const CODE = /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z*~$=U]{3}$/;
const SHOTS = path.join(fileURLToPath(new URL('..', import.meta.url)), 'e2e-output');

/** What the child writes, in Hungarian: it becomes part of a theme. */
const CHILD_TEXT = 'Nincs árnyék a hintáknál, nyáron túl meleg van';
const REC = { title: 'Shade over the swings and benches by the trees', text: 'The children who answered ask for shade where they play.' };
const DECISION = {
	title: 'Umbră în parcul Mioriței',
	number: '57/2026',
	reasons: 'Plantăm copaci acum; pergola vine după ce găsim banii.',
	milestone: 'Doisprezece copaci plantați lângă leagăne.'
};
const FEEDBACK = {
	ro: { text: 'Consiliul a hotărât să planteze copaci lângă leagăne acum, iar pergola mai târziu.', easyRead: 'Plantăm copaci lângă leagăne.' },
	hu: { text: 'A tanács úgy döntött, hogy most fákat ültet a hinták mellé, a pergolát pedig később építi meg.', easyRead: 'Fákat ültetünk a hinták mellé.' }
};
// Languages are named in their own words on the feedback form.
const LANGUAGE = { ro: 'Română', hu: 'Magyar' };
/** The public outcome's words for "adopted in part" and for the answered state. */
const IN_PART = { ro: 'Am făcut o parte din ce ați cerut.', hu: 'Egy részét megcsináltuk annak, amit kértetek.' };
const WHY = { ro: 'De ce:', hu: 'Miért:' };
const ANSWERED_STATE = { ro: 'Copiii au primit răspuns', hu: 'A gyerekek választ kaptak' };

/** Matches a text that holds `s` anywhere. */
const holds = (s) => new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

async function shot(page, name) {
	mkdirSync(SHOTS, { recursive: true });
	await page.screenshot({ path: path.join(SHOTS, `loop-${name}.png`), fullPage: true });
}

/** The id of the demo consultation of Bacău called `title`. */
async function consultationId(page, title) {
	const list = await api(page, 'GET', `/api/v1/municipalities/${BACAU}/consultations?page=1&pageSize=50`);
	assert.equal(list.status, 200, JSON.stringify(list.data));
	const found = list.data.items.find((c) => c.title === title);
	assert.ok(found, `the demo has "${title}"`);
	return found.id;
}

/** The receipt code shown on a page, in its groups. */
async function shownCode(page) {
	const shown = page.getByTestId('receipt-code').locator('[aria-hidden="true"]');
	await eventually(async () => assert.match(((await shown.textContent()) ?? '').trim(), CODE));
	return ((await shown.textContent()) ?? '').trim();
}

/** /r opened with `code` in `lang`, checked with axe on the small phone. */
async function openReceipt(page, url, code, lang, title) {
	await page.goto(url(`/r?lang=${lang}&c=${encodeURIComponent(code)}`));
	await expectText(page.locator('#consultation-heading'), title);
	const outcome = page.getByTestId('receipt-outcome');
	await outcome.locator('article.outcome').waitFor();
	return outcome;
}

describe('the whole loop', () => {
	scenario('a child’s voice reaches the council, and the council’s answer reaches the child', async ({ page, url, newPage, serverLog }) => {
		// The facilitator of Bacău starts a live session of the park consultation. Every adult
		// signs in through the same page, checked once here.
		await page.goto(url('/login?lang=en'));
		await expectPage(page, 'en', LOGIN.heading.en);
		await expectNoAxeViolations(page, 'the sign-in page');
		await signIn(page, url, demo('facilitator', 'bacau'), { lang: 'en' });
		const park = await consultationId(page, PARK);
		const feedbackBase = `/api/v1/municipalities/${BACAU}/consultations/${park}/feedback`;
		const before = await api(page, 'GET', feedbackBase);
		assert.equal(before.status, 200, JSON.stringify(before.data));
		assert.deepEqual(before.data.requiredLanguages, ['ro'], 'no child has used Hungarian yet');

		await page.goto(url(`/m/${BACAU}/consultations/${park}`));
		await page.getByRole('button', { name: 'Start a live session', exact: true }).waitFor();
		await expectNoAxeViolations(page, 'the park consultation, for its facilitator');
		await page.getByRole('button', { name: 'Start a live session', exact: true }).click();
		await expectText(page.locator('h1'), 'Live session');
		const joinCode = (await page.getByTestId('join-code').textContent())?.trim() ?? '';
		assert.match(joinCode, /^\d{6}$/);
		await expectNoAxeViolations(page, "the facilitator's console");

		// 1. A child joins on a small phone, in Hungarian, and answers.
		const child = await newPage({ viewport: SMALL_PHONE, locale: 'hu-HU', label: 'child' });
		await child.goto(url(`/join?lang=hu&code=${joinCode}`));
		await expectPage(child, 'hu', HEADINGS['/join'].hu);
		await expectNoAxeViolations(child, '/join (hu)');
		await child.getByRole('button', { name: 'Belépés', exact: true }).click();
		await eventually(() => assert.equal(new URL(child.url()).pathname, '/session'));
		await child.locator('#lobby-heading').waitFor();
		await expectText(page.getByTestId('connected'), '1 child connected');
		await expectNoAxeViolations(child, 'the lobby (hu)');

		await page.getByRole('button', { name: /^Open\W*Question 1$/ }).click();
		await expectText(child.locator('#question-heading'), 'Mi legyen először a parkban?');
		await child.getByRole('radio', { name: /Fák és árnyék/ }).check();
		await child.getByRole('button', { name: 'Küldés', exact: true }).click();
		await expectText(child.locator('.ack__text'), 'Megkaptuk!');
		await expectNoAxeViolations(child, 'a question answered (hu)');
		assert.deepEqual(await smallTouchTargets(child), [], 'touch targets of a question');
		assert.equal(await overflowsHorizontally(child), false, 'a question fits a 360 px phone');

		// The text question; the facilitator approves the child's text.
		await page.getByRole('button', { name: /^Open\W*Question 6$/ }).click();
		await expectText(child.locator('#question-heading'), 'Mi nem tetszik a parkban?');
		await child.getByLabel(/A válaszod/).fill(CHILD_TEXT);
		await child.getByRole('button', { name: 'Küldés', exact: true }).click();
		await expectText(child.locator('.ack__text'), /Megkaptuk! Egy felnőtt/);
		await expectNoAxeViolations(child, 'a text answer (hu)');
		await page.locator('.queue .item').filter({ hasText: CHILD_TEXT }).getByRole('button', { name: /^Approve/ }).click();
		await expectText(page.locator('#moderation-heading'), 'To review (0)');

		// The facilitator ends the session: the child's end screen gives a receipt code.
		await page.getByRole('button', { name: 'End the session', exact: true }).click();
		await page.getByRole('button', { name: 'Yes, end the session', exact: true }).click();
		await expectText(page.locator('.live-status'), 'The session has ended.');
		await child.locator('#end-heading').waitFor();
		const receipt = await shownCode(child);
		await child.getByRole('img', { name: /QR/ }).waitFor();
		await expectNoAxeViolations(child, 'the end screen with a receipt code (hu)');
		assert.deepEqual(await smallTouchTargets(child), [], 'touch targets of the end screen');
		assert.equal(await overflowsHorizontally(child), false, 'the end screen fits a 360 px phone');
		await shot(child, '1-receipt');

		// Before the council answers, the code shows the consultation waiting for its answer.
		const waiting = await openReceipt(child, url, receipt, 'hu', PARK_HU);
		await expectText(waiting.locator('.outcome__state'), /^Válasz várható eddig:/);
		await expectNoAxeViolations(child, '/r before the answer (hu)');

		// Hungarian is now required for the park's feedback: a child used it.
		const after = await api(page, 'GET', feedbackBase);
		assert.deepEqual(after.data.requiredLanguages, ['ro', 'hu']);

		// 2. A council member groups the park's input into two themes and recommends.
		const council = await newPage({ viewport: LAPTOP, label: 'council member' });
		await signIn(council, url, demo('council', 'bacau'), { lang: 'en' });
		await council.goto(url(`/m/${BACAU}/consultations/${park}`));
		await council.getByTestId('review-link').waitFor();
		await expectNoAxeViolations(council, 'the park consultation, for a council member');
		await council.getByTestId('review-link').click();
		await eventually(() => assert.ok(council.url().endsWith(`/consultations/${park}/review`)));
		await expectText(council.getByRole('heading', { level: 1 }), 'Review: Our park');
		await expectText(council.getByTestId('review-texts'), holds(CHILD_TEXT));
		await expectNoAxeViolations(council, 'the review workspace');

		for (const title of ['Shade and trees', 'Places to sit']) {
			await council.getByTestId('new-theme-title').focus();
			await council.keyboard.type(title);
			await council.keyboard.press('Enter');
			await expectText(council.getByTestId('review-status'), `The theme “${title}” was created.`);
		}
		const theme = (title) => council.getByTestId('theme').filter({ has: council.getByRole('heading', { name: title, exact: true }) });
		// The child's text and an option into the first theme, with the keyboard.
		await council.getByRole('checkbox', { name: CHILD_TEXT, exact: true }).focus();
		await council.keyboard.press('Space');
		await council.getByTestId('pick-option').nth(1).focus();
		await council.keyboard.press('Space');
		await expectText(council.getByText(/inputs? selected/), '2 inputs selected');
		await council.getByTestId('theme-picker').selectOption({ label: 'Shade and trees' });
		await council.getByRole('button', { name: 'Add to theme', exact: true }).click();
		await expectText(council.getByTestId('review-status'), 'Added to “Shade and trees”.');
		await expectText(theme('Shade and trees'), holds(CHILD_TEXT));
		// Another option into the second theme.
		await council.getByTestId('pick-option').nth(2).check();
		await council.getByTestId('theme-picker').selectOption({ label: 'Places to sit' });
		await council.getByRole('button', { name: 'Add to theme', exact: true }).click();
		await expectText(council.getByTestId('review-status'), 'Added to “Places to sit”.');

		await theme('Shade and trees').getByTestId('pick-theme').check();
		await theme('Places to sit').getByTestId('pick-theme').check();
		await council.getByTestId('rec-title').fill(REC.title);
		await council.getByTestId('rec-text').fill(REC.text);
		await council.getByRole('button', { name: 'Make the recommendation', exact: true }).click();
		await expectText(council.getByTestId('review-status'), 'The recommendation was made.');
		await expectText(council.getByTestId('recommendations'), holds('From the themes: Shade and trees, Places to sit'));
		await expectNoAxeViolations(council, 'the review workspace with two themes and a recommendation');
		await shot(council, '2-review');
		const recs = await api(council, 'GET', `/api/v1/municipalities/${BACAU}/consultations/${park}/recommendations`);
		const rec = recs.data.recommendations.find((r) => r.title === REC.title);
		assert.ok(rec, 'the recommendation is stored');
		assert.equal(rec.themeIds.length, 2);

		// 3. A decision answers it "adopted in part", with reasons; published, with a milestone.
		await council.goto(url(`/m/${BACAU}/decisions/new`));
		await expectText(council.locator('h1'), 'Record a decision');
		await council.getByLabel('Title').fill(DECISION.title);
		await council.getByLabel('Number (HCL nr.)').fill(DECISION.number);
		await council.getByLabel('Date', { exact: true }).fill('2026-11-20');
		await council.getByLabel('For', { exact: true }).fill('17');
		await council.getByLabel('Against').fill('1');
		await council.getByLabel('Abstained').fill('2');
		await council.getByLabel('Absent').fill('3');
		await council.getByLabel('Recommendation to add').selectOption(rec.id);
		await council.getByRole('button', { name: 'Add the recommendation' }).click();
		await council.getByLabel('How it was taken into account').selectOption('adopted_in_part');
		await council.getByLabel('Explanation (optional)').fill(DECISION.reasons);
		await expectNoAxeViolations(council, 'a new decision');
		await council.getByRole('button', { name: 'Save the draft' }).click();
		await expectText(council.locator('h1'), `HCL ${DECISION.number}: ${DECISION.title}`);
		await council.getByRole('button', { name: 'Publish the decision' }).click();
		await expectText(council.locator('p.state'), 'Published. Status: adopted.');
		await council.locator('#milestone-date').fill('2027-01-15');
		await council.getByLabel('What was done').fill(DECISION.milestone);
		await council.getByRole('button', { name: 'Add the milestone' }).click();
		await expectText(council.locator('p.status').first(), 'The milestone is added.');
		await expectNoAxeViolations(council, 'the published decision');
		await shot(council, '3-decision');

		// 4. Feedback on every recommendation of the park, in Romanian and Hungarian with
		// easy-read, through the feedback page; then a second adult approves and publishes it.
		await council.goto(url(`/m/${BACAU}/consultations/${park}/feedback`));
		const sections = council.locator('section.rec');
		await eventually(async () => assert.equal(await sections.count(), 3, 'two demo recommendations and ours'));
		await expectNoAxeViolations(council, 'the feedback page before writing');
		for (let i = 0; i < 3; i++) {
			const section = sections.nth(i);
			const ours = ((await section.textContent()) ?? '').includes(REC.title);
			if (ours) {
				// Romanian alone is not enough: the child took part in Hungarian.
				await section.getByLabel(`What was decided and why (${LANGUAGE.ro})`).fill(FEEDBACK.ro.text);
				await section.getByLabel(`Easy-read version (${LANGUAGE.ro})`).fill(FEEDBACK.ro.easyRead);
				await section.getByRole('button', { name: 'Start the feedback' }).click();
				await expectText(section.locator('[data-feedback-version-state]'), 'draft');
				await section.getByRole('button', { name: 'Submit for review' }).click();
				await expectText(section.locator('p.status--error'), `The text in ${LANGUAGE.hu} is missing.`);
				await expectText(section.locator('[data-feedback-version-state]'), 'draft');
				await expectNoAxeViolations(council, 'feedback refused without Hungarian');
				await section.getByLabel(`What was decided and why (${LANGUAGE.hu})`).fill(FEEDBACK.hu.text);
				await section.getByLabel(`Easy-read version (${LANGUAGE.hu})`).fill(FEEDBACK.hu.easyRead);
				await section.getByRole('button', { name: 'Submit for review' }).click();
				await expectText(section.locator('[data-feedback-version-state]'), 'waiting for review');
				continue;
			}
			for (const lang of ['ro', 'hu']) {
				await section.getByLabel(`What was decided and why (${LANGUAGE[lang]})`).fill(`${FEEDBACK[lang].easyRead} (${i})`);
				await section.getByLabel(`Easy-read version (${LANGUAGE[lang]})`).fill(FEEDBACK[lang].easyRead);
			}
			await section.getByRole('button', { name: 'Start the feedback' }).click();
			await expectText(section.locator('[data-feedback-version-state]'), 'draft');
			await section.getByRole('button', { name: 'Submit for review' }).click();
			await expectText(section.locator('[data-feedback-version-state]'), 'waiting for review');
		}
		assert.equal(await council.getByRole('button', { name: 'Approve and publish' }).count(), 0, 'the writer cannot approve');
		await expectNoAxeViolations(council, 'the feedback page in review');

		const coordinator = await newPage({ viewport: LAPTOP, label: 'coordinator' });
		await signIn(coordinator, url, demo('coordinator', 'bacau'), { lang: 'en' });
		await coordinator.goto(url(`/m/${BACAU}/consultations/${park}/feedback`));
		const theirs = coordinator.locator('section.rec');
		await eventually(async () => assert.equal(await theirs.count(), 3));
		for (let i = 0; i < 3; i++) {
			await theirs.nth(i).getByRole('button', { name: 'Approve and publish' }).click();
			await expectText(theirs.nth(i).locator('[data-feedback-version-state]'), 'published');
		}
		await expectNoAxeViolations(coordinator, 'the feedback page, published');
		await shot(coordinator, '4-feedback');

		// 5. The child's code shows the decision, in Hungarian (the child's) and in Romanian.
		for (const lang of ['hu', 'ro']) {
			const outcome = await openReceipt(child, url, receipt, lang, lang === 'hu' ? PARK_HU : PARK);
			const answer = outcome.locator('li.outcome__rec').filter({ hasText: REC.title });
			await expectText(outcome.locator('.outcome__state'), ANSWERED_STATE[lang]);
			// What the consultation heard: the two themes the council member made.
			await expectText(outcome.locator('.outcome__themes'), /Shade and trees.*Places to sit/);
			await expectText(answer.locator('.outcome__text'), FEEDBACK[lang].text);
			await expectText(answer.locator('.outcome__decision'), holds(DECISION.number));
			await expectText(answer.locator('.outcome__decision'), holds(DECISION.title));
			await expectText(answer.locator('.outcome__decision'), holds(IN_PART[lang]));
			await expectText(answer.locator('.outcome__decision'), holds(`${WHY[lang]} ${DECISION.reasons}`));
			await expectText(answer.locator('.outcome__decision'), holds(DECISION.milestone));
			// The easy-read switch.
			await outcome.getByRole('button', { name: lang === 'hu' ? 'Könnyen érthető' : 'Ușor de citit' }).click();
			await expectText(answer.locator('.outcome__text'), FEEDBACK[lang].easyRead);
			// Nothing of the child: not their answer, though the consultation heard it.
			assert.equal(await child.getByText(CHILD_TEXT).count(), 0, "the child's own text is not on /r");
			await expectNoAxeViolations(child, `/r with the answer (${lang})`);
			assert.deepEqual(await smallTouchTargets(child), [], `touch targets of /r (${lang})`);
			assert.equal(await overflowsHorizontally(child), false, `/r fits a 360 px phone (${lang})`);
			await shot(child, `5-r-${lang}`);
		}

		// 6. The park is answered; the school yard's answer is overdue, in words.
		await coordinator.goto(url(`/m/${BACAU}/consultations`));
		const item = (title) => coordinator.locator('li.list__item', { hasText: title });
		await expectText(item(PARK).locator('[data-feedback-state]'), 'Children answered');
		await expectText(item(YARD).locator('[data-feedback-state]'), 'Answer to children overdue');
		await expectNoAxeViolations(coordinator, 'the consultation list');
		await shot(coordinator, '6-list');
		await coordinator.goto(url(`/m/${BACAU}/consultations/${park}`));
		await expectText(coordinator.locator('[data-feedback-state]'), 'Children answered');
		await expectNoAxeViolations(coordinator, 'the park consultation');
		await coordinator.goto(url(`/m/${BACAU}/consultations/${await consultationId(coordinator, YARD)}`));
		await expectText(coordinator.locator('[data-feedback-state]'), 'Answer to children overdue');
		await expectNoAxeViolations(coordinator, 'the school yard consultation');

		// 7. The demo's answered consultation opens on /r with the code the server printed.
		const printed = serverLog().match(/the receipt code ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z*~$=U]{3}) of "([^"]+)"/);
		assert.ok(printed, `the start-up banner prints a receipt code:\n${serverLog()}`);
		assert.equal(printed[2], ANSWERED);
		const visitor = await newPage({ viewport: SMALL_PHONE, label: 'another child' });
		for (const lang of ['ro', 'hu']) {
			const outcome = await openReceipt(visitor, url, printed[1], lang, lang === 'ro' ? ANSWERED : ANSWERED_HU);
			await expectText(outcome.locator('.outcome__state'), ANSWERED_STATE[lang]);
			await eventually(async () => assert.ok((await outcome.locator('.outcome__decision').count()) > 0, 'a decision is shown'));
			await eventually(async () => assert.ok((await outcome.locator('.outcome__text').count()) > 0, 'feedback is shown'));
			await expectNoAxeViolations(visitor, `/r with the demo's code (${lang})`);
			assert.equal(await overflowsHorizontally(visitor), false, `/r with the demo's code fits a 360 px phone (${lang})`);
			await shot(visitor, `7-demo-${lang}`);
		}

		// 8. The child answers back, in Hungarian: was the answer clear, do they agree? Once per
		// code: the same code opened again is thanked for answering already.
		const answerBack = visitor.locator('form.answer-back');
		await answerBack.getByLabel('Igen, érthető').check();
		await answerBack.getByRole('button').click();
		await expectText(answerBack.locator('.status'), 'Köszönjük! A válaszodat beszámoltuk.');
		await expectNoAxeViolations(visitor, 'answered back (hu)');
		assert.deepEqual(await smallTouchTargets(visitor), [], 'touch targets of the answer back');
		const again = await openReceipt(visitor, url, printed[1], 'ro', ANSWERED);
		await eventually(async () => assert.ok((await again.locator('.outcome__text').count()) > 0, 'feedback is shown again'));
		const twice = visitor.locator('form.answer-back');
		await twice.getByLabel('Da, e clar').check();
		await twice.getByRole('button').click();
		await expectText(twice.locator('.status'), 'Ai răspuns deja cu acest cod. Mulțumim!');
	});
});
