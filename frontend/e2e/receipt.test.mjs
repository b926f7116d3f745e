// Receipt codes: a child who finishes a self-paced link gets a code with a QR code at the end,
// keeps it on the device, and opens /r with it to see the consultation and when the council
// answers; a code Voci never issued gets a message that tells nothing. In Romanian and
// Hungarian, on a small phone, with no accessibility violations.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { api, signIn } from './adult.mjs';
import { eventually, expectText, overflowsHorizontally, smallTouchTargets } from './expect.mjs';
import { expectNoAxeViolations, useVoci } from './server.mjs';

const { scenario } = useVoci();
const BACAU = 20297;
const SMALL_PHONE = { width: 360, height: 640 };
const DIGITS = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CHECK = DIGITS + '*~$=U';

/** A well-formed code (Crockford's check symbol) made of ten digits. */
function wellFormed(digits) {
	let value = 0n;
	for (const ch of digits) value = value * 32n + BigInt(DIGITS.indexOf(ch));
	return digits + CHECK[Number(value % 37n)];
}

/** A consultation of Bacău with one question, open on a self-paced link since an hour ago. */
async function openLink(page, title) {
	return page.evaluate(
		async ({ siruta, title }) => {
			const me = await (await fetch('/api/v1/me')).json();
			const send = async (method, path, body) => {
				const response = await fetch(`/api/v1/municipalities/${siruta}${path}`, {
					method,
					headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrfToken },
					body: body === undefined ? undefined : JSON.stringify(body)
				});
				if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
				return response.json();
			};
			const iso = (offset) => new Date(Date.now() + offset).toISOString();
			const c = await send('POST', '/consultations', {
				title,
				purpose: 'Ce schimbăm în parc?',
				audienceBody: 'Consiliul Local Bacău',
				answerBy: '2027-06-30T12:00:00Z',
				modes: ['self_paced'],
				selfPacedFrom: iso(-3_600_000),
				selfPacedUntil: iso(72 * 3_600_000)
			});
			await send('POST', `/consultations/${c.id}/questions`, { kind: 'single', prompt: 'Ce vrei în parc?', options: [{ label: 'Bănci' }, { label: 'Copaci' }] });
			await send('POST', `/consultations/${c.id}/status`, { status: 'open' });
			return (await send('GET', `/consultations/${c.id}/self-paced-link`)).key;
		},
		{ siruta: BACAU, title }
	);
}

