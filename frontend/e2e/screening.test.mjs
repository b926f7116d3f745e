// Held text stays held: in a live session a child sends a text with a phone number and
// another child a clean one. On the facilitator's console (in English) the held text sits
// apart with its reason; approving all ordinary texts leaves it held; approving it takes a
// second, in-page step, usable with the keyboard; then it is approved, reaches the
// projector, and the approval is audited with its reason. Children write in Hungarian and
// English; axe-core checks the pages on the way. The consultation is prepared through the
// API (the forms are covered by live.test.mjs).
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { api, signIn } from './adult.mjs';
import { eventually, expectText, focused, tabTo } from './expect.mjs';
import { expectNoAxeViolations, PHONE, useVoci } from './server.mjs';

const { scenario } = useVoci();

const BACAU = 20297;

describe('held text and its second step', () => {
	scenario('a text held for a phone number is approved only after an explicit confirmation', async ({ page, url, newPage }) => {
		await signIn(page, url);
		const base = `/api/v1/municipalities/${BACAU}/consultations`;
		const created = await api(page, 'POST', base, {
			title: 'Our new park',
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
		const question = await api(page, 'POST', `${base}/${id}/questions`, { kind: 'short_text', prompt: 'What idea do you have for the park?' });
		assert.equal(question.status, 201);
		assert.equal((await api(page, 'POST', `${base}/${id}/status`, { status: 'open' })).status, 200);
		const live = await api(page, 'POST', `${base}/${id}/live-sessions`);
		assert.equal(live.status, 201);
		const consolePath = `/m/${BACAU}/live/${live.data.id}`;

		await page.goto(url(consolePath));
		await expectText(page.locator('h1'), 'Live session');
		const presenter = await newPage({ context: page.context(), label: 'presenter' });
		await presenter.goto(url(`${consolePath}/presenter`));
		await expectText(presenter.getByTestId('presenter-code'), live.data.joinCode);

		const phones = [];
		for (const lang of ['hu', 'en']) {
			const phone = await newPage({ viewport: PHONE, label: `child ${lang}` });
			await phone.goto(url(`/join?lang=${lang}&code=${live.data.joinCode}`));
			await phone.locator('button[type="submit"]').click();
			await eventually(() => assert.equal(new URL(phone.url()).pathname, '/session'));
			phones.push(phone);
		}
		const [hu, en] = phones;
		await page.getByRole('button', { name: /^Open\W*Question 1$/ }).click();
		const heldText = 'Hívj fel: 0722 123 456';
		const cleanText = 'More benches in the shade';
		await expectText(hu.locator('#question-heading'), 'What idea do you have for the park?');
		await hu.getByLabel('A válaszod').fill(heldText);
		await hu.getByRole('button', { name: 'Küldés', exact: true }).click();
		await expectText(hu.locator('.ack__text'), /Megkaptuk! Egy felnőtt/);
		await expectNoAxeViolations(hu, 'a held text sent (hu)');
		await en.getByLabel('Your answer').fill(cleanText);
		await en.getByRole('button', { name: 'Send', exact: true }).click();
		await expectText(en.locator('.ack__text'), /Got it! An adult/);

		// On the console the held text is apart, under its own heading, with its reasons.
		const held = page.getByRole('region', { name: /^Held by screening/ });
		await expectText(held.getByRole('heading'), 'Held by screening (1)');
		await expectText(held.locator('.item__text'), heldText);
		await expectText(held.locator('.item__flags'), 'Why: phone number, invitation to talk elsewhere');
		assert.equal(await held.getByText(cleanText).count(), 0, 'the clean text is not among the held ones');
		await expectNoAxeViolations(page, 'the console with a held text');

		// Approving all ordinary texts approves the clean one only.
		await page.getByRole('button', { name: 'Approve the ordinary text (1)' }).click();
		await expectText(page.locator('.status').filter({ hasText: 'approved' }), '1 text approved.');
		await expectText(presenter.locator('.texts__item'), cleanText);
		await expectText(held.locator('.item__text'), heldText);
		assert.equal(await presenter.getByText(heldText).count(), 0, 'the held text is not on the projector');
		const queue = await api(page, 'GET', `${base}/${id}/moderation`);
		assert.deepEqual(
			queue.data.held.map((item) => [item.text, item.moderation, item.flags]),
			[[heldText, 'held', ['phone', 'contact_invitation']]]
		);
		assert.deepEqual(queue.data.items, []);
		// A plain approval through the API is refused too.
		const plain = await api(page, 'POST', `/api/v1/municipalities/${BACAU}/answers/${queue.data.held[0].answerId}/moderation`, {
			state: 'approved',
			revision: queue.data.held[0].revision
		});
		assert.equal(plain.status, 409);
		assert.equal(plain.data.code, 'held_text_needs_confirmation');

		// The first step asks; cancelling gives the focus back to where it was.
		await held.getByRole('button', { name: /^Approve…/ }).click();
		const confirm = held.getByRole('group');
		await expectText(confirm.locator('.confirm__question'), /^Screening held this text for: phone number, invitation to talk elsewhere\./);
		await eventually(async () => assert.match(await focused(page), /^p#confirm-/));
		await expectNoAxeViolations(page, 'the second step of approving a held text');
		await confirm.getByRole('button', { name: /^Cancel/ }).click();
		await eventually(async () => assert.match(await focused(page), /^button#approve-.*Approve…/));
		assert.equal(await presenter.getByText(heldText).count(), 0, 'cancelling approves nothing');

		// With the keyboard: Enter on "Approve…", Tab to "Yes, approve it", Enter.
		await page.keyboard.press('Enter');
		await eventually(async () => assert.match(await focused(page), /^p#confirm-/));
		await tabTo(page, (now) => now.startsWith('button "Yes, approve it'));
		await page.keyboard.press('Enter');
		await eventually(async () => assert.equal(await page.getByRole('region', { name: /^Held by screening/ }).count(), 0));
		await expectText(page.locator('#moderation-heading'), 'To review (0)');
		await eventually(async () => assert.equal(await presenter.locator('.texts__item').filter({ hasText: heldText }).count(), 1));
		await expectNoAxeViolations(page, 'the console after the approval');

		// The approval is audited with its reasons, never the text.
		const coordinator = await newPage({ label: 'coordinator' });
		await signIn(coordinator, url, 'coordinator.bacau@demo.voci.ro');
		const audit = await api(coordinator, 'GET', `/api/v1/audit?municipality=${BACAU}&pageSize=100`);
		assert.equal(audit.status, 200);
		const moderations = audit.data.items.filter((item) => item.action === 'answer.moderate').map((item) => item.detail);
		assert.ok(moderations.includes('approved; confirmed, held for: phone, contact_invitation'), JSON.stringify(moderations));
		// Look for the number as the child wrote it: '0722' alone also turns up by chance in the
		// hexadecimal request IDs of a hundred entries.
		const trail = JSON.stringify(audit.data);
		for (const piece of ['0722 123 456', '123 456', 'Hívj fel']) assert.ok(!trail.includes(piece), `the audit trail holds no child text (${piece})`);
	});
});
