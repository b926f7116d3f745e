// Idea-board reactions on the children's phones, a tablet shared by a group
// taking turns, and a facilitator going back on an approval. Consultations
// are prepared through the API (the forms are covered by live.test.mjs); the
// rest happens in the pages, with axe-core checking them on the way.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { api, signIn } from './adult.mjs';
import { eventually, expectText, overflowsHorizontally, smallTouchTargets } from './expect.mjs';
import { expectNoAxeViolations, PHONE, useVoci } from './server.mjs';

const { scenario } = useVoci();

const BACAU = 20297;

/** An open consultation of Bacău with the questions, and a live session started: its paths and code. */
async function liveConsultation(page, title, questions) {
	const base = `/api/v1/municipalities/${BACAU}/consultations`;
	const created = await api(page, 'POST', base, {
		title,
		purpose: 'The town is building a park. Tell us what should be in it.',
		easyRead: 'A new park. What do you want in it?',
		ageBands: ['10_12', '13_15'],
		goals: ['safe_environment'],
		topics: ['parks'],
		audienceBody: 'Bacău local council',
		answerBy: '2027-06-30T00:00:00Z',
		modes: ['live']
	});
	assert.equal(created.status, 201, JSON.stringify(created.data));
	const id = created.data.id;
	const ids = [];
	for (const question of questions) {
		const added = await api(page, 'POST', `${base}/${id}/questions`, question);
		assert.equal(added.status, 201, JSON.stringify(added.data));
		ids.push(added.data);
	}
	assert.equal((await api(page, 'POST', `${base}/${id}/status`, { status: 'open' })).status, 200);
	const live = await api(page, 'POST', `${base}/${id}/live-sessions`);
	assert.equal(live.status, 201);
	return {
		consultationPath: `/m/${BACAU}/consultations/${id}`,
		consolePath: `/m/${BACAU}/live/${live.data.id}`,
		resultsAPI: `${base}/${id}/results`,
		code: live.data.joinCode,
		questions: ids
	};
}

/** A child joins from a phone in `lang` and waits for their alias. */
async function joinOnPhone(newPage, url, code, lang) {
	const phone = await newPage({ viewport: PHONE, label: `child ${lang}` });
	await phone.goto(url(`/join?lang=${lang}&code=${code}`));
	await phone.locator('button[type="submit"]').click();
	await eventually(() => assert.equal(new URL(phone.url()).pathname, '/session'));
	return phone;
}

async function alias(phone) {
	let name = '';
	await eventually(async () => {
		name = (await phone.locator('.alias__name').textContent())?.trim() ?? '';
		assert.ok(name);
	});
	return name;
}

/** The reaction counts the presenter shows under an idea. */
async function presenterCounts(presenter, idea) {
	const item = presenter.locator('.texts__item').filter({ has: presenter.locator('.texts__text', { hasText: idea }) });
	const counts = {};
	for (const reaction of ['agree', 'disagree', 'pass']) {
		counts[reaction] = Number((await item.locator(`[data-reaction="${reaction}"] .reactions__n`).textContent({ timeout: 1_000 }))?.trim());
	}
	return counts;
}

