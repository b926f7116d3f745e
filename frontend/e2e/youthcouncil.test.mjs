// A coordinator sets up Moinești's youth council, adds members, records a guardian's consent
// and issues a sign-in card; the member opens the card's link on a phone and sees the
// council; the coordinator revokes the card and the link is refused; a facilitator reads the
// council but never the consent. axe-core checks the pages on a phone and on a laptop, in
// three languages.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { api, signIn } from './adult.mjs';
import { LAPTOP, MOINESTI, PHONE, coordinator, tableLayouts } from './council.mjs';
import { eventually, expectText, overflowsHorizontally, smallTouchTargets } from './expect.mjs';
import { expectNoAxeViolations, useVoci } from './server.mjs';

const { scenario } = useVoci();

const COORDINATOR = coordinator('moinesti');
const FACILITATOR = 'facilitator.moinesti@demo.voci.ro';
const COUNCIL = 'Consiliul Copiilor din Moinești';

const PHONE_WORDS = {
	ro: { hello: 'Bună, Ana!', noMeetings: 'Nicio ședință nu este programată încă.', revoked: 'Acest card nu mai funcționează' },
	en: { hello: 'Hello, Ana!', noMeetings: 'No meeting is scheduled yet.', revoked: 'This card no longer works' },
	hu: { hello: 'Szia, Ana!', noMeetings: 'Még nincs kitűzött ülés.', revoked: 'Ez a kártya már nem működik' }
};

