// A coordinator schedules a youth council meeting and drafts two agenda items; a member signed
// in with their card proposes a third from their phone; the coordinator accepts it and moves
// it to the top with the keyboard; a document whose content lies about its type is refused and
// a real one attached; the member reads the agenda and downloads the document on their phone.
// axe-core checks the pages on a phone and on a laptop, in three languages.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { LAPTOP, MOINESTI, PHONE, coordinator, issueCard, setUpCouncil, tableLayouts } from './council.mjs';
import { eventually, expectText, focused, overflowsHorizontally, smallTouchTargets } from './expect.mjs';
import { expectNoAxeViolations, useVoci } from './server.mjs';

const { scenario } = useVoci();

const COUNCIL = 'Consiliul Copiilor din Moinești';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/** A datetime-local value `days` from now, at 15:00. */
function inDays(days) {
	const d = new Date(Date.now() + days * 86_400_000);
	const pad = (n) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T15:00`;
}

/** The titles of the agenda's items, in their order. */
function agendaOf(page) {
	return page.locator('ol.agenda > li .item__title, ol.agenda > li .title').allTextContents();
}

describe('youth council meetings', () => {
	scenario('a meeting is scheduled, its agenda drafted, proposed to from a phone, accepted and reordered', async ({ page, url, newPage }) => {
		await page.setViewportSize(LAPTOP);
		const { base, members } = await setUpCouncil(page, url, {
			siruta: MOINESTI,
			coordinator: coordinator('moinesti'),
			name: COUNCIL,
			members: [['Bogdi', ''], ['Ana', 'president']]
		});
		const cardLink = await issueCard(page, base, members.Bogdi);

		// The coordinator schedules a meeting from the council's page.
		await page.goto(url(`/m/${MOINESTI}/youth-council`));
		await expectText(page.locator('#meetings-heading'), 'Meetings');
		await expectText(page.locator('#meetings-heading ~ p').first(), 'No meeting is scheduled yet.');
		await page.getByLabel('Title', { exact: true }).fill('Ședința din decembrie');
		await page.getByLabel('Starts at').fill(inDays(10));
		await page.getByLabel('Place (optional)').fill('Sala mică a primăriei');
		await page.getByRole('button', { name: 'Schedule the meeting' }).click();
		await expectText(page.locator('section[aria-labelledby="meetings-heading"] p.status'), 'The meeting was scheduled.');
		await expectText(page.getByRole('rowheader', { name: 'Ședința din decembrie' }), 'Ședința din decembrie');
		await expectNoAxeViolations(page, 'council with meetings, laptop, en');
		const meetingsTable = (layouts) => layouts.filter((t) => t.caption === "The council's meetings");
		assert.deepEqual(meetingsTable(await tableLayouts(page)), [{ caption: "The council's meetings", rows: 'table-row', scrolls: false, wide: false }]);

		// On a phone each meeting is a card, each line headed by its column.
		await page.setViewportSize(PHONE);
		assert.equal(await overflowsHorizontally(page), false, 'the council page with meetings fits a phone');
		assert.deepEqual(meetingsTable(await tableLayouts(page)), [{ caption: "The council's meetings", rows: 'block', scrolls: false, wide: false }]);
		const when = page.locator('section[aria-labelledby="meetings-heading"] tbody td').first();
		assert.equal(await when.evaluate((td) => getComputedStyle(td, '::before').content), '"When"');
		assert.deepEqual(await smallTouchTargets(page), []);
		await expectNoAxeViolations(page, 'council with meetings, phone, en');
		await page.setViewportSize(LAPTOP);

		// Its page: two items drafted.
		await page.getByRole('link', { name: 'Ședința din decembrie' }).click();
		await expectText(page.locator('h1'), 'Ședința din decembrie');
		const meetingURL = page.url();
		for (const [title, kind] of [
			['Bugetul participativ', 'information'],
			['Parcul din cartier', 'discussion']
		]) {
			await page.getByLabel('Item', { exact: true }).fill(title);
			await page.locator('#item-kind').selectOption(kind);
			await page.getByRole('button', { name: 'Add to the agenda' }).click();
			await eventually(async () => assert.ok((await agendaOf(page)).includes(title)));
		}
		assert.deepEqual(await agendaOf(page), ['Bugetul participativ', 'Parcul din cartier']);
		await expectNoAxeViolations(page, 'meeting page, laptop, en');

		// Bogdi opens his card on his phone, sees the meeting and proposes an item.
		const phone = await newPage({ viewport: PHONE, label: 'phone' });
		await phone.goto(cardLink);
		await expectText(phone.locator('h1'), COUNCIL);
		await expectText(phone.locator('article h3'), 'Ședința din decembrie');
		assert.deepEqual(await agendaOf(phone), ['Bugetul participativ', 'Parcul din cartier']);
		await phone.locator('input[id^="propose-title-"]').fill('Un skatepark lângă școală');
		await phone.locator('select[id^="propose-kind-"]').selectOption('decision');
		await phone.getByRole('button', { name: 'Trimite propunerea' }).click();
		await expectText(phone.locator('article [aria-live] p'), /Propunerea ta a fost trimisă/);
		await expectText(phone.locator('ul.waiting li'), /Un skatepark lângă școală\s*Propunerea ta · așteaptă un răspuns/);
		assert.deepEqual(await smallTouchTargets(phone), []);
		assert.equal(await overflowsHorizontally(phone), false, 'the member page fits a phone');
		await expectNoAxeViolations(phone, 'member phone with a meeting, ro');

		// The coordinator sees whose proposal it is, by display name only, and accepts it.
		await page.goto(meetingURL);
		const proposal = page.locator('section[aria-labelledby="proposals-heading"] li');
		await expectText(proposal.locator('.item__meta'), /for a decision · Proposed by Bogdi/);
		await page.getByRole('button', { name: 'Accept Un skatepark lângă școală' }).click();
		await expectText(page.locator('[aria-live] p.status'), 'The proposal is on the agenda.');
		await eventually(async () => assert.deepEqual(await agendaOf(page), ['Bugetul participativ', 'Parcul din cartier', 'Un skatepark lângă școală']));

		// It moves to the top with the keyboard alone: focus on "Move up", Enter, Enter.
		await page.getByRole('button', { name: 'Move up Un skatepark lângă școală' }).focus();
		await page.keyboard.press('Enter');
		await eventually(async () => assert.deepEqual(await agendaOf(page), ['Bugetul participativ', 'Un skatepark lângă școală', 'Parcul din cartier']));
		await eventually(async () => assert.match(await focused(page), /Move up Un skatepark/));
		await page.keyboard.press('Enter');
		await eventually(async () => assert.deepEqual(await agendaOf(page), ['Un skatepark lângă școală', 'Bugetul participativ', 'Parcul din cartier']));
		// At the top "Move up" is off, so the focus stays on the item, on "Move down".
		await eventually(async () => assert.match(await focused(page), /Move down Un skatepark/));

		// A text file named as a PDF is refused; a real PDF is attached.
		const attachFirst = async (name, mimeType, buffer) => {
			await page.getByLabel('Document for: Un skatepark lângă școală').setInputFiles({ name, mimeType, buffer });
			await page.getByRole('button', { name: 'Attach Un skatepark lângă școală' }).click();
		};
		await attachFirst('planul.pdf', 'application/pdf', Buffer.from('Acesta nu este un PDF.'));
		await expectText(page.locator('[aria-live] p.status--error'), /content is not what its name or type says/);
		await attachFirst('joc.exe', 'application/octet-stream', Buffer.from('MZ\x90\x00\x03\x00'));
		await expectText(page.locator('[aria-live] p.status--error'), /Only PDF documents, PNG or JPEG pictures and plain text/);
		await attachFirst('planul.pdf', 'application/pdf', PDF);
		await expectText(page.locator('[aria-live] p.status'), 'The document was attached.');
		await expectText(page.locator('ol.agenda > li').first().locator('.files a'), 'planul.pdf');
		await expectNoAxeViolations(page, 'meeting page with a document, laptop, en');
		await page.setViewportSize(PHONE);
		assert.equal(await overflowsHorizontally(page), false, 'the meeting page fits a phone');
		assert.deepEqual(await smallTouchTargets(page), []);
		await expectNoAxeViolations(page, 'meeting page, phone, en');
		for (const lang of ['ro', 'hu']) {
			await page.goto(`${meetingURL}?lang=${lang}`);
			await expectText(page.locator('h1'), 'Ședința din decembrie');
			await expectNoAxeViolations(page, `meeting page, phone, ${lang}`);
		}

		// On the phone: the agenda in its new order, the proposal now on it, the document.
		await phone.reload();
		await eventually(async () => assert.deepEqual(await agendaOf(phone), ['Un skatepark lângă școală', 'Bugetul participativ', 'Parcul din cartier']));
		const doc = phone.locator('ol.agenda > li').first().locator('.files a');
		await expectText(doc, 'planul.pdf');
		const download = await phone.evaluate(async (href) => {
			const r = await fetch(href);
			return { status: r.status, type: r.headers.get('Content-Type'), text: await r.text() };
		}, await doc.getAttribute('href'));
		assert.equal(download.status, 200);
		assert.equal(download.type, 'application/pdf');
		assert.ok(download.text.startsWith('%PDF-1.4'));
		assert.deepEqual(await smallTouchTargets(phone), []);
		assert.equal(await overflowsHorizontally(phone), false);
		await expectNoAxeViolations(phone, 'member phone with the agenda, ro');
		for (const lang of ['en', 'hu']) {
			await phone.goto(url(`/council?lang=${lang}`));
			await expectText(phone.locator('article h3'), 'Ședința din decembrie');
			await expectNoAxeViolations(phone, `member phone with the agenda, ${lang}`);
		}
		await phone.setViewportSize(LAPTOP);
		await expectNoAxeViolations(phone, 'member page with the agenda, laptop');

		// Once cancelled, nothing more can be proposed into it, and the phone says so.
		await page.setViewportSize(LAPTOP);
		await page.goto(`${meetingURL}?lang=en`);
		await page.getByRole('button', { name: 'Cancel the meeting' }).click();
		await page.getByRole('button', { name: 'Yes, cancel the meeting' }).click();
		await expectText(page.locator('[aria-live] p.status'), 'The meeting was cancelled.');
		const late = await phone.evaluate(async (path) => {
			const me = await (await fetch('/api/v1/youth-council/me')).json();
			const r = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrfToken }, body: JSON.stringify({ title: 'Prea târziu' }) });
			return { status: r.status, code: (await r.json()).code };
		}, `/api/v1/youth-council/me/meetings/${meetingURL.split('/').pop()}/agenda`);
		assert.deepEqual(late, { status: 409, code: 'meeting_not_scheduled' });
		await phone.goto(url('/council?lang=en'));
		await expectText(phone.locator('#meetings-heading + p'), 'No meeting is scheduled yet.');
	});
});
