// Issue 4, item 8: a facilitator prepares a consultation and runs it live;
// three children join from their phones, one in each language, and answer;
// a text with a phone number is held, another is approved; the projector
// shows the results; axe-core checks every page on the way.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { eventually, expectText, smallTouchTargets, overflowsHorizontally } from './expect.mjs';
import { signIn } from './adult.mjs';
import { expectNoAxeViolations, PHONE, useVoci } from './server.mjs';

const { scenario } = useVoci();

const BACAU = 20297;

const CHILDREN = [
	{ lang: 'ro', join: 'Intră', send: 'Trimite', gotIt: 'Am primit răspunsul tău!', gotItText: /Am primit! Un adult/ },
	{ lang: 'en', join: 'Join', send: 'Send', gotIt: 'Got it!', gotItText: /Got it! An adult/ },
	{ lang: 'hu', join: 'Belépés', send: 'Küldés', gotIt: 'Megkaptuk!', gotItText: /Megkaptuk! Egy felnőtt/ }
];

async function addQuestion(page, { kind, prompt, options = [] }) {
	await page.getByRole('button', { name: 'Add a question', exact: true }).click();
	await page.getByLabel('Kind of question').selectOption(kind);
	await page.getByLabel('Question', { exact: true }).fill(prompt);
	for (const [i, option] of options.entries()) {
		await page.getByLabel(`Option ${i + 1}`, { exact: true }).fill(option.label);
		if (option.emoji) await page.getByLabel('Emoji (optional)').nth(i).fill(option.emoji);
	}
	await page.getByRole('button', { name: 'Add the question', exact: true }).click();
	await expectText(page.locator('.questions .question__prompt').last(), prompt);
}

