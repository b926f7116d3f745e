// A youth council's minutes, from one meeting to the next: the minutes are drafted when the
// meeting ends, the coordinator edits them, "Approve the minutes" is on the next meeting's
// agenda by itself, the council approves them there by a vote in the room, and a member's
// phone then shows them frozen with their fingerprint. The PDF, the votes' CSV and the
// Popolo JSON are downloaded and read. axe-core checks the phone at 360×640 and the
// coordinator's page at 1366×768.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe } from 'node:test';
import { api } from './adult.mjs';
import { BRASOV, LAPTOP, coordinator, enterRoom, memberPhone, openAndCheckIn, scheduleMeeting, setUpCouncil } from './council.mjs';
import { eventually, expectText, overflowsHorizontally, smallTouchTargets } from './expect.mjs';
import { expectNoAxeViolations, useVoci } from './server.mjs';

const { scenario } = useVoci();

describe('minutes', () => {
	scenario('minutes drafted, edited, approved at the next meeting by a vote, and shown frozen on a phone', async ({ page, url, newPage }) => {
		await page.setViewportSize(LAPTOP);
		const { base, members } = await setUpCouncil(page, url, {
			siruta: BRASOV,
			coordinator: coordinator('brasov'),
			name: 'Consiliul Copiilor din Brașov',
			chair: 'president',
			members: [['Ana', 'president'], ['Bogdi', ''], ['Carla', 'secretary']]
		});
		const firstID = await scheduleMeeting(page, base, 'Ședința din decembrie', 1);
		const secondID = await scheduleMeeting(page, base, 'Ședința din ianuarie', 48);
		assert.equal((await api(page, 'POST', `${base}/meetings/${firstID}/agenda`, { title: 'Bănci în parc', kind: 'decision' })).status, 201);

		const phones = {};
		for (const name of ['Ana', 'Bogdi', 'Carla']) phones[name] = await memberPhone({ page, base, newPage }, name, members[name]);

		/**
		 * Holds a meeting in the room: all three check in, the chair starts item 1 and calls a
		 * vote on it (on `subject`, or on the item that approves minutes as the form offers it),
		 * all vote yes.
		 */
		async function hold(meetingID, itemName, subject, approves = false) {
			await enterRoom(Object.values(phones), url, meetingID, /The meeting/);
			const ana = phones.Ana;
			await openAndCheckIn(ana, Object.values(phones));
			await ana.getByRole('button', { name: itemName }).click();
			const on = ana.getByLabel('The vote is on:');
			if (approves) {
				// Every screen says the item in its own language, with the date in that language.
				await expectText(ana.locator('#room-status ~ p.item'), /^Item 1: Approve the minutes of [A-Z][a-z]+ \d{1,2}, \d{4}$/);
				// The item that approves minutes has its vote's form open, under its own title, in
				// the phone's language too.
				await eventually(async () => assert.match(await on.inputValue(), /^Approve the minutes of [A-Z][a-z]+ \d{1,2}, \d{4}$/));
			} else {
				await ana.getByText('A vote on this item').click(); // folded on the chair's phone
				await on.fill(subject);
			}
			await ana.getByRole('button', { name: 'Vote', exact: true }).click();
			if (approves) {
				for (const name of ['Ana', 'Bogdi']) {
					await expectText(phones[name].locator('#vote-heading + p'), /^The vote is on: Approve the minutes of [A-Z][a-z]+ \d{1,2}, \d{4}$/);
				}
			}
			for (const name of ['Ana', 'Bogdi', 'Carla']) {
				await phones[name].getByRole('button', { name: 'Yes', exact: true }).click();
				await expectText(phones[name].locator('#vote-heading ~ p').last(), /Your vote: Yes\./);
			}
			await ana.getByRole('button', { name: 'Close the vote' }).click();
			await expectText(ana.locator('#result-heading + p + p'), 'Yes 3, no 0, abstain 0, not voting 0, absent 0.');
			await ana.getByRole('button', { name: 'End the meeting' }).click();
			await expectText(ana.locator('#room-status'), /ended/);
		}

		// The first meeting, then its draft on the coordinator's page, edited there.
		await hold(firstID, 'Start item 1: Bănci în parc', 'Bănci noi în parc');
		await page.goto(url(`/m/${BRASOV}/youth-council/meetings/${firstID}?lang=en`));
		await expectText(page.locator('#minutes-heading ~ article h3'), /^Minutes of the meeting of /);
		await expectText(page.locator('#minutes-heading ~ article'), /Draft, not approved yet/);
		await expectText(page.locator('#minutes-heading ~ article'), /3 for, 0 against, 0 abstained\. Adopted\./);
		const textarea = page.getByLabel('The text of the minutes');
		const drafted = await textarea.inputValue();
		assert.match(drafted, /^# Proces-verbal — Consiliul Copiilor din Brașov/);
		await textarea.fill(`${drafted}\nCorectură: ședința s-a ținut în sala mică.\n`);
		await page.getByRole('button', { name: 'Save the minutes' }).click();
		await expectText(page.locator('#minutes-heading ~ div[aria-live="polite"] .status'), 'The minutes were saved.');
		await expectNoAxeViolations(page, 'the meeting page with its minutes, 1366');
		assert.equal(await overflowsHorizontally(page), false);

		// "Approve the minutes" is on the next meeting's agenda by itself, once.
		const next = await api(page, 'GET', `${base}/meetings/${secondID}`);
		const approving = next.data.agenda.items.filter((i) => i.approvesMinutesOf === firstID);
		assert.equal(approving.length, 1, JSON.stringify(next.data.agenda.items));
		assert.equal(approving[0].kind, 'decision');

		// A member's agenda list says the item in the phone's language; the stored title stays Romanian.
		assert.match(approving[0].title, /^Aprobarea procesului-verbal al ședinței din /);
		for (const [lang, title] of [
			['en', /^Approve the minutes of [A-Z][a-z]+ \d{1,2}, \d{4}$/],
			['hu', /^A \d{4}\. [a-zá-ű]+ \d{1,2}\. ülés jegyzőkönyvének jóváhagyása$/],
			['ro', /^Aprobarea procesului-verbal din \d{1,2} [a-z]+ \d{4}$/]
		]) {
			await phones.Carla.goto(url(`/council?lang=${lang}`));
			await expectText(phones.Carla.locator('#meetings-heading ~ article ol.agenda li .title').first(), title);
			await expectNoAxeViolations(phones.Carla, `member phone, the agenda that approves minutes, ${lang}`);
		}

		// The coordinator's agenda says it in the page's language too, down to the buttons' names.
		for (const [lang, title] of [
			['hu', /^A \d{4}\. [a-zá-ű]+ \d{1,2}\. ülés jegyzőkönyvének jóváhagyása$/],
			['en', /^Approve the minutes of [A-Z][a-z]+ \d{1,2}, \d{4}$/]
		]) {
			await page.goto(url(`/m/${BRASOV}/youth-council/meetings/${secondID}?lang=${lang}`));
			const item = page.locator('#agenda-heading ~ ol.agenda > li').first();
			await expectText(item.locator('.item__title'), title);
			assert.match(await item.locator('.controls button').last().innerText(), new RegExp(title.source.slice(1)));
			await expectNoAxeViolations(page, `the coordinator's agenda that approves minutes, ${lang}`);
		}

		// Carla, the secretary, saves an edit that screening holds (a phone number): it waits
		// for the coordinator, and the others go on reading the text they could read.
		const held = await phones.Carla.evaluate(async (id) => {
			const me = await (await fetch('/api/v1/youth-council/me')).json();
			const url = `/api/v1/youth-council/me/meetings/${id}/minutes`;
			const cur = await (await fetch(url)).json();
			const res = await fetch(url, {
				method: 'PUT',
				headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrfToken },
				body: JSON.stringify({ text: `${cur.text}\nSunați-mă la 0722 123 456.\n`, revision: cur.revision })
			});
			return { status: res.status, body: await res.json() };
		}, firstID);
		assert.equal(held.status, 200, JSON.stringify(held.body));
		assert.equal(held.body.held, true);

		// The second meeting approves them by a vote in the room.
		await hold(secondID, /^Start item 1: Approve the minutes of /, null, true);
		// The vote carried the item's stored title, for the minutes of the meeting that approved them.
		const approvingMinutes = await api(page, 'GET', `${base}/meetings/${secondID}/minutes`);
		assert.equal(approvingMinutes.status, 200, JSON.stringify(approvingMinutes.data));
		assert.match(approvingMinutes.data.summary.items[0].votes[0].subject, /^Aprobarea procesului-verbal al ședinței din /);

		// Bogdi's phone: the past minutes, frozen, with their fingerprint.
		const bogdi = phones.Bogdi;
		await bogdi.goto(url('/council?lang=en'));
		await expectText(bogdi.locator('#minutes-heading'), /Minutes/);
		const entries = bogdi.locator('#minutes-heading ~ ul.list li');
		await expectText(entries.nth(1), /Approved/);
		await entries.nth(1).getByRole('button').click();
		const seal = bogdi.getByTestId('minutes-seal');
		await expectText(seal, /Approved/);
		await expectText(bogdi.getByTestId('minutes-verified'), 'The stored text matches the fingerprint: it has not been changed.');
		const hash = (await bogdi.getByTestId('minutes-hash').innerText()).trim();
		assert.match(hash, /^[0-9a-f]{64}$/);
		await bogdi.getByText('The full text of the minutes').click();
		const shown = await bogdi.getByTestId('minutes-text').innerText();
		assert.match(shown, /Corectură: ședința s-a ținut în sala mică\./);
		const stored = await bogdi.evaluate(async (id) => (await (await fetch(`/api/v1/youth-council/me/meetings/${id}/minutes`)).json()).text, firstID);
		assert.equal(createHash('sha256').update(stored, 'utf8').digest('hex'), hash, 'the hash shown is the SHA-256 of the stored text');
		assert.equal(await bogdi.getByLabel('The text of the minutes').count(), 0, 'approved minutes offer no editing');
		await expectNoAxeViolations(bogdi, 'member phone, approved minutes, 360');
		assert.deepEqual(await smallTouchTargets(bogdi), []);
		assert.equal(await overflowsHorizontally(bogdi), false, 'the minutes fit 360 px');
		assert.doesNotMatch(shown, /0722/, 'the held edit is not in the approved minutes');
		assert.equal(await bogdi.getByTestId('minutes-dropped-edit').count(), 0, 'only the secretary and adults are told of the dropped edit');

		// Carla, the secretary, is told why her held edit is not in the approved minutes.
		for (const [lang, said] of [
			['en', /^An edit by the secretary, saved on .+, was still waiting for the coordinator/],
			['hu', /^A titkár .+ mentett módosítása még a koordinátorra várt/],
			['ro', /^O modificare a secretarului, salvată pe .+, aștepta să fie citită de coordonator/]
		]) {
			await phones.Carla.goto(url(`/council?lang=${lang}`));
			await phones.Carla.locator('#minutes-heading ~ ul.list li').nth(1).getByRole('button').click();
			await expectText(phones.Carla.getByTestId('minutes-dropped-edit'), said);
			await expectNoAxeViolations(phones.Carla, `the secretary's phone, a held edit dropped, ${lang}`);
		}

		for (const lang of ['ro', 'hu']) {
			await bogdi.goto(url(`/council?lang=${lang}`));
			await bogdi.locator('#minutes-heading ~ ul.list li').nth(1).getByRole('button').click();
			await expectText(bogdi.getByTestId('minutes-seal'), lang === 'ro' ? /Aprobat/ : /Jóváhagyva/);
			await expectNoAxeViolations(bogdi, `member phone, approved minutes, ${lang}`);
		}

		// The files, downloaded from the phone.
		await bogdi.goto(url('/council?lang=en'));
		await bogdi.locator('#minutes-heading ~ ul.list li').nth(1).getByRole('button').click();
		const download = async (name) => {
			const [file] = await Promise.all([bogdi.waitForEvent('download'), bogdi.getByRole('link', { name }).click()]);
			return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
		};
		const pdf = await download("PDF for the town hall's file");
		assert.match(pdf.name, /^voci-minutes-\d{4}-\d{2}-\d{2}\.pdf$/);
		assert.equal(pdf.bytes.subarray(0, 5).toString(), '%PDF-');
		const csv = await download('The votes (CSV)');
		const rows = csv.bytes.toString('utf8').replace(/^\ufeff/, '').trim().split('\n');
		assert.match(rows[0], /^meeting_id,meeting_date,item,item_title,motion,subject,majority,secret,/);
		assert.equal(rows.length, 5, rows.join('\n')); // the vote's row and one per named ballot
		assert.match(rows[1], /,Bănci noi în parc,simple,false,electronic,adopted,3,0,0,0,0,3,3,/);
		assert.ok(rows.slice(2).every((r) => /,(Ana|Bogdi|Carla),yes$/.test(r.trim())), rows.join('\n'));
		const json = await download("The meeting's data (Popolo JSON)");
		const popolo = JSON.parse(json.bytes.toString('utf8'));
		assert.equal(popolo.vote_events.length, 1);
		assert.equal(popolo.vote_events[0].result, 'pass');
		assert.deepEqual(popolo.vote_events[0].counts.slice(0, 3), [
			{ option: 'yes', value: 3 },
			{ option: 'no', value: 0 },
			{ option: 'abstain', value: 0 }
		]);
		assert.equal(popolo.votes.length, 3);
		assert.equal(popolo.events[0].id, `voci:meeting/${firstID}`);
		assert.equal(popolo.minutes.status, 'approved');
		assert.equal(popolo.minutes.sha256, hash);
	});
});
