// A youth council's motion passes in the meeting room and goes to the local council as a
// recommendation; a council decision answers it, feedback for children is written, reviewed
// and published, and the answer comes back: on a member's phone at 360×640 in Hungarian, and
// on the coordinator's page at 1366×768. axe-core checks both.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { api, signIn } from './adult.mjs';
import { BRASOV, LAPTOP, PHONE, coordinator, enterRoom, memberPhone, openAndCheckIn, scheduleMeeting, setUpCouncil } from './council.mjs';
import { expectText, overflowsHorizontally, smallTouchTargets } from './expect.mjs';
import { expectNoAxeViolations, useVoci } from './server.mjs';

const { scenario } = useVoci();

const COUNCIL_MEMBER = 'council.brasov@demo.voci.ro';

describe('a motion sent to the local council', () => {
	scenario('passed in the room, sent, decided, answered, and the answer shown to the council', async ({ page, url, newPage }) => {
		await page.setViewportSize(LAPTOP);
		const { base, members } = await setUpCouncil(page, url, {
			siruta: BRASOV,
			coordinator: coordinator('brasov'),
			name: 'Consiliul Copiilor din Brașov',
			chair: 'president',
			members: [['Ana', 'president'], ['Bogdi', ''], ['Carla', 'secretary'], ['Dan', '']]
		});
		const meetingID = await scheduleMeeting(page, base, 'Ședința din decembrie', 1);

		// Three members on their phones in the room; Ana chairs.
		const phones = {};
		for (const name of ['Ana', 'Bogdi', 'Carla']) phones[name] = await memberPhone({ page, base, newPage }, name, members[name]);
		await enterRoom(Object.values(phones), url, meetingID);
		const ana = phones.Ana;
		await openAndCheckIn(ana, Object.values(phones));
		await ana.getByText('An item not on the agenda').click(); // folded on the chair's phone
		await ana.getByLabel('Agenda item').fill('Parcul central');
		await ana.getByLabel('Kind').selectOption('decision');
		await ana.getByRole('button', { name: 'Start the item' }).click();
		await phones.Bogdi.getByLabel('Title').fill('Bănci noi în parc');
		await phones.Bogdi.getByLabel('What do you propose?').fill('Zece bănci noi lângă locul de joacă.');
		await phones.Bogdi.getByRole('button', { name: 'Submit the motion' }).click();
		await phones.Carla.getByRole('button', { name: /^Second motion M-\d+-1$/ }).click();
		await ana.getByRole('button', { name: /^Open the debate: M-\d+-1$/ }).click();
		await ana.getByRole('button', { name: /^Call the vote: M-\d+-1$/ }).click();
		for (const name of ['Ana', 'Bogdi', 'Carla']) {
			await phones[name].getByRole('button', { name: 'Yes', exact: true }).click();
			await expectText(phones[name].locator('#vote-heading ~ p').last(), /Your vote: Yes\./);
		}
		await ana.getByRole('button', { name: 'Close the vote' }).click();
		await ana.getByRole('button', { name: 'End the meeting' }).click();
		await expectText(ana.locator('#room-status'), /ended/);

		// Ana, the president, could send it from her phone; the coordinator does, from the
		// council's page.
		await ana.goto(url('/council?lang=en'));
		const onAna = ana.locator('section[aria-labelledby="answers-heading"]');
		await expectText(onAna.locator('.state'), 'Adopted by your council. Not sent yet.');
		assert.equal(await onAna.getByRole('button', { name: 'Send to the local council' }).count(), 1);
		await expectNoAxeViolations(ana, "president's phone, a motion to send, en");

		// The coordinator sends it from the council's page.
		await page.goto(url(`/m/${BRASOV}/youth-council?lang=en`));
		const panel = page.locator('section[aria-labelledby="council-answers-heading"]');
		await expectText(panel.locator('h3'), /^Motion M-\d+-1: Bănci noi în parc$/);
		await expectText(panel, /Adopted with 3 for, 0 against and 0 abstentions\./);
		await panel.getByRole('button', { name: 'Send to the local council' }).click();
		await expectText(panel.locator('[aria-live] p'), 'The motion was sent to the local council.');
		await expectText(panel.locator('.motion-state'), 'Sent, waiting for a decision');
		const motions = await api(page, 'GET', `${base}/motions`);
		assert.equal(motions.status, 200);
		const recID = motions.data.motions[0].recommendationId;
		assert.ok(recID, 'sent');

		// The decisions' picker lists it; a decision answers it.
		await page.goto(url(`/m/${BRASOV}/decisions/new?lang=en`));
		await expectText(page.locator('#new-choose option').first(), /Bănci noi în parc/);
		const decisions = `/api/v1/municipalities/${BRASOV}/decisions`;
		const made = await api(page, 'POST', decisions, {
			number: '88/2026',
			date: '2026-12-04',
			title: 'Bănci în parcul central',
			text: 'Se aprobă montarea a zece bănci.',
			vote: { for: 17 },
			status: 'adopted',
			links: [{ recommendationId: recID, response: 'adopted_as_proposed' }]
		});
		assert.equal(made.status, 201, JSON.stringify(made.data));
		assert.equal((await api(page, 'POST', `${decisions}/${made.data.id}/publish`, { revision: 1 })).status, 200);

		// Feedback: the coordinator writes it, a council member publishes it.
		const feedback = `/api/v1/municipalities/${BRASOV}/recommendations/${recID}/feedback`;
		const texts = {
			ro: { text: 'Consiliul local a aprobat zece bănci noi în parc.', easyRead: 'Vin zece bănci noi în parc.' },
			hu: { text: 'A helyi tanács tíz új padot hagyott jóvá a parkba.', easyRead: 'Tíz új pad kerül a parkba.' }
		};
		const started = await api(page, 'POST', feedback, { texts });
		assert.equal(started.status, 201, JSON.stringify(started.data));
		const submitted = await api(page, 'POST', `${feedback}/${started.data.id}/submit`, { revision: started.data.revision });
		assert.equal(submitted.status, 200, JSON.stringify(submitted.data));
		const reviewer = await newPage({ viewport: LAPTOP, label: 'council member' });
		await signIn(reviewer, url, COUNCIL_MEMBER);
		const published = await api(reviewer, 'POST', `${feedback}/${started.data.id}/publish`, { revision: submitted.data.revision });
		assert.equal(published.status, 200, JSON.stringify(published.data));

		// The answer on the coordinator's page, at 1366×768.
		await page.goto(url(`/m/${BRASOV}/youth-council?lang=en`));
		await expectText(panel.locator('.motion-state'), 'Answer published for the children');
		await expectText(panel, /Decision no\. 88\/2026 of .*: Bănci în parcul central/);
		await expectNoAxeViolations(page, 'youth council page with the answer, 1366');
		assert.equal(await overflowsHorizontally(page), false);

		// And on Dan's phone, set to Hungarian, at 360×640.
		const dan = await memberPhone({ page, base, newPage }, 'Dan', members.Dan, { locale: 'hu-HU', label: 'Dan, a Hungarian phone' });
		const answers = dan.locator('section[aria-labelledby="answers-heading"]');
		await expectText(answers.locator('h2'), 'Mit válaszolt a helyi tanács');
		await expectText(answers.locator('h3'), 'Bănci noi în parc');
		await expectText(answers.locator('.state'), 'A helyi tanács válaszolt nektek.');
		await expectText(answers.locator('.did p').nth(1), 'Tíz új pad kerül a parkba.');
		await expectText(answers, /Megtették, amit kértetek\./);
		await answers.getByText('A teljes válasz').click();
		await expectText(answers.locator('details p'), 'A helyi tanács tíz új padot hagyott jóvá a parkba.');
		await expectNoAxeViolations(dan, 'member phone with the answer, hu');
		assert.deepEqual(await smallTouchTargets(dan), []);
		assert.equal(await overflowsHorizontally(dan), false, 'the phone view fits 360 px');

		// The public "you said, we did" page, with no sign-in, in three languages at 360×640:
		// the motion, the local council's decision and its answer, the easy-read one first,
		// and no member's name.
		const visitor = await newPage({ viewport: PHONE, label: 'a visitor' });
		for (const [lang, heading, state, easy] of [
			['hu', 'Amit az ifjúsági tanács kért', 'A helyi tanács válaszolt.', 'Tíz új pad kerül a parkba.'],
			['en', 'What the youth council asked for', 'The local council has answered.', 'Vin zece bănci noi în parc.'],
			['ro', 'Ce a cerut consiliul copiilor', 'Consiliul local a răspuns.', 'Vin zece bănci noi în parc.']
		]) {
			await visitor.goto(url(`/m/${BRASOV}/public?lang=${lang}`));
			const section = visitor.locator('section[aria-labelledby="council-motions-heading"]');
			await expectText(section.locator('h2'), heading);
			const item = section.getByTestId('public-motion');
			await expectText(item.locator('h3'), 'Bănci noi în parc');
			await expectText(item.locator('.motions__answer .motions__label'), state);
			await expectText(item.locator('.motions__answer strong').first(), easy);
			await expectText(item, /88\/2026/);
			const shown = await section.innerText();
			for (const name of ['Ana', 'Bogdi', 'Carla', 'Dan']) assert.ok(!shown.includes(name), `the public page names ${name}`);
			await expectNoAxeViolations(visitor, `public page with the youth council's motion, ${lang}`);
			assert.deepEqual(await smallTouchTargets(visitor), []);
			assert.equal(await overflowsHorizontally(visitor), false, 'the public page fits 360 px');
		}
	});
});
