// The national dashboard against the real server: a committee member moves Colonești to
// "action plan adopted" from its page and sees the map change, filters by county, sees a
// hidden cell with its one label in a table a screen reader reads as one; a coordinator
// reaches only their own municipality. axe-core on a laptop and on a phone.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { readFile } from 'node:fs/promises';
import { api } from './adult.mjs';
import { demo, signIn } from './adults.mjs';
import { eventually, expectPage, expectText, overflowsHorizontally } from './expect.mjs';
import { pdfText, zipTexts } from './files.mjs';
import { expectNoAxeViolations, useVoci } from './server.mjs';

const { scenario } = useVoci();

const COLONESTI = 21891;
const BACAU_COUNTY = 4;
const LAPTOP = { width: 1366, height: 768 };
const PHONE = { width: 360, height: 640 };
/** The first request for the municipalities' boundaries compresses them once: give it time. */
const MAP_TIMEOUT = 120_000;

/** The stage colours of the map (src/lib/national/scale.ts). */
const STAGE_COLOURS = { situation_analysis: '#4ac16d', action_plan_adopted: '#1fa187' };
const HIDDEN = { ro: 'ascuns pentru a proteja copiii', en: 'hidden to protect children', hu: 'a gyermekek védelmében elrejtve' };
/** The children's figures the page names (in Romanian), by key. */
const INDICATORS = {
	childrenReached: 'Copii care au participat',
	'childrenByAge.under_10': 'Copii, sub 10 ani',
	'childrenByAge.10_12': 'Copii, 10–12 ani',
	'childrenByAge.13_15': 'Copii, 13–15 ani',
	'childrenByAge.16_18': 'Copii, 16–18 ani',
	'childrenByGender.girl': 'Copii: fată',
	'childrenByGender.boy': 'Copii: băiat',
	'childrenByGender.other': 'Copii: altfel',
	'childrenByGender.prefer_not_to_say': 'Copii: Prefer să nu spun'
};

/** Exports the dashboard's table in a format and returns the downloaded file. */
async function exportTable(page, format) {
	const form = page.getByRole('form', { name: 'Descarcă acest tabel' });
	await form.getByRole('radio', { name: format }).check();
	await form.getByRole('button', { name: 'Pregătește fișierul' }).click();
	const link = form.getByRole('link', { name: /^Descarcă voci-municipalities-/ });
	await link.waitFor({ timeout: 60_000 });
	const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
	return { name: download.suggestedFilename(), bytes: await readFile(await download.path()) };
}

/**
 * Asks for a CSV of the dashboard's table while the answers about the job are held (the
 * server's own answers, delayed, never made up): the page shows a labelled progress bar,
 * the job is listed among the account's stored exports, and once the answers flow the file
 * is offered.
 */
async function exportProgressShows(page) {
	let release;
	const held = new Promise((resolve) => (release = resolve));
	const pattern = /\/api\/v1\/exports\/[^/]+$/;
	await page.route(pattern, async (route) => {
		await held;
		await route.continue();
	});
	const form = page.getByRole('form', { name: 'Descarcă acest tabel' });
	await form.getByRole('radio', { name: 'CSV' }).check();
	await form.getByRole('button', { name: 'Pregătește fișierul' }).click();
	const bar = form.getByRole('progressbar', { name: /^Se pregătește/ });
	await bar.waitFor();
	assert.equal(await bar.getAttribute('max'), '100');
	const listed = await api(page, 'GET', '/api/v1/exports');
	assert.equal(listed.status, 200);
	assert.ok(
		listed.data.exports.some((j) => j.table === 'municipalities' && j.format === 'csv'),
		`the export is stored: ${JSON.stringify(listed.data)}`
	);
	await expectNoAxeViolations(page, 'the dashboard with an export under way');
	release();
	await form.getByRole('link', { name: /^Descarcă voci-municipalities-.*\.csv$/ }).waitFor({ timeout: 60_000 });
	await page.unroute(pattern);
}

