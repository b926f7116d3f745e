// Paper forms: the printable form of a consultation (every question, boxes to tick, lines to
// write on, no name field), and the facilitator's screen that types filled forms in with the
// keyboard alone; the forms then count in results, marked as paper, with a ranking's average
// place and Borda points. In ro, en and hu, on a phone and a laptop, with axe-core.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { api, signIn } from './adult.mjs';
import { eventually, expectCount, expectText, overflowsHorizontally } from './expect.mjs';
import { expectNoAxeViolations, useVoci } from './server.mjs';

const { scenario } = useVoci();

const BACAU = 20297;
const PHONE = { width: 360, height: 640 };
const LAPTOP = { width: 1366, height: 768 };
const SIZES = [PHONE, LAPTOP];

const PRINT = { ro: 'Tipărește formularul', en: 'Print the paper form', hu: 'A kérdőív nyomtatása' };
const ENTER = { ro: 'Introdu formularele de pe hârtie', en: 'Type in paper forms', hu: 'Papíralapú kérdőívek bevitele' };
const NO_NAME = {
	ro: 'Nu scrie numele tău nicăieri pe acest formular.',
	en: 'Do not write your name anywhere on this form.',
	hu: 'Sehová ne írd rá a neved erre a lapra.'
};
const ABOUT_YOU = { ro: 'Despre tine (poți să sari peste)', en: 'About you (you can skip this)', hu: 'Rólad (ezt kihagyhatod)' };
const COUNT = {
	ro: (n) => (n === 1 ? '1 formular introdus acum' : `${n} formulare introduse acum`),
	en: (n) => (n === 1 ? '1 form typed in this sitting' : `${n} forms typed in this sitting`),
	hu: (n) => `Most ${n} kérdőív bevitve`
};
const ON_PAPER = { ro: 'Pe hârtie, introdus de facilitator', en: 'On paper, typed in by a facilitator', hu: 'Papíron, a foglalkozásvezető viszi be' };
const RANKING_CAPTION = {
	ro: 'Întrebarea 4, ordonare: locul mediu, punctele și primele locuri',
	en: 'Question 4, ranking: average place, points and first places',
	hu: '4. kérdés, rangsor: átlagos helyezés, pontok és első helyek'
};

/** A paper consultation with one question of each kind that paper takes. */
async function paperConsultation(page) {
	const base = `/api/v1/municipalities/${BACAU}/consultations`;
	const created = await api(page, 'POST', base, {
		title: 'The park by the river',
		purpose: 'The town will rebuild the park by the river and wants to know what children need there.',
		easyRead: 'The park by the river will be made new. Tell us what you would like in it.',
		audienceBody: 'Bacău local council',
		answerBy: '2027-06-30T00:00:00Z',
		modes: ['paper'],
		// Written in English and offered in all three: each run prints in its own language.
		languages: ['en', 'ro', 'hu']
	});
	assert.equal(created.status, 201, JSON.stringify(created.data));
	const id = created.data.id;
	const questions = [
		{ kind: 'single', prompt: 'Which do you need most?', options: [{ label: 'Swings' }, { label: 'Benches' }, { label: 'Trees' }] },
		{ kind: 'multiple', prompt: 'What do you do in a park?', options: [{ label: 'Play' }, { label: 'Read' }, { label: 'Meet friends' }] },
		{ kind: 'scale', prompt: 'How much do you like the park now?', options: [], emojiFaces: true, scalePoints: 5 },
		{ kind: 'ranking', prompt: 'Put these in your order', options: [{ label: 'Shade' }, { label: 'Water' }, { label: 'Flowers' }] },
		{ kind: 'short_text', prompt: 'What else should it have?', options: [] }
	];
	const made = [];
	for (const q of questions) {
		const r = await api(page, 'POST', `${base}/${id}/questions`, { easyRead: '', maxChoices: 0, emojiFaces: false, ...q });
		assert.equal(r.status, 201, JSON.stringify(r.data));
		made.push(r.data);
	}
	assert.equal((await api(page, 'POST', `${base}/${id}/status`, { status: 'open' })).status, 200);
	return { id, questions: made };
}

/** Types one form with the keyboard: the values of the fields in order, Enter after each. */
async function typeForm(page, values) {
	for (const value of values) {
		if (value !== '') await page.keyboard.type(value);
		await page.keyboard.press('Enter');
	}
}