describe('youth council', () => {
	scenario('a coordinator sets up the council and a member signs in on their phone with a card', async ({ page, url, newPage }) => {
		await page.setViewportSize(LAPTOP);
		await signIn(page, url, COORDINATOR);

		// The start page leads to the council; there is none yet.
		await page.goto(url('/start'));
		await page.getByRole('link', { name: 'The youth council of Moinești' }).click();
		await expectText(page.locator('h2#create-heading'), 'Set up the council');
		await page.getByLabel("The council's name").fill(COUNCIL);
		await page.getByRole('button', { name: 'Set up the council' }).click();
		await expectText(page.locator('h1'), COUNCIL);

		// Members: a nickname and an age band; a surname is refused with a clear message.
		const addMember = async (name, band, office) => {
			await page.getByLabel('First name or nickname (no surname)').fill(name);
			await page.locator('#new-band').selectOption(band);
			await page.locator('#new-office').selectOption(office);
			await page.getByRole('button', { name: 'Add the member' }).click();
		};
		await addMember('Ana', '13_15', 'president');
		await expectText(page.locator('p.status:not(.status--error)'), 'The member was added.');
		await addMember('Bogdi', '16_18', 'secretary');
		await expectText(page.getByRole('rowheader', { name: 'Bogdi' }), 'Bogdi');
		await addMember('Ana Popescu', '10_12', '');
		await expectText(page.locator('p.status--error'), /Use a first name or a nickname only/);
		await addMember('Zoli', '16_18', 'president');
		await expectText(page.locator('p.status--error'), /already holds this office/);

		// Ana is 13: she cannot join a meeting until her guardian consents.
		const anaRow = page.getByRole('row', { name: /^Ana / });
		await expectText(anaRow.locator('td').nth(3), "No: guardian's consent missing (cannot join a meeting)");
		await expectNoAxeViolations(page, 'council, laptop, en');
		assert.deepEqual(await tableLayouts(page), [{ caption: 'Table of members', rows: 'table-row', scrolls: false, wide: false }], 'a table on a laptop');
		await page.getByRole('button', { name: 'Edit Ana' }).click();
		await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement?.id), 'selected-heading'));
		await page.getByLabel("Parent's or guardian's name").fill('Maria Ionescu');
		await page.getByLabel('Date of consent').fill('2026-11-02');
		await page.getByLabel('How it was given').selectOption('paper_form');
		await page.getByLabel('For what (in short)').fill('council meetings in the town hall');
		await page.getByRole('button', { name: 'Record the consent' }).click();
		await expectText(page.locator('p.status:not(.status--error)'), 'The consent was recorded.');
		await expectText(anaRow.locator('td').nth(3), 'Yes');
		await expectNoAxeViolations(page, 'council with consent form, en');

		// A card for Ana, shown once, ready to print.
		await page.getByRole('button', { name: 'Issue card Ana' }).click();
		await expectText(page.locator('#cards-heading'), 'Cards to print');
		const link = await page.locator('.card__link a').first().getAttribute('href');
		assert.ok(link?.startsWith(url('/council#card=')), `card link ${link}`);
		await expectText(page.locator('.card__name'), 'Ana');
		assert.ok((await page.locator('.card img').getAttribute('src'))?.startsWith('data:image/png;base64,'));
		await expectNoAxeViolations(page, 'council with cards, en');

		// The coordinator's page on a phone: each member is a card, each line headed by its column.
		await page.setViewportSize(PHONE);
		await expectNoAxeViolations(page, 'council, phone, en');
		assert.equal(await overflowsHorizontally(page), false, 'the coordinator page fits a phone');
		assert.deepEqual(await tableLayouts(page), [{ caption: 'Table of members', rows: 'block', scrolls: false, wide: false }], 'cards on a phone');
		assert.equal(await page.locator('main [role="region"][tabindex]').count(), 0, 'no region to scroll sideways');
		const anaCard = page.locator('tbody tr').filter({ has: page.getByRole('rowheader', { name: 'Ana' }) });
		const heading = await anaCard.locator('td').nth(3).evaluate((td) => getComputedStyle(td, '::before').content);
		assert.equal(heading, '"May take part"');
		await expectText(anaCard.locator('td').nth(3), 'Yes');
		assert.deepEqual(await smallTouchTargets(page), []);

		// Ana opens her card on her phone: the secret leaves the address bar, the council shows.
		const phone = await newPage({ viewport: PHONE, label: 'phone' });
		await phone.goto(link);
		await expectText(phone.locator('h1'), COUNCIL);
		await expectText(phone.locator('#me-heading'), PHONE_WORDS.ro.hello);
		assert.equal(new URL(phone.url()).hash, '', 'the card secret is taken out of the address');
		await expectText(phone.locator('.members li').first(), /^Bogdi\s*secretar$/);
		await expectText(phone.locator('#meetings-heading + p'), PHONE_WORDS.ro.noMeetings);
		assert.equal(await phone.getByRole('button').filter({ hasText: /ședinț/i }).count(), 0, 'no placeholder buttons');
		assert.deepEqual(await smallTouchTargets(phone), []);
		assert.equal(await overflowsHorizontally(phone), false);
		await expectNoAxeViolations(phone, 'member phone, ro');
		for (const lang of ['en', 'hu']) {
			await phone.goto(url(`/council?lang=${lang}`));
			await expectText(phone.locator('#me-heading'), PHONE_WORDS[lang].hello);
			await expectText(phone.locator('#meetings-heading + p'), PHONE_WORDS[lang].noMeetings);
			await expectNoAxeViolations(phone, `member phone, ${lang}`);
		}
		// On a laptop too.
		await phone.setViewportSize(LAPTOP);
		await expectNoAxeViolations(phone, 'member page, laptop');

		// The coordinator revokes the card: the phone's session ends and the link is refused.
		await page.setViewportSize(LAPTOP);
		await page.getByRole('button', { name: 'Revoke card Ana' }).click();
		await expectText(page.locator('p.status:not(.status--error)'), 'The card was revoked and opens nothing any more.');
		await phone.goto(url('/council?lang=en'));
		await expectText(phone.locator('h1'), 'My council');
		await expectText(phone.locator('.phone [aria-live] p'), /Open the link on your sign-in card/);
		const other = await newPage({ viewport: PHONE, label: 'old card' });
		await other.goto(link);
		await expectText(other.locator('p.status--error'), new RegExp(PHONE_WORDS.ro.revoked));
		await expectNoAxeViolations(other, 'revoked card, ro');

		// The coordinator's page in Romanian and Hungarian, on a laptop and on a phone.
		for (const lang of ['ro', 'hu']) {
			await page.setViewportSize(LAPTOP);
			await page.goto(url(`/m/${MOINESTI}/youth-council?lang=${lang}`));
			await expectText(page.locator('h1'), COUNCIL);
			await expectNoAxeViolations(page, `council, laptop, ${lang}`);
			await page.setViewportSize(PHONE);
			assert.equal(await overflowsHorizontally(page), false, `the coordinator page fits a phone, ${lang}`);
			assert.deepEqual((await tableLayouts(page)).map((t) => [t.rows, t.scrolls, t.wide]), [['block', false, false]], `cards on a phone, ${lang}`);
			await expectNoAxeViolations(page, `council, phone, ${lang}`);
		}
	});

	scenario('a facilitator reads the council but never the consent', async ({ page, url, newPage }) => {
		await signIn(page, url, COORDINATOR);
		const created = await api(page, 'PUT', `/api/v1/municipalities/${MOINESTI}/youth-council`, { name: COUNCIL });
		assert.ok([200, 201].includes(created.status), `council: ${created.status}`);
		const added = await api(page, 'POST', `/api/v1/municipalities/${MOINESTI}/youth-council/members`, { displayName: 'Ilinca', ageBand: '10_12' });
		assert.ok([201, 409].includes(added.status), `member: ${added.status}`);

		const facPage = await newPage({ label: 'facilitator' });
		{
			await signIn(facPage, url, FACILITATOR);
			const consents = await api(facPage, 'GET', `/api/v1/municipalities/${MOINESTI}/youth-council/consents`);
			assert.equal(consents.status, 404);
			const read = await api(facPage, 'GET', `/api/v1/municipalities/${MOINESTI}/youth-council`);
			assert.equal(read.status, 200);
			assert.equal(read.data.mayManage, false);
			assert.ok(!JSON.stringify(read.data).includes('guardian'));
			await facPage.goto(url(`/m/${MOINESTI}/youth-council`));
			await expectText(facPage.locator('h1'), COUNCIL);
			await expectText(facPage.getByRole('rowheader', { name: 'Ilinca' }), 'Ilinca');
			assert.equal(await facPage.getByRole('button', { name: /consent|card/i }).count(), 0, 'no consent or card controls');
			assert.equal(await facPage.getByText('Maria').count(), 0);
		}
	});
});