/** Today in Romania, as a date field holds it. */
function today() {
	return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Bucharest' }).format(new Date());
}

/** This quarter's period id, in Romania's calendar. */
function thisQuarter() {
	const [year, month] = today().split('-').map(Number);
	return `${year}-Q${Math.ceil(month / 3)}`;
}

/**
 * A hidden cell of this quarter's release, as the API sends it: the demo's first start
 * releases the children's figures of the current quarter, where small counts are hidden.
 */
async function aHiddenCell(page) {
	const answer = await api(page, 'GET', `/api/v1/national/municipalities?period=${thisQuarter()}`);
	assert.equal(answer.status, 200, JSON.stringify(answer.data));
	assert.ok(answer.data.release, `this quarter (${thisQuarter()}) has a release`);
	// Each column's most common cell comes once, in common; a row holds the cells that differ.
	for (const m of answer.data.items) {
		for (const [key, cell] of Object.entries({ ...answer.data.common, ...m.indicators })) {
			if (cell.hidden && INDICATORS[key]) return { municipality: m, key };
		}
	}
	assert.fail(`no hidden cell in ${thisQuarter()}: ${JSON.stringify(answer.data.items.map((m) => m.indicators))}`);
}

/** Steps Colonești along the cycle (through the API) until "action plan adopted" is next. */
async function bringColonestiBeforeActionPlan(page) {
	for (let i = 0; i < 8; i++) {
		const history = await api(page, 'GET', `/api/v1/municipalities/${COLONESTI}/stage-history`);
		assert.equal(history.status, 200);
		if (history.data.stage === 'situation_analysis') return;
		const next = history.data.nextStages.find((s) => s !== 'paused');
		const path = history.data.stage ? 'stage' : 'enrolment';
		const moved = await api(page, 'POST', `/api/v1/municipalities/${COLONESTI}/${path}`, { stage: next, date: today(), note: 'Pregătire pentru test' });
		assert.ok([200, 201].includes(moved.status), JSON.stringify(moved.data));
	}
	assert.fail('Colonești never reached the situation analysis');
}

/** The map's region of a municipality or county: its fill and what it says. */
async function region(page, key) {
	const link = page.locator(`svg a[data-region="${key}"]`);
	await link.waitFor({ timeout: MAP_TIMEOUT });
	return { fill: await link.locator('path').getAttribute('fill'), label: await link.getAttribute('aria-label') };
}

/** Interactive elements smaller than 44×44 px, leaving out the map's regions. */
function smallTargetsOutsideTheMap(page) {
	return page.evaluate(() => {
		const small = [];
		for (const el of document.querySelectorAll('a[href], button, input, select, textarea, summary')) {
			if (el.closest('svg')) continue;
			const style = getComputedStyle(el);
			if (style.display === 'none' || style.visibility === 'hidden') continue;
			const box = (el.closest('label') ?? el).getBoundingClientRect();
			if (box.width < 44 || box.height < 44) small.push(`${el.tagName.toLowerCase()} "${el.textContent?.trim()}" ${Math.round(box.width)}×${Math.round(box.height)}`);
		}
		return small;
	});
}