describe('ideas, shared tablets and second looks', () => {
	scenario('a child reacts to another child\'s idea, and the presenter and results show it', async ({ page, url, newPage }) => {
		await signIn(page, url);
		const s = await liveConsultation(page, 'Ideas for the park', [{ kind: 'idea_board', prompt: 'What idea do you have for the park?' }]);
		await page.goto(url(s.consolePath));
		await expectText(page.getByTestId('join-code'), s.code);
		const presenter = await newPage({ context: page.context(), label: 'presenter' });
		await presenter.goto(url(`${s.consolePath}/presenter`));
		await expectText(presenter.getByTestId('presenter-code'), s.code);

		const author = await joinOnPhone(newPage, url, s.code, 'ro');
		const reader = await joinOnPhone(newPage, url, s.code, 'en');
		await page.getByRole('button', { name: /^Open\W*Question 1$/ }).click();
		await expectText(reader.locator('#question-heading'), 'What idea do you have for the park?');
		await expectText(reader.locator('#ideas-heading'), "The others' ideas");

		const idea = 'A drinking fountain by the swings';
		await author.getByLabel('Răspunsul tău').fill(idea);
		await author.getByRole('button', { name: 'Trimite', exact: true }).click();
		await expectText(author.locator('.ack__text'), /Am primit! Un adult/);
		await page.locator('.queue .item').filter({ hasText: idea }).getByRole('button', { name: /^Approve/ }).click();

		// The reader may react; the author sees the idea as theirs, with nothing to press.
		// Each button is named after its idea (the browser puts a space before the hidden part).
		const agree = reader.getByRole('button', { name: new RegExp(`^Agree\\s?: ${idea}$`) });
		const disagree = reader.getByRole('button', { name: new RegExp(`^Disagree\\s?: ${idea}$`) });
		await agree.waitFor();
		assert.equal(await agree.getAttribute('aria-pressed'), 'false');
		await expectText(author.locator('.idea--own'), `Ideea ta: ${idea}`);
		assert.equal(await author.getByRole('button', { name: new RegExp(`: ${idea}$`) }).count(), 0, 'no reaction to one\'s own idea');
		await expectNoAxeViolations(reader, 'an idea to react to (en)');
		await expectNoAxeViolations(author, 'one\'s own idea on the board (ro)');
		assert.deepEqual(await smallTouchTargets(reader), [], 'reaction buttons of at least 44×44 px');
		assert.equal(await overflowsHorizontally(reader), false, 'the board fits a 360 px phone');

		await agree.click();
		await eventually(async () => assert.equal(await agree.getAttribute('aria-pressed'), 'true'));
		await eventually(async () => assert.deepEqual(await presenterCounts(presenter, idea), { agree: 1, disagree: 0, pass: 0 }));
		// Changing one's mind replaces the reaction.
		await disagree.click();
		await eventually(async () => assert.equal(await disagree.getAttribute('aria-pressed'), 'true'));
		assert.equal(await agree.getAttribute('aria-pressed'), 'false');
		await eventually(async () => assert.deepEqual(await presenterCounts(presenter, idea), { agree: 0, disagree: 1, pass: 0 }));
		await expectNoAxeViolations(presenter, 'the presenter with reactions');

		// A reload keeps the child's choice: the server tells the phone again.
		await reader.reload();
		await eventually(async () => assert.equal(await disagree.getAttribute('aria-pressed'), 'true'));

		const results = await newPage({ context: page.context(), label: 'results' });
		await results.goto(url(`${s.consultationPath}/results`));
		await eventually(async () => {
			const rows = await results
				.locator('table.reactions tbody tr')
				.evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim()).join(' | ')));
			assert.deepEqual(rows, [`${idea} | 0 | 1 | 0`]);
		});
		await expectNoAxeViolations(results, 'results with reactions');
	});

	scenario('a tablet passes between two children who each answer, and results count 2', async ({ page, url, newPage }) => {
		await signIn(page, url);
		const s = await liveConsultation(page, 'The shared tablet', [
			{ kind: 'single', prompt: 'What should the park have first?', options: [{ label: 'Swings' }, { label: 'Trees' }] }
		]);
		await page.goto(url(s.consolePath));
		await expectText(page.getByTestId('join-code'), s.code);

		const tablet = await newPage({ viewport: { width: 800, height: 1100 }, label: 'tablet' });
		await tablet.goto(url(`/join?lang=en&code=${s.code}`));
		await tablet.getByLabel('We share this device, taking turns').check();
		await expectNoAxeViolations(tablet, 'joining as a shared device');
		await tablet.getByRole('button', { name: 'Join', exact: true }).click();
		await eventually(() => assert.equal(new URL(tablet.url()).pathname, '/session'));
		const first = await alias(tablet);
		await page.getByRole('button', { name: /^Open\W*Question 1$/ }).click();

		await tablet.getByRole('radio', { name: 'Trees' }).check();
		await tablet.getByRole('button', { name: 'Send', exact: true }).click();
		await expectText(tablet.locator('.ack__text'), 'Got it!');
		await expectNoAxeViolations(tablet, 'an answer on a shared tablet');
		await tablet.getByRole('button', { name: 'Pass the tablet to the next person' }).click();

		// Between turns: nothing of the first child is on the screen or kept in the tab.
		await expectText(tablet.locator('h1'), 'Pass the tablet to the next person');
		assert.equal(await tablet.getByText(first).count(), 0, "the first child's alias is gone");
		const kept = await tablet.evaluate(() => Object.fromEntries(Object.entries(sessionStorage)));
		assert.deepEqual(kept, { 'voci.sharedDevice': s.code }, 'the tab keeps the mode and the code only');
		await expectNoAxeViolations(tablet, 'the hand-over screen');
		assert.deepEqual(await smallTouchTargets(tablet), [], 'touch targets of the hand-over screen');

		await tablet.getByRole('button', { name: "I'm next: start" }).click();
		await eventually(() => assert.equal(new URL(tablet.url()).pathname, '/session'));
		const second = await alias(tablet);
		await tablet.getByRole('radio', { name: 'Swings' }).waitFor();
		assert.notEqual(second, first, 'a new name for the next child');
		assert.equal(await tablet.getByRole('radio', { name: 'Trees' }).isChecked(), false, "the first child's answer is not shown");
		assert.equal(await tablet.locator('.ack__ok').count(), 0, 'no acknowledgement carried over');
		// This child's turn began during the question, after the lobby: the age question is
		// still offered, below it.
		await tablet.getByText('Tell us your age (if you want)').click();
		await tablet.getByRole('radio', { name: '10–12' }).check();
		await tablet.getByRole('button', { name: 'Save', exact: true }).click();
		await expectText(tablet.locator('.profile .status'), 'Thank you!');
		await tablet.getByRole('radio', { name: 'Swings' }).check();
		await tablet.getByRole('button', { name: 'Send', exact: true }).click();
		await expectText(tablet.locator('.ack__text'), 'Got it!');

		await eventually(async () => {
			const r = await api(page, 'GET', s.resultsAPI);
			const q = r.data.questions[0];
			assert.equal(q.respondents, 2);
			assert.deepEqual(q.options.map((o) => `${o.label}=${o.count}`), ['Swings=1', 'Trees=1']);
		});
		await expectText(page.getByTestId('connected'), '1 child connected');
	});

	scenario('a facilitator rejects an already-approved text and it leaves the presenter', async ({ page, url, newPage }) => {
		await signIn(page, url);
		const s = await liveConsultation(page, 'Second looks', [{ kind: 'short_text', prompt: 'What is missing in the park?' }]);
		await page.goto(url(s.consolePath));
		await expectText(page.getByTestId('join-code'), s.code);
		const presenter = await newPage({ context: page.context(), label: 'presenter' });
		await presenter.goto(url(`${s.consolePath}/presenter`));
		await expectText(presenter.getByTestId('presenter-code'), s.code);
		const phone = await joinOnPhone(newPage, url, s.code, 'en');
		await page.getByRole('button', { name: /^Open\W*Question 1$/ }).click();

		const text = 'A bench under the old oak tree';
		await phone.getByLabel('Your answer').fill(text);
		await phone.getByRole('button', { name: 'Send', exact: true }).click();
		await expectText(phone.locator('.ack__text'), /Got it! An adult/);
		await page.locator('.queue .item').filter({ hasText: text }).getByRole('button', { name: /^Approve/ }).click();
		await expectText(presenter.locator('.texts__item .texts__text'), text);

		await page.getByRole('radio', { name: 'Approved', exact: true }).check();
		const item = page.locator('.queue .item').filter({ hasText: text });
		await expectText(item.locator('.item__state'), 'Approved');
		assert.equal(await item.getByRole('button', { name: /^Approve/ }).count(), 0, 'an approved text can only be rejected');
		await expectNoAxeViolations(page, 'the console listing approved texts');
		await item.getByRole('button', { name: new RegExp(`^Reject\\s?: ${text}$`) }).click();

		await eventually(async () => assert.equal(await presenter.getByText(text).count(), 0));
		await page.getByRole('radio', { name: 'Rejected', exact: true }).check();
		await expectText(page.locator('.queue .item').filter({ hasText: text }).locator('.item__state'), 'Rejected');
		const r = await api(page, 'GET', s.resultsAPI);
		assert.deepEqual(r.data.questions[0].texts, [], 'a rejected text is not in the results');
	});
});