const activeId = (page) => page.evaluate(() => document.activeElement?.id ?? '');

describe('paper forms', () => {
	scenario('the printable form shows every question and no name field, in three languages and two sizes', async ({ page, url }) => {
		await signIn(page, url);
		const { id } = await paperConsultation(page);
		for (const size of SIZES) {
			await page.setViewportSize(size);
			for (const lang of ['ro', 'en', 'hu']) {
				const label = `${lang} ${size.width}×${size.height}`;
				await page.goto(url(`/m/${BACAU}/consultations/${id}?lang=${lang}`));
				const print = page.getByRole('link', { name: PRINT[lang], exact: true });
				await print.waitFor();
				assert.equal(await page.getByRole('link', { name: ENTER[lang], exact: true }).count(), 1, `entry link, ${label}`);
				await print.focus();
				await page.keyboard.press('Enter');
				await eventually(() => assert.ok(page.url().endsWith(`/consultations/${id}/paper`)));
				const sheet = page.locator('article.sheet');
				await expectText(sheet.locator('.sheet__noname'), NO_NAME[lang]);
				assert.equal(await sheet.getAttribute('lang'), lang, `the sheet's language, ${label}`);
				await eventually(async () => assert.equal(await sheet.locator('[data-testid="paper-question"]').count(), 5));
				const text = (await sheet.textContent()) ?? '';
				for (const prompt of ['Which do you need most?', 'What do you do in a park?', 'How much do you like the park now?', 'Put these in your order', 'What else should it have?']) {
					assert.ok(text.includes(prompt), `${prompt} on the form, ${label}`);
				}
				assert.ok(text.includes('Bacău local council'), `who reads the answers, ${label}`);
				assert.ok(text.includes(ABOUT_YOU[lang]), `the optional profile, ${label}`);
				// Nothing to fill in on screen, and nowhere to write a name: boxes and lines only.
				assert.equal(await sheet.locator('input, textarea, select').count(), 0);
				assert.doesNotMatch(text, /\b(name|nume|numele|név)\s*:/i, `no name field, ${label}`);
				assert.equal(await sheet.locator('.box').count(), 3 + 3 + 5 + 3 + 4 + 4, `a box per option and profile choice, ${label}`);
				assert.ok((await sheet.locator('.line').count()) >= 5, `lines to write on, ${label}`);
				assert.equal(await overflowsHorizontally(page), false, `no sideways scrolling, ${label}`);
				await expectNoAxeViolations(page, `paper form, ${label}`);
			}
		}
		// The print preview: the site's header and the page's controls are gone, the sheet is
		// there, and Chromium makes an A4 PDF of it.
		await page.emulateMedia({ media: 'print' });
		assert.equal(await page.locator('header.header').isVisible(), false, 'no site header in print');
		assert.equal(await page.locator('.controls').isVisible(), false, 'no controls in print');
		assert.equal(await page.locator('article.sheet').isVisible(), true, 'the sheet in print');
		const pdf = await page.pdf({ format: 'A4', printBackground: false, preferCSSPageSize: true });
		assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
		const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
		assert.ok(pages >= 1 && pages <= 4, `${pages} A4 pages`);
		await page.emulateMedia({ media: 'screen' });
	});

	scenario('three forms typed in with the keyboard alone count in results, marked as paper', async ({ page, url }) => {
		await signIn(page, url);
		const { id } = await paperConsultation(page);
		const entry = `/m/${BACAU}/consultations/${id}/paper/entry`;

		await page.setViewportSize(LAPTOP);
		await page.goto(url(entry));
		const count = page.getByTestId('paper-count');
		await expectText(count, COUNT.en(0));
		await expectNoAxeViolations(page, 'paper entry, en 1366×768');
		// The one focus given; from here on, the keyboard only.
		await page.locator('#pf-q0').focus();
		// single, multiple, scale, ranking (the numbers written in the boxes, top to bottom), text, age band, gender.
		await typeForm(page, ['1', '13', '5', '231', 'more shade', '3', '2']);
		await expectText(count, COUNT.en(1));
		assert.equal(await activeId(page), 'pf-q0', 'back on the first question');
		await typeForm(page, ['1', '2', '4', '123', '', '2', '']);
		await expectText(count, COUNT.en(2));
		// A mistake is shown and not saved: a ranking with a number twice.
		await typeForm(page, ['3', '', '3', '113']);
		await eventually(async () => assert.equal(await page.locator('#pf-q3').getAttribute('aria-invalid'), 'true'));
		await typeForm(page, ['', '', '']); // on to the end: Enter on the last field tries to save
		await eventually(async () => assert.equal(await activeId(page), 'pf-q3', 'focus on the field to fix'));
		await expectText(count, COUNT.en(2));
		await page.keyboard.press('Control+A');
		await page.keyboard.type('123');
		await page.keyboard.press('Enter');
		await typeForm(page, ['', '', '']);
		await expectText(count, COUNT.en(3));
		assert.equal(await activeId(page), 'pf-q0');

		// A fourth form, whose text screening holds, is typed by mistake and taken back.
		await typeForm(page, ['2', '', '', '', 'sunați-mă: 0745 111 222', '', '']);
		await expectText(count, COUNT.en(4));
		await expectText(page.getByTestId('paper-status'), /held by screening/);
		await expectText(page.getByTestId('paper-forms').locator('li').first(), /^\s*Form 4\s.*waits in the moderation queue/s);
		page.once('dialog', (dialog) => void dialog.accept());
		await page.getByRole('button', { name: 'Remove form 4', exact: true }).click();
		await expectText(page.getByTestId('paper-status'), 'Form 4 was removed.');
		await expectText(count, COUNT.en(3));
		const queue = await api(page, 'GET', `/api/v1/municipalities/${BACAU}/consultations/${id}/moderation`);
		assert.equal(queue.data.held.length, 0, 'the removed form took its held text with it');

		// A fifth form is typed, then the second one is corrected: taken back into the fields,
		// changed, saved again under its number.
		await page.locator('#pf-q0').focus();
		await typeForm(page, ['1', '', '', '', '', '', '']);
		await expectText(count, COUNT.en(4));
		await page.getByRole('button', { name: 'Correct form 2', exact: true }).focus();
		await page.keyboard.press('Enter');
		await expectText(count, COUNT.en(3));
		await expectText(page.locator('#entry-form'), /^Correcting form 2/);
		assert.equal(await page.locator('#pf-q3').inputValue(), '123', 'the form is back in the fields');
		assert.equal(await activeId(page), 'pf-q0');
		await page.keyboard.press('Control+A');
		await typeForm(page, ['3', '', '', '', '', '', '']);
		await expectText(count, COUNT.en(4));
		await expectText(page.getByTestId('paper-status'), 'Form 2 is saved.');
		await expectText(page.locator('#entry-form'), 'Form 6');

		// The forms were printed in English (the consultation's own language, the one offered
		// first), so feedback is owed in English as well as Romanian; a form printed in
		// Hungarian makes Hungarian owed too.
		const required = async () =>
			(await api(page, 'GET', `/api/v1/municipalities/${BACAU}/consultations/${id}/feedback`)).data.requiredLanguages.slice().sort().join(',');
		const formLang = page.getByLabel('Language the forms were printed in', { exact: true });
		assert.equal(await formLang.inputValue(), 'en');
		assert.equal(await required(), 'en,ro');
		await formLang.selectOption('hu');
		await page.locator('#pf-q0').focus();
		await typeForm(page, ['3', '', '', '', '', '', '']);
		await expectText(count, COUNT.en(5));
		assert.equal(await required(), 'en,hu,ro');
		assert.equal(await formLang.inputValue(), 'hu', 'the language stays for the next form');

		// Leaving with a form half typed asks first.
		await page.locator('#pf-q0').fill('2');
		let asked = '';
		page.once('dialog', (dialog) => {
			asked = dialog.message();
			void dialog.dismiss();
		});
		await page.getByRole('link', { name: 'Back to the consultation', exact: true }).click();
		await eventually(() => assert.match(asked, /not saved/));
		assert.ok(page.url().endsWith('/paper/entry'), 'still on the entry screen');
		await page.locator('#pf-q0').fill('');

		// The other languages and the phone: the screen reads and passes axe; one more form each.
		// The tab is the same sitting: each load lists its forms again.
		let forms = 5;
		for (const size of SIZES) {
			await page.setViewportSize(size);
			for (const lang of ['ro', 'hu']) {
				await page.goto(url(`${entry}?lang=${lang}`));
				await expectText(count, COUNT[lang](forms));
				await page.locator('#pf-q0').focus();
				await typeForm(page, ['3', '3', '3', '132', '', '', '']);
				forms++;
				await expectText(count, COUNT[lang](forms));
				assert.equal(await overflowsHorizontally(page), false, `no sideways scrolling, ${lang} ${size.width}`);
				await expectNoAxeViolations(page, `paper entry, ${lang} ${size.width}×${size.height}`);
			}
		}

		// Results: every form counted, marked as paper; the ranking with its numbers.
		await page.setViewportSize(LAPTOP);
		for (const lang of ['en', 'ro', 'hu']) {
			await page.goto(url(`/m/${BACAU}/consultations/${id}/results?lang=${lang}`));
			const table = page.locator('table.ranking').first();
			await expectText(table.locator('caption'), RANKING_CAPTION[lang]);
			const body = (await page.locator('main').textContent()) ?? '';
			assert.ok(body.includes(`${ON_PAPER[lang]}: ${forms}`), `answers marked as paper (${lang})`);
			await expectNoAxeViolations(page, `results with a ranking, ${lang}`);
		}
		// Forms 1-3 ranked 231, 123, 123 and the four others 132 (places per option, top to
		// bottom). Shade: places 2,1,1,1,1,1,1 = 8/7 = 1.14; 2 points for first place over 3
		// options: 1+2+2+2+2+2+2 = 13; first 6 times. Flowers: places 1,3,3,2,2,2,2 = 15/7 = 2.14,
		// points 2+0+0+1+1+1+1 = 6, first once.
		const rows = page.locator('table.ranking').first().locator('tbody tr');
		const cells = async (i) => [await rows.nth(i).locator('th').textContent(), ...(await rows.nth(i).locator('td').allTextContents())].map((c) => c?.trim());
		assert.deepEqual(await cells(0), ['Shade', '1,14', '13', '6']);
		assert.deepEqual(await cells(2), ['Flowers', '2,14', '6', '1']);
		const texts = (await page.locator('main').textContent()) ?? '';
		assert.ok(texts.includes('more shade'), 'the approved paper text');
	});
	scenario('any form of the sitting is corrected or removed from the list, and a form that may disclose harm stays', async ({ page, url }) => {
		await signIn(page, url);
		const { id } = await paperConsultation(page);
		await page.setViewportSize(PHONE);
		await page.goto(url(`/m/${BACAU}/consultations/${id}/paper/entry`));
		const count = page.getByTestId('paper-count');
		const status = page.getByTestId('paper-status');
		const items = page.getByTestId('paper-forms').locator('li');
		await expectText(count, COUNT.en(0));
		assert.equal(await page.getByTestId('paper-forms').count(), 0, 'no list before the first form');
		await page.locator('#pf-q0').focus();
		await typeForm(page, ['1', '', '', '', 'more benches', '', '']);
		await expectText(count, COUNT.en(1));
		await typeForm(page, ['2', '', '', '', 'my stepdad hurts me', '', '']);
		await expectText(count, COUNT.en(2));
		await typeForm(page, ['3', '', '', '', '', '', '']);
		await expectText(count, COUNT.en(3));
		// Newest first, each with what was typed, to find it in the pile.
		await expectCount(items, 3);
		await expectText(items.nth(0), /^Form 3 1: Trees · 2: – /);
		await expectText(items.nth(2), /^Form 1 1: Swings · .*5: more benches/);
		assert.equal(await overflowsHorizontally(page), false, 'no sideways scrolling with the list, 360 px');
		await expectNoAxeViolations(page, 'paper entry with the forms of the sitting, en 360×640');

		// The form that may disclose harm stays, and says why.
		// A button of the list is disabled while another form is taken back or saved: wait for
		// it, or the Enter would go elsewhere.
		const press = async (name) => {
			const button = page.getByRole('button', { name, exact: true });
			await eventually(async () => assert.equal(await button.isEnabled(), true, `${name} enabled`));
			await button.focus();
			await page.keyboard.press('Enter');
		};
		page.once('dialog', (dialog) => void dialog.accept());
		await press('Remove form 2');
		await expectText(status, /^A text on form 2 may disclose harm: it stays for the safeguarding lead/);
		assert.equal(await status.evaluate((el) => el.classList.contains('status--error')), true, 'shown as a refusal');
		// Beside the form too, where the keyboard is, not only at the top of the page.
		await expectText(items.nth(1).getByTestId('paper-refusal'), /^A text on form 2 may disclose harm/);
		await expectNoAxeViolations(page, 'paper entry with a form kept for the safeguarding lead');
		await press('Correct form 2');
		await expectText(status, /^A text on form 2 may disclose harm/);
		await expectText(count, COUNT.en(3));
		assert.equal(await page.locator('#pf-q0').inputValue(), '', 'nothing came back into the fields');

		// A removal asked about and declined changes nothing.
		let asked = false;
		page.once('dialog', (dialog) => {
			asked = true;
			void dialog.dismiss();
		});
		await press('Remove form 3');
		await eventually(() => assert.ok(asked, 'the removal was asked about'));
		await expectText(count, COUNT.en(3));

		// A form being typed is not overwritten by a correction.
		await page.locator('#pf-q0').fill('2');
		await press('Correct form 1');
		await expectText(status, 'Save the form being typed, or empty its fields, before correcting another.');
		await expectText(items.nth(2).getByTestId('paper-refusal'), 'Save the form being typed, or empty its fields, before correcting another.');
		await page.locator('#pf-q0').fill('');

		// The first form, two forms back, is corrected with the keyboard alone.
		await press('Correct form 1');
		await expectText(count, COUNT.en(2));
		await expectText(status, 'Form 1 was taken back: correct it, then save it again.');
		assert.equal(await activeId(page), 'pf-q0');
		assert.equal(await page.locator('#pf-q4').inputValue(), 'more benches');
		await page.keyboard.press('Control+A');
		await typeForm(page, ['2', '', '', '', '', '', '']);
		await expectText(count, COUNT.en(3));
		await expectText(items.nth(2), /^Form 1 1: Benches · .*5: more benches/);

		// The last but one removed; focus goes to the list, not lost.
		page.once('dialog', (dialog) => void dialog.accept());
		await press('Remove form 3');
		await expectText(status, 'Form 3 was removed.');
		await expectText(count, COUNT.en(2));
		await eventually(async () => assert.equal(await activeId(page), 'saved-forms'));
		await expectText(items.nth(0), /^Form 2 /);
		await expectText(page.locator('#entry-form'), 'Form 4');

		// Romanian and Hungarian say the same.
		for (const [lang, heading] of [['ro', 'Formulare introduse în această ședință'], ['hu', 'Ebben az ülésben begépelt kérdőívek']]) {
			await page.setViewportSize(LAPTOP);
			await page.goto(url(`/m/${BACAU}/consultations/${id}/paper/entry?lang=${lang}`));
			await page.locator('#pf-q0').focus();
			await typeForm(page, ['1', '', '', '', '', '', '']);
			await expectText(page.locator('#saved-forms'), heading);
			await expectNoAxeViolations(page, `paper entry with its list, ${lang} 1366×768`);
		}
	});

	scenario('the sitting\u2019s list survives a reload, and a form is corrected and another removed after it', async ({ page, url, newPage }) => {
		await signIn(page, url);
		const { id } = await paperConsultation(page);
		const entry = `/m/${BACAU}/consultations/${id}/paper/entry`;
		const count = page.getByTestId('paper-count');
		const status = page.getByTestId('paper-status');
		const items = page.getByTestId('paper-forms').locator('li');
		// A button of the list is disabled while another form is taken back or saved: wait for
		// it, or the Enter would go elsewhere.
		const press = async (name) => {
			const button = page.getByRole('button', { name, exact: true });
			await eventually(async () => assert.equal(await button.isEnabled(), true, `${name} enabled`));
			await button.focus();
			await page.keyboard.press('Enter');
		};

		// In Hungarian on a laptop: three forms, then the page is loaded again.
		await page.setViewportSize(LAPTOP);
		await page.goto(url(`${entry}?lang=hu`));
		await expectText(count, COUNT.hu(0));
		await page.locator('#pf-q0').focus();
		await typeForm(page, ['1', '13', '5', '231', 'more shade', '3', '2']);
		await typeForm(page, ['2', '2', '4', '123', '', '2', '']);
		await typeForm(page, ['3', '', '', '', '', '', '']);
		await expectText(count, COUNT.hu(3));
		const before = await items.allTextContents();
		await page.reload();
		await expectText(count, COUNT.hu(3));
		await expectCount(items, 3);
		assert.deepEqual(await items.allTextContents(), before, 'the same numbers and lines as before the reload');
		await expectText(items.nth(2), /^1\. kérdőív 1: Swings · 2: Play, Meet friends · 3: .+ · 4: Flowers › Shade › Water · 5: more shade/);
		await expectText(page.locator('#entry-form'), '4. kérdőív');
		await expectNoAxeViolations(page, 'paper entry, the list back after a reload, hu 1366×768');

		// Form 2 corrected after the reload: what was typed is back in the fields.
		await press('A(z) 2. kérdőív javítása');
		await expectText(status, 'A(z) 2. kérdőív visszavonva: javítsd ki, majd mentsd újra.');
		await expectText(page.locator('#entry-form'), /^Javítás: 2\. kérdőív/);
		const values = [];
		for (const field of ['#pf-q0', '#pf-q1', '#pf-q2', '#pf-q3', '#pf-q4', '#pf-age', '#pf-gender']) values.push(await page.locator(field).inputValue());
		assert.deepEqual(values, ['2', '2', '4', '123', '', '2', ''], 'form 2 as it was typed');
		assert.equal(await activeId(page), 'pf-q0');
		await page.keyboard.press('Control+A');
		await typeForm(page, ['3', '', '', '', 'a fountain', '', '']);
		await expectText(status, 'A(z) 2. kérdőív elmentve.');
		await expectText(count, COUNT.hu(3));
		// Form 1 removed after the reload.
		page.once('dialog', (dialog) => void dialog.accept());
		await press('A(z) 1. kérdőív törlése');
		await expectText(status, 'A(z) 1. kérdőív törölve.');
		await expectText(count, COUNT.hu(2));

		// Loaded again: form 2 as corrected, form 1 gone, and the next form is still number 4.
		await page.reload();
		await expectText(count, COUNT.hu(2));
		await expectCount(items, 2);
		await expectText(items.nth(0), /^3\. kérdőív 1: Trees/);
		await expectText(items.nth(1), /^2\. kérdőív 1: Trees · .*5: a fountain/);
		await expectText(page.locator('#entry-form'), '4. kérdőív');
		const results = await api(page, 'GET', `/api/v1/municipalities/${BACAU}/consultations/${id}/results`);
		assert.equal(results.data.questions[0].bySource.paper, 2, 'two forms in results');

		// A correction under way when the page is loaded again (here, a reload; as well a tab
		// that crashed) comes back into the fields, not lost.
		await press('A(z) 3. kérdőív javítása');
		await expectText(page.locator('#entry-form'), /^Javítás: 3\. kérdőív/);
		await expectText(count, COUNT.hu(1));
		page.once('dialog', (dialog) => void dialog.accept());
		await page.reload();
		await expectText(page.locator('#entry-form'), /^Javítás: 3\. kérdőív/);
		await expectText(status, 'A(z) 3. kérdőív visszavonva: javítsd ki, majd mentsd újra.');
		assert.equal(await page.locator('#pf-q0').inputValue(), '3', 'form 3 is back in the fields');
		await expectText(count, COUNT.hu(1));
		await page.locator('#pf-q0').focus();
		await typeForm(page, ['', '', '', '', '', '', '']);
		await expectText(status, 'A(z) 3. kérdőív elmentve.');
		await expectText(count, COUNT.hu(2));
		await expectText(page.locator('#entry-form'), '4. kérdőív');

		// Another tab is another sitting: its list starts empty.
		const tab = await newPage({ context: page.context() });
		await tab.setViewportSize(PHONE);
		await tab.goto(url(`${entry}?lang=ro`));
		await expectText(tab.getByTestId('paper-count'), COUNT.ro(0));
		await expectNoAxeViolations(tab, 'paper entry, a new sitting, ro 360×640');
	});

	scenario('keys typed while a form is saved go to the next form and are kept', async ({ page, url }) => {
		await signIn(page, url);
		const { id } = await paperConsultation(page);
		const entry = `/m/${BACAU}/consultations/${id}/paper/entry`;
		const count = page.getByTestId('paper-count');
		const items = page.getByTestId('paper-forms').locator('li');
		// The server answers the first save only when the test says so: what is typed meanwhile
		// is typed while the form is being saved.
		let release = () => {};
		const answered = new Promise((resolve) => (release = resolve));
		let held = 0;
		const paperForms = (u) => u.pathname.endsWith('/paper-forms');
		await page.route(
			paperForms,
			async (route) => {
				if (route.request().method() === 'POST' && held++ === 0) await answered;
				await route.continue();
			}
		);

		await page.setViewportSize(PHONE);
		await page.goto(url(`${entry}?lang=ro`));
		await expectText(count, COUNT.ro(0));
		await page.locator('#pf-q0').focus();
		await typeForm(page, ['1', '', '', '', '', '', '']);
		// Without waiting: the next form's first answers, while the first is still being saved.
		await page.keyboard.type('2');
		await page.keyboard.press('Enter');
		await page.keyboard.type('13');
		assert.equal(held, 1, 'the first form is being saved');
		await expectText(count, COUNT.ro(0));
		await expectText(page.locator('#entry-form'), /^Formularul 2/);
		release();
		await expectText(count, COUNT.ro(1));
		await expectText(page.getByTestId('paper-status'), 'Formularul 1 este salvat.');
		assert.equal(await page.locator('#pf-q0').inputValue(), '2', 'the next form\u2019s first answer, typed during the save, is there');
		assert.equal(await page.locator('#pf-q1').inputValue(), '13');
		assert.equal(await page.locator('#pf-gender').inputValue(), '', 'nothing landed in the last field');
		assert.equal(await activeId(page), 'pf-q1');
		await page.keyboard.press('Enter');
		await typeForm(page, ['', '', '', '', '']);
		await expectText(count, COUNT.ro(2));
		await expectText(items.nth(0), /^Formularul 2 1: Benches · 2: Play, Meet friends/);
		await expectText(items.nth(1), /^Formularul 1 1: Swings · 2: –/);
		await expectNoAxeViolations(page, 'paper entry after a fast typist, ro 360×640');

		// A save that fails while the next form is typed: the form waits in the list, not saved,
		// and is saved once corrected.
		await page.unroute(paperForms);
		let failed = false;
		let fail = () => {};
		const answeredLater = new Promise((resolve) => (fail = resolve));
		await page.route(
			paperForms,
			async (route) => {
				if (route.request().method() === 'POST' && !failed) {
					failed = true;
					await answeredLater;
					await route.fulfill({ status: 503, contentType: 'application/problem+json',
						body: JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503, code: 'unavailable', detail: 'The database is busy; try again.' }) });
					return;
				}
				await route.continue();
			}
		);
		await page.setViewportSize(LAPTOP);
		await page.goto(url(`${entry}?lang=en`));
		await expectText(count, COUNT.en(2));
		await page.locator('#pf-q0').focus();
		await typeForm(page, ['3', '', '', '', 'a slide', '', '']);
		await page.keyboard.type('1');
		fail();
		await expectText(page.getByTestId('paper-failed'), /^Form 3 was not saved: .+ Correct it to save it again\.$/);
		await expectText(count, COUNT.en(2));
		assert.equal(await page.locator('#pf-q0').inputValue(), '1', 'the next form kept');
		await expectText(page.locator('#entry-form'), /^Form 4/);
		await expectNoAxeViolations(page, 'paper entry with a form not saved, en 1366×768');
		await typeForm(page, ['', '', '', '', '', '', '']);
		await expectText(count, COUNT.en(3));
		const correct3 = page.getByRole('button', { name: 'Correct form 3', exact: true });
		await eventually(async () => assert.equal(await correct3.isEnabled(), true));
		await correct3.focus();
		await page.keyboard.press('Enter');
		await expectText(page.locator('#entry-form'), /^Correcting form 3/);
		assert.equal(await page.locator('#pf-q4').inputValue(), 'a slide');
		await typeForm(page, ['', '', '', '', '', '', '']);
		await expectText(page.getByTestId('paper-status'), 'Form 3 is saved.');
		await expectText(count, COUNT.en(4));
		await page.reload();
		await expectText(count, COUNT.en(4));
		await expectText(page.getByTestId('paper-forms').locator('li').nth(0), /^Form 4 1: Swings/);
		await expectText(page.getByTestId('paper-forms').locator('li').nth(1), /^Form 3 1: Trees · .*5: a slide/);
	});
});