describe('the national dashboard', () => {
	scenario(
		'a committee member moves Colonești to the action plan and sees the map change; filters by county; reads a hidden cell',
		async ({ page, url }) => {
			await signIn(page, url, demo('national'), { lang: 'ro' });
			await bringColonestiBeforeActionPlan(page);
			const hidden = await aHiddenCell(page);

			// The menu leads to the dashboard, which opens on the newest released quarter.
			await page.getByRole('navigation').getByRole('link', { name: 'Panoul național', exact: true }).click();
			await expectPage(page, 'ro', 'Panoul național al inițiativei');
			await expectText(page.locator('.release'), /^Cifrele despre copii pentru trimestrul \d 20\d\d: publicarea \d+, din /);
			await region(page, 'BC');

			// Municipalities, filtered to Bacău county: the table and the map show only its places.
			await page.getByLabel('localități', { exact: true }).check();
			await page.getByLabel('Județul', { exact: true }).selectOption(String(BACAU_COUNTY));
			await eventually(() => assert.equal(new URL(page.url()).searchParams.get('county'), String(BACAU_COUNTY)));
			const table = page.getByRole('table', { name: /^Localitățile și indicatorii lor, trimestrul/ });
			const rows = table.getByRole('row').filter({ has: page.getByRole('rowheader') });
			await eventually(async () => {
				const counties = await rows.locator('td:nth-child(2)').allTextContents();
				assert.ok(counties.length >= 4, `Bacău has four pilots: ${counties}`);
				assert.deepEqual([...new Set(counties.map((c) => c.trim()))], ['Bacău']);
			});
			await expectText(page.getByRole('status').filter({ hasText: /localit/ }), /^\d+ (de )?localități$/);
			let colonesti = await region(page, String(COLONESTI));
			assert.equal(colonesti.fill, STAGE_COLOURS.situation_analysis);
			assert.equal(colonesti.label, 'Colonești: analiza situației');
			assert.equal(await page.locator('svg a[data-region="126228"]').count(), 0, 'Colonești in Olt is not Bacău’s');

			// The table reads as a table: column headers that sort, and a row header per place.
			const reached = table.getByRole('columnheader', { name: 'Copii care au participat' });
			assert.equal(await reached.getAttribute('aria-sort'), 'none');
			assert.equal(await table.getByRole('columnheader', { name: 'Localitatea' }).getAttribute('aria-sort'), 'ascending');
			await reached.getByRole('button').click();
			await eventually(async () => assert.equal(await reached.getAttribute('aria-sort'), 'descending'));
			await eventually(() => assert.equal(new URL(page.url()).searchParams.get('sort'), 'childrenReached'));
			const colonestiRow = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Colonești', exact: true }) });
			const headers = (await table.getByRole('columnheader').allTextContents()).map((h) => h.trim());
			const cellOf = async (row, name) => (await row.getByRole('cell').allTextContents())[headers.findIndex((h) => h.startsWith(name)) - 1]?.trim();
			assert.equal(await cellOf(colonestiRow, 'Ședințe'), '0', 'meetings held are counted from the meetings’ records');

			// A hidden cell, coloured on the map: hatched, with the one label on the map, in the
			// legend, in the map's table and in the municipalities' table.
			const where = hidden.municipality;
			const label = INDICATORS[hidden.key];
			await page.getByLabel('Județul', { exact: true }).selectOption(String(where.county.id));
			await page.getByLabel('Colorată după').selectOption(hidden.key);
			await eventually(async () => assert.equal((await region(page, String(where.siruta))).fill, 'url(#national-hatch)'));
			assert.equal((await region(page, String(where.siruta))).label, `${where.name}: ${HIDDEN.ro}`);
			await expectText(page.locator('figure.legend'), new RegExp(HIDDEN.ro));
			const mapTable = page.getByRole('table', { name: `Cifrele hărții: ${label}` });
			const mapRow = mapTable.getByRole('row').filter({ has: page.getByRole('rowheader', { name: where.name, exact: true }) });
			await eventually(async () => assert.deepEqual((await mapRow.getByRole('cell').allTextContents()).map((c) => c.trim()), [where.county.name, HIDDEN.ro]));
			const hiddenRow = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: where.name, exact: true }) });
			const withColumn = (await table.getByRole('columnheader').allTextContents()).map((h) => h.trim());
			assert.equal((await hiddenRow.getByRole('cell').allTextContents())[withColumn.findIndex((h) => h.startsWith(label)) - 1]?.trim(), HIDDEN.ro);
			await expectNoAxeViolations(page, 'the dashboard at 1366×768, a hidden cell on the map');

			await page.getByLabel('Colorată după').selectOption('stage');
			await page.getByLabel('Județul', { exact: true }).selectOption(String(BACAU_COUNTY));
			await eventually(async () => assert.equal((await region(page, String(COLONESTI))).fill, STAGE_COLOURS.situation_analysis));

			// Colonești's own page: the stage form, and the change.
			await page.getByLabel('Colorată după').selectOption('stage');
			await table.getByRole('link', { name: 'Colonești', exact: true }).click();
			await expectPage(page, 'ro', 'Colonești');
			assert.equal(await page.getByRole('link', { name: /^Pagina publică a localității Colonești/ }).getAttribute('href'), `/m/${COLONESTI}/public`);
			await page.getByRole('table', { name: /^Activitatea, trimestrul/ }).waitFor();
			// This quarter is not over: the page says when its figures were computed.
			await expectText(page.locator('p.release .as-of'), /^Cifre la ora \d{2}:\d{2}\. Perioada nu s-a încheiat/);
			await page.getByLabel('Etapa', { exact: true }).selectOption('action_plan_adopted');
			await page.getByLabel('Data la care a început etapa').fill(today());
			await page.getByLabel('Notă (opțional)').fill('Planul de acțiune adoptat prin HCL 12/2026');
			await page.getByRole('button', { name: 'Înregistrează etapa' }).click();
			await expectText(page.locator('#stage-status'), 'Etapa a fost înregistrată.');
			await expectText(page.locator('.current'), /^Etapa actuală: plan de acțiune adoptat/);
			await expectText(page.locator('table tbody tr').filter({ hasText: 'HCL 12/2026' }).first(), /plan de acțiune adoptat.*Planul de acțiune adoptat prin HCL 12\/2026.*national@demo\.voci\.ro/);
			await expectNoAxeViolations(page, 'Colonești on the dashboard at 1366×768');

			// Back on the dashboard, the map shows the new stage.
			await page.goBack();
			await eventually(() => assert.equal(new URL(page.url()).pathname, '/national'));
			await eventually(async () => {
				colonesti = await region(page, String(COLONESTI));
				assert.equal(colonesti.fill, STAGE_COLOURS.action_plan_adopted);
				assert.equal(colonesti.label, 'Colonești: plan de acțiune adoptat');
			});
			await expectText(
				page.getByRole('table', { name: /^Localitățile și indicatorii lor/ }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Colonești', exact: true }) }).locator('td').nth(1),
				'plan de acțiune adoptat'
			);

			// While an export is built, the page shows its progress, labelled, and follows the
			// stored job: the test holds the server's answers about it until it has looked.
			await exportProgressShows(page);

			// The table, exported as XLSX and as a PDF report: the test opens both files.
			const xlsx = await exportTable(page, 'Excel (XLSX)');
			assert.match(xlsx.name, /^voci-municipalities-.*\.xlsx$/);
			const sheets = zipTexts(xlsx.bytes);
			const strings = sheets['xl/sharedStrings.xml'] ?? Object.values(sheets).join('');
			assert.ok(strings.includes('Colonești'), 'the XLSX lists Colonești');
			assert.ok(strings.includes('plan de acțiune adoptat'), 'the XLSX shows the new stage');
			const pdf = await exportTable(page, 'raport PDF');
			assert.match(pdf.name, /^voci-municipalities-.*\.pdf$/);
			const shown = pdfText(pdf.bytes);
			assert.ok(shown.includes('Colonești'), 'the PDF lists Colonești');
			assert.match(shown, /Pagina 1 din \d+/, 'the PDF numbers its pages');
			await expectNoAxeViolations(page, 'the dashboard with an export ready');
		},
		{ viewport: LAPTOP }
	);

	scenario(
		'fits a phone, in English, with the map, the table and the trend readable',
		async ({ page, url }) => {
			await signIn(page, url, demo('national'), { lang: 'en' });
			await page.goto(url(`/national?level=municipality&county=${BACAU_COUNTY}`));
			await expectPage(page, 'en', "The initiative's national dashboard");
			await region(page, String(COLONESTI));
			await page.getByRole('table', { name: /^Municipalities and their indicators/ }).waitFor();
			await page.getByRole('table', { name: /^Children reached, Bacău, by period/ }).waitFor();
			assert.equal(await overflowsHorizontally(page), false, 'the page does not scroll sideways');
			// The map's regions are a picture of the table's links, which are full-size targets.
			assert.deepEqual(await smallTargetsOutsideTheMap(page), [], 'touch targets of at least 44×44 px');
			await expectNoAxeViolations(page, 'the dashboard at 360×640');
			await page.getByRole('table', { name: /^Municipalities and their indicators/ }).getByRole('link', { name: 'Colonești', exact: true }).click();
			await expectPage(page, 'en', 'Colonești');
			await expectText(page.locator('p.release .as-of'), /^Figures as of \d{2}:\d{2}\. The period is not over/);
			assert.equal(await overflowsHorizontally(page), false, 'the municipality’s page does not scroll sideways');
			await expectNoAxeViolations(page, 'Colonești on the dashboard at 360×640');
		},
		{ viewport: PHONE }
	);

	scenario('a coordinator is told the dashboard is the committee’s, and reaches only their own municipality', async ({ page, url }) => {
		await signIn(page, url, demo('coordinator', 'colonesti'), { lang: 'hu' });
		const answer = await page.request.get(url('/api/v1/national/municipalities'));
		assert.equal(answer.status(), 403);
		assert.equal((await answer.json()).code, 'forbidden');
		assert.equal(await page.getByRole('navigation').getByRole('link', { name: 'Országos áttekintés' }).count(), 0, 'not in the menu');

		await page.goto(url('/national'));
		await expectPage(page, 'hu', 'Ezt az oldalt nem nyithatod meg');
		await expectText(page.locator('main p').first(), /^Az országos áttekintés az országos koordináló bizottságé\./);
		await expectNoAxeViolations(page, 'the dashboard refused to a coordinator');
		await page.getByRole('link', { name: /^Colonești számai$/ }).click();
		await expectPage(page, 'hu', 'Colonești');
		await page.getByRole('table', { name: /^Tevékenység, / }).waitFor();
		assert.equal(await page.locator('#stage-stage').count(), 0, 'a coordinator does not record stages');
		assert.equal(await page.getByRole('link', { name: 'Vissza az országos áttekintéshez' }).count(), 0);
		await expectNoAxeViolations(page, 'a coordinator’s own municipality');

		await page.goto(url('/national/municipalities/20297'));
		await expectPage(page, 'hu', 'Ezt az oldalt nem nyithatod meg');
		// Another municipality's records answer as if they did not exist.
		const other = await page.request.get(url('/api/v1/municipalities/20297/indicators'));
		assert.equal(other.status(), 404);
	});
	scenario('two changes made before the address has followed the first both hold', async ({ page, url }) => {
		await signIn(page, url, demo('national'), { lang: 'ro' });
		await page.goto(url('/national'));
		await expectPage(page, 'ro', 'Panoul național al inițiativei');
		const county = page.getByLabel('Județul', { exact: true });
		await eventually(async () => assert.ok((await county.locator('option').count()) > 1, 'the counties are listed'));
		// Both in one task: the second change comes before the first navigation has finished.
		await page.evaluate((code) => {
			document.querySelector('input[name="national-level"][value="municipality"]').click();
			const select = document.getElementById('national-county');
			select.value = code;
			select.dispatchEvent(new Event('change', { bubbles: true }));
		}, String(BACAU_COUNTY));
		await eventually(() => {
			const params = new URL(page.url()).searchParams;
			assert.equal(params.get('county'), String(BACAU_COUNTY));
			assert.equal(params.get('level'), 'municipality');
		});
		assert.ok(await page.getByLabel('localități', { exact: true }).isChecked());
	});
});
