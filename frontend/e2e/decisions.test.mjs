// A council member records a council decision, links it "adopted in part" to a
// recommendation of the demo park consultation, uploads its text as a PDF,
// publishes it, adds a milestone, verifies its chain and downloads its
// traceability as CSV; axe-core checks the pages in Romanian, Hungarian and
// English, on a phone and on a laptop.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe } from 'node:test';
import { api, signIn } from './adult.mjs';
import { eventually, expectText, overflowsHorizontally, smallTouchTargets } from './expect.mjs';
import { expectNoAxeViolations, useVoci } from './server.mjs';

const { scenario } = useVoci();

const BACAU = 20297;
const COUNCIL = 'council.bacau@demo.voci.ro';
const PARK_REC = 'Mai multă umbră lângă locul de joacă';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

const DETAIL_STATE = {
	ro: 'Publicată. Stadiu: adoptată.',
	hu: 'Közzétéve. Állapot: elfogadott.',
	en: 'Published. Status: adopted.'
};

describe('council decisions', () => {
	scenario('a council member records, links, publishes and follows a decision, and downloads its traceability', async ({ page, url }) => {
		await signIn(page, url, COUNCIL);
		const recs = await api(page, 'GET', `/api/v1/municipalities/${BACAU}/decision-recommendations`);
		assert.equal(recs.status, 200);
		// The demo's recommendations: the park's and the school yard's await a decision, the
		// answered playground's has one.
		const rec = recs.data.recommendations.find((r) => r.title === PARK_REC);
		assert.ok(rec, 'the demo park recommendation');
		assert.equal(rec.awaitingDecision, true);

		// The start page leads to the decisions.
		await page.goto(url('/start'));
		await page.getByRole('link', { name: 'Council decisions of Bacău' }).click();
		await expectText(page.locator('h1'), 'Council decisions');
		await page.getByRole('link', { name: 'Record a decision' }).click();
		await expectText(page.locator('h1'), 'Record a decision');

		await page.getByLabel('Title').fill('Shade and benches for the Mioriței playground <b>now</b>');
		await page.getByLabel('Number (HCL nr.)').fill('112/2026');
		await page.getByLabel('Date', { exact: true }).fill('2026-11-20');
		await page.getByLabel('For', { exact: true }).fill('15');
		await page.getByLabel('Against').fill('2');
		await page.getByLabel('Abstained').fill('1');
		await page.getByLabel('Absent').fill('3');
		await page.getByLabel('Publication in the Monitorul Oficial Local').fill('https://www.primariabacau.ro/mol/hcl-112-2026');
		await page.getByLabel('PDF file (at most 10 MB)').setInputFiles({ name: 'hcl-112-2026.pdf', mimeType: 'application/pdf', buffer: PDF });
		await page.getByRole('button', { name: 'Upload the PDF' }).click();
		await expectText(page.locator('fieldset .status').first(), 'The PDF is uploaded. Save to keep it with the decision.');

		// Link the recommendation with the keyboard-usable controls.
		await page.getByLabel('Recommendation to add').selectOption(rec.id);
		await page.getByRole('button', { name: 'Add the recommendation' }).click();
		await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement?.id), 'new-link-0-response'));
		await page.getByLabel('How it was taken into account').selectOption('adopted_in_part');
		await page.getByLabel('Explanation (optional)').fill('Trees now, benches next spring.');
		await expectNoAxeViolations(page, 'new decision, en');
		await page.getByRole('button', { name: 'Save the draft' }).click();

		await expectText(page.locator('h1'), 'HCL 112/2026: Shade and benches for the Mioriței playground <b>now</b>');
		await expectText(page.locator('p.state'), 'Draft: not published yet.');
		await page.getByRole('button', { name: 'Publish the decision' }).click();
		await expectText(page.locator('p.state'), DETAIL_STATE.en);
		assert.match(page.url(), /\/m\/20297\/decisions\/[a-z0-9]+$/);
		const decisionPath = new URL(page.url()).pathname;
		const id = decisionPath.split('/').pop();

		// Once published, the draft is gone and it cannot be edited through the API either.
		assert.equal(await page.getByRole('button', { name: 'Save the draft' }).count(), 0);
		const refused = await api(page, 'PUT', `/api/v1/municipalities/${BACAU}/decisions/${id}`, { revision: 2, title: 'Edited' });
		assert.equal(refused.status, 409);
		assert.equal(refused.data.code, 'decision_published');

		await page.locator('#milestone-date').fill('2027-01-15');
		await page.getByLabel('What was done').fill('Twelve trees planted by the playground.');
		await page.getByRole('button', { name: 'Add the milestone' }).click();
		await expectText(page.locator('p.status').first(), 'The milestone is added.');
		await expectText(page.locator('.history li').nth(1), 'Milestone January 15, 2027 Twelve trees planted by the playground.');
		await page.getByRole('button', { name: 'Verify' }).click();
		await expectText(page.locator('section[aria-labelledby="verify-heading"] .status'), 'Verified: all 2 entries are intact.');
		await expectNoAxeViolations(page, 'published decision, en');

		const stored = await api(page, 'GET', `/api/v1/municipalities/${BACAU}/decisions/${id}`);
		assert.equal(stored.data.current.links[0].response, 'adopted_in_part');
		assert.equal(stored.data.current.vote.for, 15);
		assert.equal(stored.data.current.title, 'Shade and benches for the Mioriței playground <b>now</b>', 'kept verbatim');
		assert.ok(stored.data.current.pdfFileId, 'the PDF is part of the decision');
		const answered = (await api(page, 'GET', `/api/v1/municipalities/${BACAU}/decision-recommendations`)).data.recommendations.find((r) => r.id === rec.id);
		assert.equal(answered.awaitingDecision, false);

		// Traceability, and its CSV.
		await page.getByRole('link', { name: 'Traceability' }).click();
		await expectText(page.locator('h1'), 'Traceability of the decision');
		await expectText(page.locator('section.panel h3'), rec.title);
		await expectNoAxeViolations(page, 'traceability, en');
		const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download as CSV' }).click()]);
		assert.match(download.suggestedFilename(), /^voci-decision-trace-.+\.csv$/);
		const csv = await readFile(await download.path(), 'utf8');
		assert.match(csv, /^\ufeffstep,decision_id,/);
		assert.ok(csv.includes('adopted_in_part'), csv);
		assert.ok(csv.includes('Twelve trees planted by the playground.'), csv);
		assert.ok(csv.includes('consultation,'), 'the consultation behind the recommendation');

		// Romanian and Hungarian, on a phone and on a laptop.
		for (const viewport of [
			{ width: 360, height: 640 },
			{ width: 1366, height: 768 }
		]) {
			await page.setViewportSize(viewport);
			for (const lang of ['ro', 'hu']) {
				await page.goto(url(`${decisionPath}?lang=${lang}`));
				await expectText(page.locator('p.state'), DETAIL_STATE[lang]);
				assert.equal(await overflowsHorizontally(page), false, `no sideways scrolling, ${lang} ${viewport.width}`);
				assert.deepEqual(await smallTouchTargets(page), [], `touch targets, ${lang} ${viewport.width}`);
				await expectNoAxeViolations(page, `decision, ${lang} ${viewport.width}`);
				await page.goto(url(`${decisionPath}/trace?lang=${lang}`));
				await eventually(async () => assert.equal(await page.locator('section.panel').count(), 1));
				assert.equal(await overflowsHorizontally(page), false, `no sideways scrolling on the trace, ${lang} ${viewport.width}`);
				await expectNoAxeViolations(page, `traceability, ${lang} ${viewport.width}`);
				await page.goto(url(`/m/${BACAU}/decisions?lang=${lang}`));
				// This decision and the one of the demo's answered consultation.
				await eventually(async () => assert.equal(await page.locator('.list__item').count(), 2));
				await expectNoAxeViolations(page, `decisions list, ${lang} ${viewport.width}`);
				// The consultation's chain forward, from its page.
				await page.goto(url(`/m/${BACAU}/consultations/${rec.consultationId}/trace?lang=${lang}`));
				const panel = page.locator('section.panel').filter({ has: page.getByRole('heading', { name: rec.title, exact: true }) });
				await expectText(panel.locator('h3'), rec.title);
				const title = 'Shade and benches for the Mioriței playground <b>now</b>';
				await expectText(panel.locator('a.tap'), lang === 'ro' ? `HCL nr. 112/2026: ${title}` : `112/2026. sz. határozat: ${title}`);
				assert.equal(await overflowsHorizontally(page), false, `no sideways scrolling on the consultation's trace, ${lang} ${viewport.width}`);
				await expectNoAxeViolations(page, `consultation traceability, ${lang} ${viewport.width}`);
			}
		}
	});
});
