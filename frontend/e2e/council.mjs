// Helpers for the browser tests of youth councils: the coordinator sets up a council, its
// members and meetings through the API, members open their sign-in cards on their phones and
// go into a meeting's room, and the chair opens it with everyone checked in.
import assert from 'node:assert/strict';
import { api, signIn } from './adult.mjs';
import { expectText } from './expect.mjs';

export const BRASOV = 40198;
export const MOINESTI = 20876;

/** The demo coordinator of a municipality: `coordinator('brasov')`. */
export const coordinator = (place) => `coordinator.${place}@demo.voci.ro`;

/** A cheap phone, and the coordinator's laptop. */
export const PHONE = { width: 360, height: 640 };
export const LAPTOP = { width: 1366, height: 768 };

/** The instant `hours` from now, to the second, as the API takes it. */
export const inHours = (hours) => new Date(Date.now() + hours * 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');

/**
 * Signs the coordinator in on `page` and sets up the council of `siruta`, new, through the
 * API: `name`, the `chair` rule if given, and `members` as [name, office] pairs, each 16–18.
 * Returns the council's API path and each member's ID by name.
 */
export async function setUpCouncil(page, url, { siruta, coordinator, name, chair, members }) {
	await signIn(page, url, coordinator);
	const base = `/api/v1/municipalities/${siruta}/youth-council`;
	const council = await api(page, 'PUT', base, chair ? { name, chair } : { name });
	assert.equal(council.status, 201, `council: ${JSON.stringify(council.data)}`);
	const ids = {};
	for (const [member, office] of members) {
		const added = await api(page, 'POST', `${base}/members`, { displayName: member, ageBand: '16_18', office });
		assert.equal(added.status, 201, `member ${member}`);
		ids[member] = added.data.id;
	}
	return { base, members: ids };
}

/** Schedules a meeting `hours` from now through the API, and returns its ID. */
export async function scheduleMeeting(page, base, title, hours) {
	const scheduled = await api(page, 'POST', `${base}/meetings`, { title, startsAt: inHours(hours) });
	assert.equal(scheduled.status, 201, `meeting: ${JSON.stringify(scheduled.data)}`);
	return scheduled.data.meeting.id;
}

/** Issues a member's sign-in card through the API, and returns its link. */
export async function issueCard(page, base, memberID) {
	const card = await api(page, 'POST', `${base}/members/${memberID}/card`);
	assert.equal(card.status, 201, `card: ${JSON.stringify(card.data)}`);
	return card.data.link;
}

/**
 * A member's phone (360×640, in the browser's `locale` if given, named `label` in a failure's
 * report) signed in with a new card: the member's page greets them by name.
 */
export async function memberPhone({ page, base, newPage }, name, memberID, { locale, label = name } = {}) {
	const link = await issueCard(page, base, memberID);
	const phone = await newPage(locale ? { viewport: PHONE, label, locale } : { viewport: PHONE, label });
	await phone.goto(link);
	await expectText(phone.locator('#me-heading'), new RegExp(name));
	return phone;
}

/** Takes each phone into the meeting's room, in English, and waits until it shows the room's state. */
export async function enterRoom(phones, url, meetingID, status = 'The meeting has not started') {
	for (const phone of phones) {
		await phone.goto(url(`/council/meeting?id=${meetingID}&lang=en`));
		await expectText(phone.locator('#room-status'), status);
	}
}

/** The chair opens the meeting, and each phone checks in. */
export async function openAndCheckIn(chair, phones) {
	await chair.getByRole('button', { name: 'Open the meeting' }).click();
	await expectText(chair.locator('#room-status'), 'The meeting is open');
	for (const phone of phones) {
		await phone.getByRole('button', { name: 'I am here (check in)' }).click();
		await expectText(phone.locator('#me-heading + p'), 'You are checked in.');
	}
}

/**
 * How each table on the page is laid out: its caption, how its rows show (`block` when they
 * stack as cards, `table-row` when they are a table's rows), whether it sits in a box that
 * scrolls sideways, and whether anything in its body reaches past the window's right edge.
 */
export function tableLayouts(page) {
	return page.evaluate(() =>
		[...document.querySelectorAll('main table')].map((table) => {
			const row = table.querySelector('tbody tr');
			const edge = document.documentElement.clientWidth + 0.5;
			return {
				caption: table.caption?.textContent?.trim() ?? '',
				rows: row ? getComputedStyle(row).display : '',
				scrolls: table.closest('.table-scroll') !== null,
				// What is clipped to one pixel for screen readers (the header when rows stack) does not count.
				wide: [...table.querySelectorAll('tbody *')].some((el) => !el.closest('.visually-hidden') && el.getBoundingClientRect().right > edge)
			};
		})
	);
}
