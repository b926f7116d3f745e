// The meeting room beyond the first meeting: the agenda added while the room is loaded, the
// chair confirming the balanced suggestion of who speaks next (the list itself keeps its
// order), an amendment submitted, seconded and adopted by vote, the motion then deferred,
// and the next meeting of the council taking it up again under its number. axe-core checks
// the chair's phone at 360×640 with the suggestion and the amendment form showing.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { api } from './adult.mjs';
import { BRASOV, coordinator, enterRoom, memberPhone, openAndCheckIn, scheduleMeeting, setUpCouncil } from './council.mjs';
import { eventually, expectText, overflowsHorizontally, smallTouchTargets } from './expect.mjs';
import { expectNoAxeViolations, useVoci } from './server.mjs';

const { scenario } = useVoci();

describe('meeting room, amendments and a deferral', () => {
	scenario('a balanced suggestion confirmed, an amendment adopted, a motion deferred into the next meeting', async ({ page, url, newPage }) => {
		const { base, members } = await setUpCouncil(page, url, {
			siruta: BRASOV,
			coordinator: coordinator('brasov'),
			name: 'Consiliul Copiilor din Brașov',
			chair: 'president',
			members: [['Ana', 'president'], ['Bogdi', ''], ['Carla', 'secretary'], ['Dan', '']]
		});
		const first = await scheduleMeeting(page, base, 'Ședința din decembrie', 1);

		const phones = {};
		for (const name of ['Ana', 'Bogdi', 'Dan']) phones[name] = await memberPhone({ page, base, newPage }, name, members[name]);
		await enterRoom(Object.values(phones), url, first);
		const { Ana: ana, Bogdi: bogdi, Dan: dan } = phones;

		// The coordinator adds an item while the phones are in the room: it reaches them.
		const item = await api(page, 'POST', `${base}/meetings/${first}/agenda`, { title: 'Parcul din cartier', kind: 'decision' });
		assert.equal(item.status, 201, `agenda item: ${JSON.stringify(item.data)}`);
		const startItem = ana.getByRole('button', { name: 'Start item 1: Parcul din cartier' });

		await openAndCheckIn(ana, [ana, bogdi, dan]);
		await startItem.click();
		await expectText(bogdi.locator('.item'), 'Item 1: Parcul din cartier');

		// Bogdi speaks once; then Bogdi and Dan ask again, Bogdi first. The suggestion by
		// fewest contributions is Dan; the list keeps Bogdi first until Ana confirms.
		await bogdi.getByRole('button', { name: 'Raise my hand' }).click();
		await ana.getByRole('button', { name: 'Give the floor to the next' }).click();
		await expectText(dan.locator('.floor strong'), 'Speaking: Bogdi');
		await ana.getByRole('button', { name: 'End the turn' }).click();
		await expectText(dan.locator('#floor-heading + p'), /./);
		await bogdi.getByRole('button', { name: 'Raise my hand' }).click();
		await eventually(async () => assert.deepEqual(await dan.locator('.queue li').allInnerTexts(), ['Bogdi (a contribution)']));
		await dan.getByRole('button', { name: 'Raise my hand' }).click();
		const order = ['Bogdi (a contribution)', 'Dan (a contribution)'];
		await eventually(async () => assert.deepEqual(await ana.locator('.queue li').allInnerTexts(), order));
		await expectText(ana.locator('.balanced'), /Fewest contributions so far: Dan/);
		await expectNoAxeViolations(ana, 'chair phone with the balanced suggestion, en');
		assert.deepEqual(await smallTouchTargets(ana), []);
		assert.equal(await overflowsHorizontally(ana), false, 'the chair phone fits 360 px');
		assert.deepEqual(await bogdi.locator('.queue li').allInnerTexts(), order, 'nothing reordered before the chair confirms');
		await ana.locator('.balanced').getByRole('button', { name: 'Give the floor to Dan' }).first().click();
		await expectText(bogdi.locator('.floor strong'), 'Speaking: Dan');
		await eventually(async () => assert.deepEqual(await bogdi.locator('.queue li').allInnerTexts(), ['Bogdi (a contribution)']));
		await ana.getByRole('button', { name: 'End the turn' }).click();
		await bogdi.getByRole('button', { name: 'Lower my hand' }).click();

		// Bogdi's motion, seconded by Dan; Dan proposes an amendment, Bogdi seconds it, and
		// the amendment is debated and adopted by vote.
		await bogdi.getByLabel('Title').fill('Bănci noi în parc');
		await bogdi.getByLabel('What do you propose?').fill('Cinci bănci noi în parc.');
		await bogdi.getByRole('button', { name: 'Submit the motion' }).click();
		await dan.getByRole('button', { name: /^Second motion M-\d+-1$/ }).click();
		const amend = dan.getByRole('button', { name: /^Propose an amendment to M-\d+-1$/ });
		await amend.click();
		await expectText(dan.locator('form h3'), /^Amendment to M-\d+-1$/);
		await dan.getByLabel('What do you propose?').fill('Zece bănci noi în parc, la umbră.');
		await expectNoAxeViolations(dan, 'member writing an amendment, en');
		await dan.getByRole('button', { name: 'Submit the amendment' }).click();
		await expectText(ana.locator('.motions'), /Amendment to M-\d+-1/);
		await bogdi.getByRole('button', { name: /^Second motion M-\d+-1-A1$/ }).click();
		await ana.getByRole('button', { name: /^Open the debate: M-\d+-1-A1$/ }).click();
		await ana.getByRole('button', { name: /^Call the vote: M-\d+-1-A1$/ }).click();
		for (const phone of [ana, bogdi, dan]) {
			await phone.getByRole('button', { name: 'Yes', exact: true }).click();
			await expectText(phone.locator('#vote-heading ~ p').last(), /Your vote: Yes\./);
		}
		await ana.getByRole('button', { name: 'Close the vote' }).click();
		await expectText(bogdi.locator('.outcome'), /M-\d+-1-A1: Adopted/);

		// Ana defers the motion to a later meeting, and ends this one.
		await ana.getByRole('button', { name: /^Defer M-\d+-1 to a later meeting$/ }).click();
		await expectText(bogdi.locator('.motions li').first(), /deferred/);
		const number = (await ana.locator('.motions li').first().innerText()).match(/M-\d+-1\b/)[0];
		await ana.getByRole('button', { name: 'End the meeting' }).click();
		await expectText(ana.locator('#room-status'), 'The meeting has ended');

		// The next meeting's room has the motion, deferred, under its number; Ana takes it up.
		const second = await scheduleMeeting(page, base, 'Ședința din ianuarie', 2);
		await ana.goto(url(`/council/meeting?id=${second}&lang=en`));
		await expectText(ana.locator('.motions li').first(), new RegExp(`${number}, proposed by Bogdi`));
		await expectText(ana.locator('.motions li').first(), /deferred/);
		await ana.getByRole('button', { name: 'Open the meeting' }).click();
		await ana.getByRole('button', { name: `Take up ${number} again` }).click();
		await expectText(ana.locator('.motions li').first(), /under debate/);
		await expectNoAxeViolations(ana, 'chair phone in the next meeting, en');
		for (const [lang, words] of [['ro', 'Amână'], ['hu', 'elhalasztása']]) {
			await ana.goto(url(`/council/meeting?id=${second}&lang=${lang}`));
			await expectText(ana.locator('.motions li').first(), new RegExp(words));
			await expectNoAxeViolations(ana, `chair phone, ${lang}`);
		}
	});
});