describe('receipt codes', () => {
	scenario('a child finishes a link, gets a code and a QR code, and opens /r with it (ro, hu)', async ({ page, url, newPage }) => {
		await signIn(page, url);
		const key = await openLink(page, 'Parcul de lângă școală');

		const phone = await newPage({ viewport: SMALL_PHONE, label: 'phone' });
		await phone.goto(url(`/p/${key}`));
		await phone.getByRole('button', { name: 'Începe', exact: true }).click();
		await phone.getByRole('radio', { name: 'Copaci' }).check();
		await phone.getByRole('button', { name: 'Trimite', exact: true }).click();
		await expectText(phone.locator('.ack__text'), 'Am primit răspunsul tău!');
		await phone.getByRole('button', { name: 'Am terminat' }).click();
		await expectText(phone.locator('#end-heading'), 'Mulțumim că ai participat!');

		// The code, large and in groups, its QR code and what it is for.
		const shown = phone.getByTestId('receipt-code').locator('[aria-hidden="true"]');
		await eventually(async () => assert.match((await shown.textContent()) ?? '', /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z*~$=U]{3}$/));
		const grouped = ((await shown.textContent()) ?? '').trim();
		await expectText(phone.locator('#receipt-heading'), 'Codul tău de chitanță');
		await phone.getByRole('img', { name: 'Cod QR care deschide pagina acestui cod' }).waitFor();
		await phone.getByRole('button', { name: 'Copiază codul' }).waitFor();
		await expectNoAxeViolations(phone, 'the end screen with a receipt code (ro)');
		assert.deepEqual(await smallTouchTargets(phone), [], 'touch targets of the end screen');
		assert.equal(await overflowsHorizontally(phone), false, 'the end screen fits a small phone');

		// Kept on the device: a reload shows the same code.
		const kept = await phone.evaluate(() => localStorage.getItem('voci.receipts'));
		assert.ok(kept?.includes(grouped), `the device keeps the code: ${kept}`);
		await phone.reload();
		await eventually(async () => assert.equal(((await shown.textContent()) ?? '').trim(), grouped));

		// The QR code's page: the consultation, who answers and by when.
		const code = grouped.replaceAll('-', '');
		const href = await phone.getByRole('link', { name: 'Deschide pagina codului' }).getAttribute('href');
		assert.equal(new URL(href ?? '', url('/')).searchParams.get('c'), code);
		await phone.goto(url(`/r?c=${encodeURIComponent(code)}`));
		await expectText(phone.locator('#consultation-heading'), 'Parcul de lângă școală');
		await expectText(phone.locator('.where'), 'Bacău');
		// The consultation's public outcome replaces the short "not answered yet" once it loads:
		// check the words it ends with, not the ones it may briefly start with.
		await expectText(phone.getByTestId('receipt-outcome'), /Încă nu avem un răspuns\. Consiliul Local Bacău răspunde până pe 30 iunie 2027\./);
		await expectNoAxeViolations(phone, '/r with a code (ro)');
		assert.deepEqual(await smallTouchTargets(phone), [], 'touch targets of /r');
		assert.equal(await overflowsHorizontally(phone), false, '/r fits a small phone');

		// A code Voci never issued, typed by hand: a message that tells nothing.
		const input = phone.getByLabel('Codul de chitanță', { exact: true });
		await input.fill(wellFormed('ZZZZ00000Z'));
		await phone.getByRole('button', { name: 'Deschide', exact: true }).click();
		await expectText(phone.locator('#receipt-error'), 'Nu am putut deschide acest cod. Verifică-l sau întreabă adultul care ți l-a dat.');
		assert.equal(await phone.locator('#consultation-heading').count(), 0, 'nothing of the earlier consultation stays');
		await expectNoAxeViolations(phone, '/r with a wrong code (ro)');
		// A mistyped character is caught by the check symbol.
		const typo = code.slice(0, 3) + (code[3] === 'A' ? 'B' : 'A') + code.slice(4);
		await input.fill(typo);
		await phone.getByRole('button', { name: 'Deschide', exact: true }).click();
		await expectText(phone.locator('#receipt-error'), 'Codul are o greșeală. Verifică fiecare caracter și încearcă din nou.');
		// Typed as a child may: lower case, with spaces.
		await input.fill(grouped.toLowerCase().replaceAll('-', ' '));
		await phone.getByRole('button', { name: 'Deschide', exact: true }).click();
		await expectText(phone.locator('#consultation-heading'), 'Parcul de lângă școală');

		// In Hungarian, on another phone.
		const hu = await newPage({ viewport: SMALL_PHONE, locale: 'hu-HU', label: 'hu phone' });
		await hu.goto(url(`/r?c=${encodeURIComponent(code)}`));
		await expectText(hu.locator('h1'), 'Mi lett azzal, amit mondtunk?');
		await expectText(hu.locator('#consultation-heading'), 'Parcul de lângă școală');
		await expectText(hu.getByTestId('receipt-outcome'), /Még nincs válasz\. Consiliul Local Bacău eddig válaszol: 2027\. június 30\./);
		await expectNoAxeViolations(hu, '/r with a code (hu)');
		await hu.getByLabel('Nyugtakód', { exact: true }).fill(wellFormed('ZZZZ11111Z'));
		await hu.getByRole('button', { name: 'Megnyitás', exact: true }).click();
		await expectText(hu.locator('#receipt-error'), 'Ezt a kódot nem tudtuk megnyitni. Nézd át, vagy kérdezd meg a felnőttet, aki adta.');
		await expectNoAxeViolations(hu, '/r with a wrong code (hu)');
	});

	scenario('a live session: the end screen gives each phone its code; a shared tablet gives each child theirs and keeps none', async ({ page, url, newPage }) => {
		await signIn(page, url);
		const base = `/api/v1/municipalities/${BACAU}/consultations`;
		const created = await api(page, 'POST', base, {
			title: 'The new park',
			purpose: 'The town is building a park. Tell us what should be in it.',
			audienceBody: 'Bacău local council',
			answerBy: '2027-06-30T00:00:00Z',
			modes: ['live']
		});
		assert.equal(created.status, 201, JSON.stringify(created.data));
		const id = created.data.id;
		assert.equal((await api(page, 'POST', `${base}/${id}/questions`, { kind: 'single', prompt: 'Swings or trees?', options: [{ label: 'Swings' }, { label: 'Trees' }] })).status, 201);
		assert.equal((await api(page, 'POST', `${base}/${id}/status`, { status: 'open' })).status, 200);
		const live = await api(page, 'POST', `${base}/${id}/live-sessions`);
		assert.equal(live.status, 201);

		const phone = await newPage({ viewport: SMALL_PHONE, label: 'phone' });
		await phone.goto(url(`/join?lang=en&code=${live.data.joinCode}`));
		await phone.getByRole('button', { name: 'Join', exact: true }).click();
		await eventually(() => assert.equal(new URL(phone.url()).pathname, '/session'));
		await phone.locator('#lobby-heading').waitFor();

		// A shared tablet: the child sees their code before passing the tablet on.
		const tablet = await newPage({ viewport: { width: 800, height: 1100 }, label: 'tablet' });
		await tablet.goto(url(`/join?lang=en&code=${live.data.joinCode}`));
		await tablet.getByLabel('We share this device, taking turns').check();
		await tablet.getByRole('button', { name: 'Join', exact: true }).click();
		await eventually(() => assert.equal(new URL(tablet.url()).pathname, '/session'));
		await tablet.getByRole('button', { name: 'Show my receipt code' }).click();
		const onTablet = tablet.getByTestId('receipt-code').locator('[aria-hidden="true"]');
		await eventually(async () => assert.match((await onTablet.textContent()) ?? '', /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z*~$=U]{3}$/));
		const tabletCode = ((await onTablet.textContent()) ?? '').trim();
		await expectText(tablet.locator('.receipt__keep'), 'Write it down: the tablet does not keep it for you. It does not show your answers to anyone.');
		await expectNoAxeViolations(tablet, 'a receipt code on a shared tablet');
		assert.equal(await tablet.evaluate(() => localStorage.getItem('voci.receipts')), null, 'the tablet keeps no code');
		await tablet.getByRole('button', { name: 'Pass the tablet to the next person' }).click();
		await expectText(tablet.locator('h1'), 'Pass the tablet to the next person');
		assert.equal(await tablet.getByText(tabletCode).count(), 0, "the first child's code is gone");

		// The session ends: the phone's end screen shows the child's own code, kept on the phone.
		assert.equal((await api(page, 'POST', `/api/v1/municipalities/${BACAU}/live-sessions/${live.data.id}/end`)).status, 200);
		await phone.locator('#end-heading').waitFor();
		const shown = phone.getByTestId('receipt-code').locator('[aria-hidden="true"]');
		await eventually(async () => assert.match((await shown.textContent()) ?? '', /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z*~$=U]{3}$/));
		const phoneCode = ((await shown.textContent()) ?? '').trim();
		assert.notEqual(phoneCode, tabletCode, 'each child has a code of their own');
		await phone.getByRole('img', { name: 'QR code that opens the page of this code' }).waitFor();
		await expectNoAxeViolations(phone, 'the end of a live session with a receipt code (en)');
		assert.equal(await overflowsHorizontally(phone), false, 'the end screen fits a small phone');
		const kept = await phone.evaluate(() => localStorage.getItem('voci.receipts'));
		assert.ok(kept?.includes(phoneCode), `the phone keeps the code: ${kept}`);

		// /r lists the codes kept on the device.
		await phone.goto(url('/r?lang=en'));
		await phone.getByRole('link', { name: new RegExp(`${phoneCode}.*The new park`) }).click();
		await expectText(phone.locator('#consultation-heading'), 'The new park');
	});
});

