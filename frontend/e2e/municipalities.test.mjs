// Searching Romania's administrative units against the real seeded data.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { eventually, expectCount, expectPage, expectText, focused, HEADINGS } from './expect.mjs';
import { expectNoAxeViolations, PHONE, useVoci } from './server.mjs';

const { scenario } = useVoci();

/** The results list and its items, by what a screen reader user hears. */
function results(page) {
	const list = page.getByRole('list', { name: 'Rezultate' });
	return {
		list,
		items: list.getByRole('listitem'),
		named: (name) => list.getByRole('listitem').filter({ has: page.getByRole('heading', { name, exact: true }) }),
		status: page.getByRole('status')
	};
}

async function search(page, { q = '', county = null, enrolled = false } = {}) {
	await page.getByLabel('Nume', { exact: true }).fill(q);
	if (county !== null) await page.getByLabel('Județ').selectOption({ label: county });
	await page.getByLabel('Doar localitățile din inițiativa Orașe prietene ale copiilor').setChecked(enrolled);
	await page.getByRole('button', { name: 'Caută', exact: true }).click();
}

describe('municipality search', () => {
	scenario('lists all 3,181 units, twenty to a page', async ({ page, url }) => {
		await page.goto(url('/municipalities'));
		await expectPage(page, 'ro', HEADINGS['/municipalities'].ro);
		const { items, status } = results(page);
		await expectText(status, '3.181 de rezultate');
		await expectCount(items, 20);
		await expectText(page.getByRole('navigation', { name: 'Pagini de rezultate' }).getByRole('paragraph'), 'Pagina 1 din 160');
		await expectNoAxeViolations(page, 'the first page of all units');
	});

	scenario('finds Brașov typed without diacritics, and the search is linkable', async ({ page, url }) => {
		await page.goto(url('/municipalities'));
		await search(page, { q: 'brasov' });
		await eventually(() => assert.equal(new URL(page.url()).searchParams.get('q'), 'brasov'));
		const { named, status } = results(page);
		const brasov = named('Brașov');
		await expectCount(brasov, 1);
		await expectText(brasov.getByRole('paragraph').first(), 'județul Brașov municipiu urban');
		await expectText(status, /^\d+ (rezultat|rezultate|de rezultate)$/);
		await expectNoAxeViolations(page, 'results for brasov');

		await page.reload();
		assert.equal(await page.getByLabel('Nume', { exact: true }).inputValue(), 'brasov');
		await expectCount(results(page).named('Brașov'), 1);
	});

	scenario('finds the two Colonești, in Bacău and in Olt', async ({ page, url }) => {
		await page.goto(url('/municipalities'));
		await search(page, { q: 'colonesti' });
		const { items, named, status } = results(page);
		await expectText(status, '2 rezultate');
		await expectCount(items, 2);
		const colonesti = named('Colonești');
		await expectCount(colonesti, 2);
		const counties = (await colonesti.allTextContents()).map((text) => text.match(/județul (\S+)/)?.[1]).sort();
		assert.deepEqual(counties, ['Bacău', 'Olt']);
	});

	scenario('the enrolled filter shows the five pilot units', async ({ page, url }) => {
		await page.goto(url('/municipalities'));
		await search(page, { enrolled: true });
		await eventually(() => assert.equal(new URL(page.url()).searchParams.get('enrolled'), 'true'));
		const { items, status } = results(page);
		await expectText(status, '5 rezultate');
		await expectCount(items, 5);
		const names = await items.getByRole('heading').allTextContents();
		assert.deepEqual(names.map((n) => n.trim()).sort(), ['Bacău', 'Brașov', 'Colonești', 'Corbasca', 'Moinești']);
		for (const text of await items.allTextContents()) assert.match(text, /Participă la program/);
		await expectText(results(page).named('Colonești').getByRole('paragraph').first(), /^județul Bacău/);
		await expectNoAxeViolations(page, 'enrolled units');
	});

	scenario('combines the county and enrolled filters', async ({ page, url }) => {
		await page.goto(url('/municipalities'));
		await search(page, { county: 'Bacău', enrolled: true });
		await eventually(() => assert.equal(new URL(page.url()).searchParams.get('county'), '4'));
		const { items } = results(page);
		await expectCount(items, 4);
		const names = await items.getByRole('heading').allTextContents();
		assert.deepEqual(names.map((n) => n.trim()).sort(), ['Bacău', 'Colonești', 'Corbasca', 'Moinești']);
	});

	scenario(
		'pages forward and back, moving focus to the results',
		async ({ page, url }) => {
			await page.goto(url('/municipalities'));
			const { status } = results(page);
			await expectText(status, '3.181 de rezultate');
			await page.getByRole('link', { name: 'Pagina următoare' }).click();
			await eventually(() => assert.equal(new URL(page.url()).searchParams.get('page'), '2'));
			await expectText(page.getByRole('navigation', { name: 'Pagini de rezultate' }).getByRole('paragraph'), 'Pagina 2 din 160');
			await eventually(async () => assert.equal(await focused(page), 'h2#results-heading "Rezultate"'));
			await page.getByRole('link', { name: 'Pagina anterioară' }).click();
			await expectText(page.getByRole('navigation', { name: 'Pagini de rezultate' }).getByRole('paragraph'), 'Pagina 1 din 160');
			await page.goBack();
			await expectText(page.getByRole('navigation', { name: 'Pagini de rezultate' }).getByRole('paragraph'), 'Pagina 2 din 160');
		},
		{ viewport: PHONE }
	);

	scenario('opens a linked search with its filters filled in', async ({ page, url }) => {
		await page.goto(url('/municipalities?q=colonesti&county=28&lang=en'));
		await expectPage(page, 'en', HEADINGS['/municipalities'].en);
		await expectCount(page.getByRole('list', { name: 'Results' }).getByRole('listitem'), 1);
		await expectText(page.getByRole('status'), '1 result');
		assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'colonesti');
		await eventually(async () => assert.equal(await page.getByLabel('County').inputValue(), '28'));
		await expectText(page.getByRole('listitem').getByRole('paragraph').first(), 'Olt County commune rural');
	});

	scenario('leads back from a page past the end', async ({ page, url }) => {
		await page.goto(url('/municipalities?page=500'));
		const previous = page.getByRole('link', { name: 'Pagina anterioară' });
		await eventually(async () => assert.equal(await previous.getAttribute('href'), '/municipalities?page=160'));
		await previous.click();
		await expectCount(results(page).items, 1);
		await expectText(page.getByRole('navigation', { name: 'Pagini de rezultate' }).getByRole('paragraph'), 'Pagina 160 din 160');
	});

	scenario('says so when nothing matches', async ({ page, url }) => {
		await page.goto(url('/municipalities?q=zzzzzz&lang=hu'));
		await expectText(page.getByRole('status'), 'Egy település sem felel meg a keresésnek.');
		await expectCount(page.getByRole('listitem').filter({ hasText: 'zzzzzz' }), 0);
	});

	scenario('explains a network failure', async ({ page, url }) => {
		await page.route('**/api/v1/municipalities*', (route) => route.abort('internetdisconnected'));
		await page.goto(url('/municipalities'));
		await expectText(
			page.getByRole('status'),
			'Nu ne putem conecta la server. Verifică internetul și încearcă din nou.'
		);
		await expectNoAxeViolations(page, 'the network error');
	});

	scenario('explains a problem answer by its code', async ({ page, url }) => {
		await page.route('**/api/v1/municipalities*', (route) =>
			route.fulfill({
				status: 429,
				contentType: 'application/problem+json',
				body: JSON.stringify({ type: 'about:blank', title: 'Too Many Requests', status: 429, detail: 'Slow down.', code: 'rate_limited' })
			})
		);
		await page.goto(url('/municipalities?lang=en'));
		await expectText(page.getByRole('status'), 'Too many tries, wait a minute.');
	});

	scenario('the server rejects a malformed page number, and the page recovers', async ({ page, url }) => {
		// The client never sends page=0 (it reads it as page 1); asking the API
		// directly shows the problem format the page relies on.
		const answer = await page.request.get(url('/api/v1/municipalities?page=0'));
		assert.equal(answer.status(), 400);
		assert.match(answer.headers()['content-type'] ?? '', /application\/problem\+json/);
		assert.equal((await answer.json()).code, 'invalid_parameter');
		await page.goto(url('/municipalities?page=0'));
		await expectText(page.getByRole('status'), '3.181 de rezultate');
	});
});
