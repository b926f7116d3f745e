// A committee member exports a municipality's stages as XLSX and PDF from its settings
// page, and the files hold what the page shows. The test opens both files itself: the XLSX
// is a zip of XML parts, the PDF's page streams are deflated and show UTF-16 strings.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe } from 'node:test';
import { demo, signIn } from './adults.mjs';
import { pdfText, zipTexts } from './files.mjs';
import { expectText } from './expect.mjs';
import { expectNoAxeViolations, PHONE, useVoci } from './server.mjs';

const { scenario } = useVoci();

/** Chooses a format, starts the export and returns the downloaded file. */
async function exportAs(page, format) {
	const form = page.getByRole('form', { name: 'Download the stages table' });
	await form.getByRole('radio', { name: format }).check();
	await form.getByRole('button', { name: 'Prepare the file' }).click();
	const link = form.getByRole('link', { name: /^Download voci-stages-21891-/ });
	await link.waitFor({ timeout: 30_000 });
	await expectText(form.locator('[aria-live="polite"]'), /The file is ready\./);
	const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
	const name = download.suggestedFilename();
	return { name, bytes: await readFile(await download.path()) };
}

describe('exports', () => {
	scenario('a committee member exports Colonești as XLSX and PDF', async ({ page, url }) => {
		await signIn(page, url, demo('national'), { lang: 'en' });
		await page.goto(url('/municipalities/21891/settings'));
		await page.getByRole('form', { name: 'Download the stages table' }).waitFor();
		await expectNoAxeViolations(page, 'the settings page with its export control');

		const xlsx = await exportAs(page, 'Excel (XLSX)');
		assert.match(xlsx.name, /^voci-stages-21891-\d{4}-\d{2}-\d{2}-en\.xlsx$/);
		const parts = zipTexts(xlsx.bytes);
		const xml = Object.values(parts).join('\n');
		assert.ok(parts['xl/workbook.xml']?.includes('name="stages"'), 'no stages sheet');
		for (const s of ['CFCI stages of enrolled municipalities', 'Colonești', 'Bacău', 'memorandum signed', '21891']) {
			assert.ok(xml.includes(s), `the XLSX does not hold ${s}`);
		}
		await expectNoAxeViolations(page, 'the export control with its download link');

		const pdf = await exportAs(page, 'PDF report');
		assert.match(pdf.name, /^voci-stages-21891-\d{4}-\d{2}-\d{2}-en\.pdf$/);
		assert.equal(pdf.bytes.subarray(0, 5).toString(), '%PDF-');
		assert.ok(pdf.bytes.includes('/FontFile2'), 'the font is not embedded');
		const text = pdfText(pdf.bytes);
		for (const s of ['CFCI stages of enrolled municipalities', 'Colonești', 'memorandum signed', 'Period', 'Page 1 of']) {
			assert.ok(text.includes(s), `the PDF does not show ${s}`);
		}
	});

	scenario(
		'a coordinator exports their own municipality on a phone, in Romanian',
		async ({ page, url }) => {
			await signIn(page, url, demo('coordinator', 'bacau'), { lang: 'ro' });
			await page.goto(url('/municipalities/20297/settings'));
			const form = page.getByRole('form', { name: 'Descarcă tabelul etapelor' });
			await form.getByRole('radio', { name: 'CSV' }).check();
			await form.getByRole('button', { name: 'Pregătește fișierul' }).click();
			const link = form.getByRole('link', { name: /^Descarcă voci-stages-20297-.*-ro\.csv$/ });
			await link.waitFor({ timeout: 30_000 });
			const box = await form.getByRole('button', { name: 'Pregătește fișierul' }).boundingBox();
			assert.ok(box && box.height >= 44, 'the button is a full touch target');
			const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
			const csv = await readFile(await download.path(), 'utf8');
			assert.ok(csv.startsWith('\ufeff'), 'no byte order mark');
			assert.match(csv, /20297,Bacău,municipiu,Bacău,BC,memorandum semnat,/);
			await expectNoAxeViolations(page, 'the export control on a phone');
		},
		{ viewport: PHONE }
	);

	scenario('a coordinator has no export of another municipality', async ({ page, url }) => {
		await signIn(page, url, demo('coordinator', 'bacau'), { lang: 'en' });
		const answer = await page.evaluate(async () => {
			const me = await (await fetch('/api/v1/me')).json();
			const res = await fetch('/api/v1/exports', {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrfToken },
				body: JSON.stringify({ table: 'stages', format: 'csv', siruta: 40198 })
			});
			return { status: res.status, body: await res.json() };
		});
		assert.equal(answer.status, 403);
		assert.equal(answer.body.code, 'forbidden');
	});
});
