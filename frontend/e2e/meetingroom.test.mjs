// A youth council meets in its live room: members check in on their phones and the quorum
// shows on every screen; three members ask to speak and a point of order goes first; the
// chair, a member on her phone, follows the coach: one motion is adopted, and after two
// members leave the next cannot be put to the vote for lack of quorum. axe-core checks the
// phone at 360×640 and the projector at 1366×768 and 1920×1080.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { signIn } from './adult.mjs';
import { BRASOV, LAPTOP, coordinator, enterRoom, memberPhone, openAndCheckIn, scheduleMeeting, setUpCouncil } from './council.mjs';
import { eventually, expectText, overflowsHorizontally, smallTouchTargets } from './expect.mjs';
import { expectNoAxeViolations, useVoci } from './server.mjs';

const { scenario } = useVoci();

const COORDINATOR = coordinator('brasov');
const PROJECTOR = { width: 1920, height: 1080 };

/** The coach's prompt, after the words a screen reader hears first ("Next step:"). */
const coach = (words) => new RegExp(`${words.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

describe('meeting room', () => {
	scenario('a meeting with a quorum, a queue of speakers, a motion adopted and one refused for lack of quorum', async ({ page, url, newPage }) => {
		await page.setViewportSize(LAPTOP);
		const { base, members } = await setUpCouncil(page, url, {
			siruta: BRASOV,
			coordinator: COORDINATOR,
			name: 'Consiliul Copiilor din Brașov',
			chair: 'president',
			members: [['Ana', 'president'], ['Bogdi', ''], ['Carla', 'secretary'], ['Dan', ''], ['Elena', '']]
		});
		const meetingID = await scheduleMeeting(page, base, 'Ședința din decembrie', 1);

		// Each member opens their card on their phone, then the meeting's room.
		const phones = {};
		for (const name of ['Ana', 'Bogdi', 'Dan', 'Elena']) phones[name] = await memberPhone({ page, base, newPage }, name, members[name]);
		await enterRoom(Object.values(phones), url, meetingID);

		// The projector, on the coordinator's laptop.
		const projector = await newPage({ viewport: PROJECTOR, label: 'projector' });
		await signIn(projector, url, COORDINATOR);
		await projector.goto(url(`/m/${BRASOV}/youth-council/meetings/${meetingID}/room?view=projector&lang=en`));
		await expectText(projector.locator('.quorum'), /There is no quorum\s*Present: 0 of 5\. Quorum: 3\./);

		// Ana chairs: her coach tells her to open the meeting.
		const ana = phones.Ana;
		await expectText(ana.locator('.coach'), coach('Open the meeting.'));
		await openAndCheckIn(ana, [ana, phones.Bogdi, phones.Dan]);
		await expectText(projector.locator('.quorum'), /There is a quorum\s*Present: 3 of 5\. Quorum: 3\./);
		await expectNoAxeViolations(ana, 'chair phone, en');
		assert.deepEqual(await smallTouchTargets(ana), []);
		assert.equal(await overflowsHorizontally(ana), false, 'the phone view fits 360 px');

		// Ana starts the first item, from the folded form for an item not on the agenda.
		await ana.getByText('An item not on the agenda').click();
		await ana.getByLabel('Agenda item').fill('Parcări pentru biciclete');
		await ana.getByLabel('Kind').selectOption('decision');
		await ana.getByRole('button', { name: 'Start the item' }).click();
		await expectText(projector.locator('.item'), 'Item 1: Parcări pentru biciclete');

		// Three members ask to speak; Elena's point of order goes first on every screen.
		await phones.Bogdi.getByRole('button', { name: 'Raise my hand' }).click();
		await expectText(projector.locator('.queue li'), /Bogdi/);
		await phones.Dan.getByLabel('Why do you ask to speak?').selectOption('question');
		await phones.Dan.getByRole('button', { name: 'Raise my hand' }).click();
		await phones.Elena.getByRole('button', { name: 'I am here (check in)' }).click();
		await expectText(phones.Elena.locator('#me-heading + p'), 'You are checked in.');
		await phones.Elena.getByLabel('Why do you ask to speak?').selectOption('point_of_order');
		await phones.Elena.getByRole('button', { name: 'Raise my hand' }).click();
		const order = ['Elena (a point of order)', 'Bogdi (a contribution)', 'Dan (a question)'];
		for (const screen of [projector, ana, phones.Dan]) {
			await eventually(async () => assert.deepEqual(await screen.locator('.queue li').allInnerTexts(), order));
		}
		await expectText(ana.locator('.coach'), coach('Elena has a point of order: give them the floor.'));
		await ana.getByRole('button', { name: 'Give the floor to the next' }).click();
		await expectText(projector.locator('.floor strong'), 'Speaking: Elena');
		await eventually(async () => assert.deepEqual(await projector.locator('.queue li').allInnerTexts(), order.slice(1)));
		await expectNoAxeViolations(projector, 'projector, 1920');

		// A motion: Bogdi submits it, Dan seconds it, Ana opens the debate and calls the vote.
		await ana.getByRole('button', { name: 'End the turn' }).click();
		await phones.Bogdi.getByLabel('Title').fill('Zece parcări pentru biciclete');
		await phones.Bogdi.getByLabel('What do you propose?').fill('Zece parcări lângă școală.');
		await phones.Bogdi.getByRole('button', { name: 'Submit the motion' }).click();
		const first = phones.Dan.getByRole('button', { name: /^Second motion M-\d+-1$/ });
		await first.click();
		await ana.getByRole('button', { name: /^Open the debate: M-\d+-1$/ }).click();
		await ana.getByRole('button', { name: /^Call the vote: M-\d+-1$/ }).click();
		await expectText(projector.locator('.voted'), '0 of 4 have voted.');
		for (const name of ['Ana', 'Bogdi', 'Dan']) {
			await phones[name].getByRole('button', { name: 'Yes', exact: true }).click();
			await expectText(phones[name].locator('#vote-heading ~ p').last(), /Your vote: Yes\./);
		}
		await phones.Elena.getByRole('button', { name: 'No', exact: true }).click();
		await expectText(projector.locator('.voted'), '4 of 4 have voted.');
		assert.equal(await projector.getByText('Your vote').count(), 0, 'the projector never shows a ballot');
		await expectNoAxeViolations(phones.Elena, 'member voting, en');
		await expectText(ana.locator('.coach'), coach('Everyone has voted: close the vote.'));
		await ana.getByRole('button', { name: 'Close the vote' }).click();
		await expectText(projector.locator('.outcome'), /M-\d+-1: Adopted/);
		await expectText(projector.locator('#result-heading + p + p'), 'Yes 3, no 1, abstain 0, not voting 0, absent 1.');

		// A second motion; then Dan and Elena leave, and the vote cannot open.
		await phones.Dan.getByLabel('Title').fill('Un concurs de desen');
		await phones.Dan.getByLabel('What do you propose?').fill('Un concurs de desen în parc.');
		await phones.Dan.getByRole('button', { name: 'Submit the motion' }).click();
		await phones.Bogdi.getByRole('button', { name: /^Second motion M-\d+-2$/ }).click();
		await ana.getByRole('button', { name: /^Open the debate: M-\d+-2$/ }).click();
		await phones.Bogdi.getByRole('button', { name: 'Lower my hand' }).click();
		for (const name of ['Dan', 'Elena']) {
			await phones[name].getByRole('button', { name: 'I am leaving (check out)' }).click();
		}
		await expectText(projector.locator('#floor-heading ~ p').last(), 'Nobody has asked to speak.');
		await expectText(projector.locator('.quorum'), /There is no quorum\s*Present: 2 of 5\. Quorum: 3\./);
		await expectText(ana.locator('.coach'), coach('There is no quorum: no vote can be held.'));
		await ana.getByRole('button', { name: /^Call the vote: M-\d+-2$/ }).click();
		await expectText(ana.locator('.answer p'), 'There is no quorum: the vote cannot open.');
		assert.equal(await projector.locator('#vote-heading').count(), 0, 'no vote opened');
		await expectNoAxeViolations(ana, 'chair without quorum, en');

		// The projector on a laptop, and the phone in Romanian and Hungarian.
		await projector.setViewportSize(LAPTOP);
		await expectNoAxeViolations(projector, 'projector, 1366');
		assert.equal(await overflowsHorizontally(projector), false);
		for (const [lang, words] of [['ro', 'Nu există cvorum'], ['hu', 'Nem határozatképes']]) {
			await ana.goto(url(`/council/meeting?id=${meetingID}&lang=${lang}`));
			await expectText(ana.locator('.quorum strong'), words);
			await expectNoAxeViolations(ana, `chair phone, ${lang}`);
		}

		// A phone set to Hungarian opens its member's room in Hungarian, with no ?lang, as the
		// member's own page does.
		const huPhone = await memberPhone({ page, base, newPage }, 'Elena', members.Elena, { locale: 'hu-HU', label: 'Elena, a Hungarian phone' });
		await huPhone.goto(url(`/council/meeting?id=${meetingID}`));
		await expectText(huPhone.locator('.quorum strong'), 'Nem határozatképes');
	});
});