describe('a live session, end to end', () => {
	scenario('a facilitator runs a consultation live with three children in three languages', async ({ page, url, newPage }) => {
		// The facilitator prepares the consultation.
		await signIn(page, url);
		await page.goto(url('/consultations'));
		await eventually(() => assert.equal(new URL(page.url()).pathname, `/m/${BACAU}/consultations`));
		await expectText(page.locator('h1'), 'Consultations');
		await expectNoAxeViolations(page, 'the list of consultations');
		await page.getByRole('link', { name: 'New consultation' }).click();
		await expectText(page.locator('h1'), 'New consultation');
		await page.getByLabel('Title').fill('Our new park');
		await page.getByLabel('Purpose, in plain language').fill('The town is building a park. Tell us what should be in it.');
		await page.getByLabel('Easy-read version').fill('A new park. What do you want in it?');
		await page.getByLabel('10–12').check();
		await page.getByLabel('13–15').check();
		await page.getByLabel("Every child's voice, needs and priorities are heard").check();
		await page.getByLabel('Topics').fill('parks\nplay');
		await page.getByLabel('The body that receives the views').fill('Bacău local council');
		await page.getByLabel('The date by which it answers').fill('2027-06-30');
		// Written in English: the projector will speak it, whatever the facilitator's account says.
		await page.getByLabel('First language (of the texts above)').selectOption('en');
		await expectNoAxeViolations(page, 'the new-consultation form');
		await page.getByRole('button', { name: 'Create the consultation' }).click();
		await expectText(page.locator('h1'), 'Our new park');
		const consultationPath = new URL(page.url()).pathname;

		// Opening without questions is refused, and says why.
		await page.getByRole('button', { name: 'Open the consultation' }).click();
		await expectText(page.locator('#run-heading ~ .status'), 'Add at least one question before opening the consultation.');

		await addQuestion(page, {
			kind: 'single',
			prompt: 'What should the park have first?',
			options: [
				{ label: 'Swings', emoji: '🛝' },
				{ label: 'Trees', emoji: '🌳' }
			]
		});
		await addQuestion(page, { kind: 'short_text', prompt: 'What idea do you have for the park?' });
		await addQuestion(page, { kind: 'scale', prompt: 'How much do you like the park today?' });
		// Reorder: the scale goes before the text question.
		await page.getByRole('button', { name: 'Move question 3 up' }).click();
		await expectText(page.locator('.questions .question__prompt').nth(1), 'How much do you like the park today?');
		await expectNoAxeViolations(page, 'the consultation with its questions');

		await page.getByRole('button', { name: 'Open the consultation' }).click();
		await page.getByRole('button', { name: 'Start a live session' }).click();
		await expectText(page.locator('h1'), 'Live session');
		const code = (await page.getByTestId('join-code').textContent({ timeout: 10_000 }))?.trim();
		assert.match(code ?? '', /^\d{6}$/);
		assert.equal(await page.locator('svg.qr[role="img"]').count(), 1, 'a QR code drawn locally');
		await expectText(page.getByTestId('connected'), '0 children connected');
		await expectNoAxeViolations(page, "the facilitator's console");

		// The projector, in another tab of the facilitator's browser.
		const presenter = await newPage({ context: page.context(), label: 'presenter' });
		const consolePath = new URL(page.url()).pathname;
		await presenter.goto(url(`${consolePath}/presenter`));
		await expectText(presenter.getByTestId('presenter-code'), code);
		await expectText(presenter.getByTestId('presenter-joined'), '0 children joined');
		await expectNoAxeViolations(presenter, 'the presenter screen in the lobby');

		// Three children join from their phones.
		const kids = [];
		for (const child of CHILDREN) {
			const phone = await newPage({ viewport: PHONE, label: `child ${child.lang}` });
			await phone.goto(url(`/join?lang=${child.lang}&code=${code}`));
			await phone.getByRole('button', { name: child.join, exact: true }).click();
			await eventually(() => assert.equal(new URL(phone.url()).pathname, '/session'));
			await eventually(async () => assert.ok((await phone.locator('.alias__name').textContent())?.trim()));
			kids.push({ ...child, page: phone });
		}
		await expectText(page.getByTestId('connected'), '3 children connected');
		await expectText(presenter.getByTestId('presenter-joined'), '3 children joined');

		// The English child asks for another name and tells their age; the others do not.
		const en = kids[1].page;
		const before = (await en.locator('.alias__name').textContent())?.trim();
		await en.getByRole('button', { name: 'Another name' }).click();
		await eventually(async () => assert.notEqual((await en.locator('.alias__name').textContent())?.trim(), before));
		await en.getByText('Tell us your age (if you want)').click();
		await en.getByRole('radio', { name: '10–12' }).check();
		await en.getByRole('button', { name: 'Save' }).click();
		await expectText(en.locator('.profile .status'), 'Thank you!');
		for (const kid of kids) {
			await expectNoAxeViolations(kid.page, `the lobby (${kid.lang})`);
			assert.deepEqual(await smallTouchTargets(kid.page), [], `touch targets in the lobby (${kid.lang})`);
			assert.equal(await overflowsHorizontally(kid.page), false, `no sideways scrolling (${kid.lang})`);
		}

		// Question 1: single choice.
		await page.getByRole('button', { name: /^Open\W*Question 1$/ }).click();
		for (const kid of kids) await expectText(kid.page.locator('#question-heading'), 'What should the park have first?');
		const votes = ['Swings', 'Trees', 'Swings'];
		for (const [i, kid] of kids.entries()) {
			await kid.page.getByRole('radio', { name: votes[i] }).check();
			await kid.page.getByRole('button', { name: kid.send, exact: true }).click();
			await expectText(kid.page.locator('.ack__text'), kid.gotIt);
		}
		await expectNoAxeViolations(kids[0].page, 'an answered question (ro)');
		// While the question is open the projector shows how many answered, nothing more.
		await expectText(presenter.getByTestId('presenter-count'), '3');
		assert.equal(await presenter.locator('table.results-table').count(), 0);

		// Reveal: the projector and the children see the results.
		await page.getByRole('button', { name: 'Reveal results' }).click();
		await eventually(async () => {
			const rows = await presenter
				.locator('table.results-table tbody tr')
				.evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim()).join(' | ')));
			assert.deepEqual(rows, ['Swings | 2 | 66.7%', 'Trees | 1 | 33.3%']);
		});
		await expectNoAxeViolations(presenter, 'the presenter screen with a chart');
		for (const kid of kids) await eventually(async () => assert.equal(await kid.page.locator('.results .result').count(), 2));
		await expectNoAxeViolations(kids[2].page, 'revealed results (hu)');
		assert.equal(await overflowsHorizontally(kids[2].page), false, 'revealed results fit a 360 px phone');

		// Question 2 (after the reorder): the scale, with faces.
		await page.getByRole('button', { name: 'Next question' }).click();
		await kids[0].page.getByRole('radio', { name: 'foarte mult' }).waitFor();
		assert.deepEqual(await smallTouchTargets(kids[0].page), [], 'touch targets of a scale');
		assert.equal(await overflowsHorizontally(kids[0].page), false, 'a scale fits a 360 px phone');
		await expectNoAxeViolations(kids[0].page, 'a scale with faces (ro)');
		await kids[0].page.getByRole('radio', { name: 'foarte mult' }).check();
		await kids[0].page.getByRole('button', { name: 'Trimite', exact: true }).click();
		await expectText(kids[0].page.locator('.ack__text'), CHILDREN[0].gotIt);

		// Question 3: short text. A phone number is held; the others wait for the facilitator.
		await page.getByRole('button', { name: 'Next question' }).click();
		for (const kid of kids) await expectText(kid.page.locator('#question-heading'), 'What idea do you have for the park?');
		const texts = ['Sunați-mă la 0722 123 456', 'More trees and a big slide', 'Több pad és szökőkút'];
		for (const [i, kid] of kids.entries()) {
			await kid.page.getByLabel(/Răspunsul tău|Your answer|A válaszod/).fill(texts[i]);
			await kid.page.getByRole('button', { name: kid.send, exact: true }).click();
			await expectText(kid.page.locator('.ack__text'), kid.gotItText);
			await expectNoAxeViolations(kid.page, `a text answer (${kid.lang})`);
		}
		const held = page.locator('.item--held');
		await expectText(held.locator('.item__text'), texts[0]);
		await expectText(held.locator('.item__flags'), 'Why: phone number, invitation to talk elsewhere');
		await expectText(page.locator('#moderation-heading'), 'To review (3)');
		await expectNoAxeViolations(page, 'the console with its moderation queue');

		await page.locator('.queue .item').filter({ hasText: texts[1] }).getByRole('button', { name: /^Approve/ }).click();
		await expectText(page.locator('#moderation-heading'), 'To review (2)');
		await expectText(presenter.locator('.texts__item'), texts[1]);
		// Nothing held or waiting reaches the projector.
		assert.equal(await presenter.getByText(texts[0]).count(), 0);
		assert.equal(await presenter.getByText(texts[2]).count(), 0);
		await expectNoAxeViolations(presenter, 'the presenter screen with an approved text');

		// Help: the child sees who will contact them; the room hears nothing.
		const ro = kids[0].page;
		await ro.getByRole('button', { name: 'Am nevoie să vorbesc cu cineva' }).click();
		await ro.getByRole('button', { name: 'Da, trimite' }).click();
		// A small, neutral confirmation; who will come and the lines open behind a button.
		await expectText(ro.locator('.help__sentText'), 'Trimis.');
		await ro.getByRole('button', { name: 'Numere de telefon' }).click();
		await expectText(ro.locator('.help__message'), /siguranța copiilor.*119.*116 111/);
		await expectNoAxeViolations(ro, 'after asking for help (ro)');
		// The console is told that someone in the room asked, never who.
		await expectText(page.getByRole('alert'), /^Someone in the room may need help\./);

		// The results page, for the municipality's adults.
		const results = await newPage({ context: page.context(), label: 'results' });
		await results.goto(url(`${consultationPath}/results`));
		await expectText(results.locator('h1'), 'Results: Our new park');
		await expectText(results.locator('#q-' + (await firstQuestionId(results))).locator('xpath=..').locator('p').first(), /3 answers/);
		await eventually(async () => assert.ok((await results.locator('td.suppressed').count()) > 0, 'small cells suppressed'));
		// Every hidden number has the same label, whether it is small or hides a small one.
		const hiddenLabels = new Set((await results.locator('td.suppressed').allTextContents()).map((l) => l.trim()));
		assert.deepEqual([...hiddenLabels], ['hidden']);
		await expectText(results.getByRole('listitem').filter({ hasText: texts[1] }), texts[1]);
		assert.equal(await results.getByText(texts[0]).count(), 0, 'a held text is not in the results');
		assert.ok((await results.getByRole('link', { name: 'Download CSV' }).getAttribute('href'))?.endsWith('/results.csv'));
		await expectNoAxeViolations(results, 'the results page');

		// The end.
		await page.getByRole('button', { name: 'End the session' }).click();
		await page.getByRole('button', { name: 'Yes, end the session' }).click();
		await expectText(page.locator('.live-status'), 'The session has ended.');
		await expectText(kids[1].page.locator('#end-heading'), 'Thank you for taking part!');
		await expectText(presenter.locator('.lead'), 'The session has ended. Thank you all!');
	});
});

async function firstQuestionId(page) {
	const id = await page.locator('section.question h2').first().getAttribute('id');
	return id?.replace(/^q-/, '');
}
