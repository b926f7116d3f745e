// A child's phone, live and on a self-paced link, in the three languages at 360×640 and
// 390×844: only the session on screen, every option and Send visible without scrolling, the
// child's own choice marked in the results, a ranking refused until it is placed, an end
// screen that says what happens next, and Next that keeps an answer not sent yet.
// Screenshots of the question screen go to e2e/screenshots/ (not kept in git).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe } from 'node:test';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { signIn } from './adult.mjs';
import { eventually, expectText, overflowsHorizontally, smallTouchTargets } from './expect.mjs';
import { expectNoAxeViolations, useVoci } from './server.mjs';

const { scenario } = useVoci();
const BACAU = 20297;
const HOUR = 3_600_000;
const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
mkdirSync(SCREENSHOTS, { recursive: true });

const SMALL = { width: 360, height: 640 };
const TALL = { width: 390, height: 844 };

const WORDS = {
	ro: { join: 'Intră', send: 'Trimite', help: 'Am nevoie să vorbesc cu cineva', gotIt: 'Am primit răspunsul tău!', youChose: 'Ai ales', yourOrder: 'Ordinea ta', yourFirst: 'Primul tău loc', noTexts: 'Niciun răspuns nu a fost arătat încă', much: 'foarte mult', end: 'Mulțumim că ai participat!', next: 'Mai departe', previous: 'Înapoi', start: 'Începe', finish: 'Am terminat', missing: /Mai ai 3 (de )?variante/ },
	en: { join: 'Join', send: 'Send', help: 'I need to talk to someone', gotIt: 'Got it!', youChose: 'You chose', yourOrder: 'Your order', yourFirst: 'Your first', noTexts: 'No answers have been shown yet', much: 'very much', end: 'Thank you for taking part!', next: 'Next', previous: 'Back', start: 'Start', finish: 'I am done', missing: /3 more options/ },
	hu: { join: 'Belépés', send: 'Küldés', help: 'Beszélnem kell valakivel', gotIt: 'Megkaptuk!', youChose: 'Ezt választottad', yourOrder: 'A sorrended', yourFirst: 'Az első helyed', noTexts: 'Még egy választ sem mutattak meg', much: 'nagyon', end: 'Köszönjük, hogy részt vettél!', next: 'Tovább', previous: 'Vissza', start: 'Kezdjük', finish: 'Befejeztem', missing: /Még 3 lehetőséget/ }
};
const OPTIONS = ['Bănci la umbră', 'Copaci', 'Un teren de sport', 'Fântână cu apă'];

/** Fails unless `locator` lies wholly inside the viewport, with no scrolling. */
async function inView(page, locator, what) {
	const box = await locator.boundingBox();
	const { width, height } = page.viewportSize();
	assert.ok(box, `${what} is shown`);
	assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= width + 0.5 && box.y + box.height <= height + 0.5,
		`${what} is within ${width}×${height} without scrolling: ${JSON.stringify(box)}`);
}

/** Checks the question screen: all options, Send and help on screen; then saves a screenshot. */
async function questionScreenFits(page, { words, name, send = words.send }) {
	assert.equal(await page.evaluate(() => window.scrollY), 0);
	for (const label of OPTIONS) await inView(page, page.locator('.tile').filter({ hasText: label }), `the option "${label}"`);
	await inView(page, page.getByRole('button', { name: send, exact: true }), 'Send');
	await inView(page, page.getByRole('button', { name: words.help }), 'the help button');
	// The help button lies over nothing: below Send.
	const sendBox = await page.getByRole('button', { name: send, exact: true }).boundingBox();
	const helpBox = await page.getByRole('button', { name: words.help }).boundingBox();
	assert.ok(helpBox.y >= sendBox.y + sendBox.height, 'the help button is below Send');
	assert.equal(await overflowsHorizontally(page), false);
	// Controls folded away in a closed <details> measure 0×0 and cannot be touched.
	assert.deepEqual((await smallTouchTargets(page)).filter((t) => !t.endsWith(" 0×0")), []);
	await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** Whether the device has a voice for `lang`: the "read to me" buttons are there only then. */
async function expectReadAloudAsTheDeviceAllows(page, lang) {
	const hasVoice = await page.evaluate(
		(lang) => 'speechSynthesis' in window && speechSynthesis.getVoices().some((v) => v.lang.toLowerCase().startsWith(lang)),
		lang
	);
	const buttons = await page.locator('.read-aloud').count();
	if (hasVoice) assert.ok(buttons > 0, 'read-aloud buttons with a voice');
	else assert.equal(buttons, 0, 'no read-aloud button without a voice');
}

function crc32(bytes) {
	let crc = 0xffffffff;
	for (const byte of bytes) {
		crc ^= byte;
		for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
	}
	return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type, data) {
	const out = Buffer.alloc(12 + data.length);
	out.writeUInt32BE(data.length, 0);
	out.write(type, 4, 'ascii');
	data.copy(out, 8);
	out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
	return out;
}

/** A w×h RGB PNG: a sky over grass. */
function png(w, h) {
	const header = Buffer.alloc(13);
	header.writeUInt32BE(w, 0);
	header.writeUInt32BE(h, 4);
	header.set([8, 2, 0, 0, 0], 8);
	const rows = Buffer.alloc(h * (1 + w * 3));
	for (let y = 0; y < h; y++) {
		for (let x = 0; x < w; x++) rows.set(y > h * 0.6 ? [40, 150, 60] : [120, 180, 240], y * (1 + w * 3) + 1 + x * 3);
	}
	return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', header), pngChunk('IDAT', deflateSync(rows)), pngChunk('IEND', Buffer.alloc(0))]);
}

/** The option labels that are narrower than their longest word, so that a word is broken. */
async function brokenLabels(page) {
	return page.locator('.tile__label').evaluateAll((labels) =>
		labels.flatMap((label) => {
			const probe = document.createElement('span');
			probe.style.whiteSpace = 'nowrap';
			label.append(probe);
			let widest = 0;
			for (const word of (label.textContent ?? '').trim().split(/\s+/)) {
				probe.textContent = word;
				widest = Math.max(widest, probe.getBoundingClientRect().width);
			}
			probe.remove();
			return widest > label.getBoundingClientRect().width + 0.5 ? [label.textContent?.trim()] : [];
		})
	);
}

/** Nothing of the adults' site: no header, menu or footer to leave the session by. */
async function onlyTheSession(page) {
	assert.equal(await page.locator('header.header, nav, footer').count(), 0, 'no site header, menu or footer');
	assert.equal(await page.locator('a[href="/"]').count(), 0, 'no link home');
}


/**
 * As the signed-in facilitator: an open consultation "Curtea școlii" with one single-choice
 * question of OPTIONS, and a live session of it; its ID and join code.
 */
async function openSchoolYardSession(page) {
	return page.evaluate(async ({ siruta, options }) => {
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
		const c = await send('POST', '/consultations', { title: 'Curtea școlii', audienceBody: 'Consiliul Local Bacău', answerBy: '2027-06-30T12:00:00Z', modes: ['live'] });
		await send('POST', `/consultations/${c.id}/questions`, { kind: 'single', prompt: 'Ce vrei să avem în curtea școlii?', options: options.map((label) => ({ label })) });
		await send('POST', `/consultations/${c.id}/status`, { status: 'open' });
		const s = await send('POST', `/consultations/${c.id}/live-sessions`);
		return { sessionId: s.id, code: s.joinCode };
	}, { siruta: BACAU, options: OPTIONS });
}

describe('a child’s phone', () => {
	scenario('a live session in three languages on small and tall phones', async ({ page, url, newPage }) => {
		await signIn(page, url);
		const live = await page.evaluate(async ({ siruta, options }) => {
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
			const c = await send('POST', '/consultations', { title: 'Curtea școlii noastre', audienceBody: 'Consiliul Local Bacău', answerBy: '2027-06-30T12:00:00Z', modes: ['live'] });
			await send('POST', `/consultations/${c.id}/questions`, { kind: 'single', prompt: 'Ce vrei să avem în curtea școlii?', options: options.map((label) => ({ label })) });
			await send('POST', `/consultations/${c.id}/questions`, { kind: 'scale', prompt: 'Cât de mult îți place curtea acum?' });
			await send('POST', `/consultations/${c.id}/questions`, { kind: 'ranking', prompt: 'Ce facem întâi?', options: [{ label: 'Umbră' }, { label: 'Apă' }, { label: 'Flori' }] });
			await send('POST', `/consultations/${c.id}/status`, { status: 'open' });
			const s = await send('POST', `/consultations/${c.id}/live-sessions`);
			return { sessionId: s.id, code: s.joinCode };
		}, { siruta: BACAU, options: OPTIONS });
		await page.goto(url(`/m/${BACAU}/live/${live.sessionId}`));

		// Six phones: each language on a small and a tall screen. The Hungarian ones are set to
		// Hungarian and get it without choosing; the others follow a ?lang= link.
		const kids = [];
		for (const lang of ['ro', 'en', 'hu']) {
			for (const viewport of [SMALL, TALL]) {
				const phone = await newPage({ viewport, locale: lang === 'hu' ? 'hu-HU' : 'ro-RO', label: `${lang} ${viewport.width}` });
				await phone.goto(url(lang === 'hu' ? `/join?code=${live.code}` : `/join?lang=${lang}&code=${live.code}`));
				await phone.getByRole('button', { name: WORDS[lang].join, exact: true }).click();
				await phone.locator('#lobby-heading').waitFor();
				assert.equal(await phone.locator('html').getAttribute('lang'), lang);
				await onlyTheSession(phone);
				kids.push({ lang, viewport, page: phone, words: WORDS[lang], name: `${lang}-${viewport.width}x${viewport.height}` });
			}
		}
		await expectText(page.getByTestId('connected'), '6 children connected');

		// Question 1 of 3, with a timer.
		await page.getByLabel('Timer for the next question you open').selectOption({ index: 3 });
		await page.getByRole('button', { name: /^Open\W*Question 1$/ }).click();
		for (const [i, kid] of kids.entries()) {
			await expectText(kid.page.locator('#question-heading'), 'Ce vrei să avem în curtea școlii?');
			await expectText(kid.page.locator('.phone__progress [aria-hidden]'), '1 / 3');
			await kid.page.locator('[role="timer"]').waitFor();
			await onlyTheSession(kid.page);
			await questionScreenFits(kid.page, { words: kid.words, name: `live-question-${kid.name}` });
			await expectReadAloudAsTheDeviceAllows(kid.page, kid.lang);
			if (kid.viewport === SMALL) await expectNoAxeViolations(kid.page, `the question on a phone (${kid.lang})`);
			await kid.page.getByRole('radio', { name: OPTIONS[i % 4] }).check();
			await kid.page.getByRole('button', { name: kid.words.send, exact: true }).click();
			await expectText(kid.page.locator('.ack__text'), kid.words.gotIt);
		}

		// Revealed: each child sees their own choice, in words.
		await page.getByRole('button', { name: 'Reveal results' }).click();
		for (const [i, kid] of kids.entries()) {
			await expectText(kid.page.getByTestId('you-chose'), `${kid.words.youChose}: ${OPTIONS[i % 4]}`);
			const own = kid.page.locator('.result--own');
			assert.equal(await own.count(), 1);
			await expectText(own.locator('.result__own'), kid.words.youChose);
			assert.match((await own.textContent()) ?? '', new RegExp(OPTIONS[i % 4]));
			if (kid.viewport === SMALL) {
				await expectNoAxeViolations(kid.page, `revealed results (${kid.lang})`);
				await kid.page.screenshot({ path: path.join(SCREENSHOTS, `live-results-${kid.name}.png`), fullPage: true });
			}
		}

		// Question 2: the scale, in words.
		await page.getByRole('button', { name: 'Next question' }).click();
		for (const kid of kids) {
			await expectText(kid.page.locator('.phone__progress [aria-hidden]'), '2 / 3');
			await kid.page.getByRole('radio', { name: kid.words.much, exact: true }).check();
			assert.equal(await kid.page.locator('.answer').getByText(/\d din \d|\d of \d/).count(), 0, 'no "3 of 5"');
		}
		await expectNoAxeViolations(kids[0].page, 'the scale in words (ro)');

		// Question 3: a ranking is refused until every option is placed.
		await page.getByRole('button', { name: 'Next question' }).click();
		for (const kid of kids) {
			const send = kid.page.getByRole('button', { name: kid.words.send, exact: true });
			await expectText(kid.page.locator('.phone__progress [aria-hidden]'), '3 / 3');
			assert.equal(await send.isDisabled(), true, 'nothing placed: Send is refused');
			await expectText(kid.page.locator('#answer-error'), kid.words.missing);
			await kid.page.getByRole('button', { name: /Apă/ }).click();
			await kid.page.getByRole('button', { name: /Umbră/ }).click();
			assert.equal(await send.isDisabled(), true, 'two of three placed: Send is refused');
			// Taking one out and placing it again moves it.
			await kid.page.getByRole('button', { name: /Apă/ }).click();
			await kid.page.getByRole('button', { name: /Flori/ }).click();
			assert.equal(await send.isDisabled(), true);
			await kid.page.getByRole('button', { name: /Apă/ }).click();
			assert.deepEqual(await kid.page.locator('.tile__place').allTextContents(), ['1', '3', '2'], 'Umbră 1, Apă 3, Flori 2');
			if (kid === kids[0]) await expectNoAxeViolations(kid.page, 'a ranking being placed (ro)');
			await send.click();
			await expectText(kid.page.locator('.ack__text'), kid.words.gotIt);
		}
		// Revealed: a ranking names every option, so the child reads their order, and only the
		// option they put first is marked (the bars count first places).
		await page.getByRole('button', { name: 'Reveal results' }).click();
		for (const kid of kids) {
			await expectText(kid.page.getByTestId('you-chose'), `${kid.words.yourOrder}: 1. Umbră, 2. Flori, 3. Apă`);
			const own = kid.page.locator('.result--own');
			assert.equal(await own.count(), 1, 'only the first place is marked');
			await expectText(own.locator('.result__own'), kid.words.yourFirst);
			assert.match((await own.textContent()) ?? '', /Umbră/);
			// Beside the child's own order, everyone's average place of each option (all three
			// children put them in the same order).
			const average = { ro: ['loc mediu 1,00', 'loc mediu 2,00', 'loc mediu 3,00'], en: ['average place 1.00', 'average place 2.00', 'average place 3.00'], hu: ['átlagos helyezés: 1,00', 'átlagos helyezés: 2,00', 'átlagos helyezés: 3,00'] }[kid.lang];
			const rows = kid.page.getByTestId('ranking-averages').locator('li');
			await eventually(async () => assert.equal(await rows.count(), 3));
			const texts = (await rows.allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
			assert.deepEqual(texts, [`1. Umbră ${average[0]}`, `2. Flori ${average[1]}`, `3. Apă ${average[2]}`]);
			if (kid.viewport === SMALL) assert.equal(await overflowsHorizontally(kid.page), false, `a revealed ranking fits 360 px (${kid.lang})`);
		}
		await expectNoAxeViolations(kids[0].page, 'a revealed ranking (ro)');

		// The end: thanks, what happens next and who reads it; no error, no "You're in".
		await page.getByRole('button', { name: 'End the session' }).click();
		await page.getByRole('button', { name: 'Yes, end the session' }).click();
		for (const kid of kids) {
			await expectText(kid.page.locator('#end-heading'), kid.words.end);
			assert.match((await kid.page.locator('.end').textContent()) ?? '', /Consiliul Local Bacău/);
			assert.equal(await kid.page.locator('.status--error').count(), 0, 'the end is not an error');
			assert.equal(await kid.page.getByText(/Ești în sesiune|You're in/).count(), 0);
			if (kid.viewport === SMALL) {
				await expectNoAxeViolations(kid.page, `the end screen (${kid.lang})`);
				await kid.page.screenshot({ path: path.join(SCREENSHOTS, `live-end-${kid.name}.png`) });
			}
		}
	});

	scenario('a self-paced link in three languages: Next keeps the answer, help has numbers to tap', async ({ page, url, newPage }) => {
		await signIn(page, url);
		const c = await page.evaluate(async ({ siruta, options, hour }) => {
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
				title: 'Curtea școlii', purpose: 'Ce schimbăm în curtea școlii?', audienceBody: 'Consiliul Local Bacău', answerBy: '2027-06-30T12:00:00Z',
				modes: ['self_paced'], selfPacedFrom: iso(-hour), selfPacedUntil: iso(24 * hour)
			});
			await send('POST', `/consultations/${c.id}/questions`, { kind: 'single', prompt: 'Ce vrei în curte?', options: options.map((label) => ({ label })) });
			await send('POST', `/consultations/${c.id}/questions`, { kind: 'ranking', prompt: 'Ce contează mai mult?', options: [{ label: 'Umbră' }, { label: 'Apă' }, { label: 'Flori' }] });
			await send('POST', `/consultations/${c.id}/status`, { status: 'open' });
			return { link: await send('GET', `/consultations/${c.id}/self-paced-link`) };
		}, { siruta: BACAU, options: OPTIONS, hour: HOUR });

		for (const lang of ['ro', 'en', 'hu']) {
			for (const viewport of [SMALL, TALL]) {
				const words = WORDS[lang];
				const name = `${lang}-${viewport.width}x${viewport.height}`;
				const phone = await newPage({ viewport, locale: lang === 'hu' ? 'hu-HU' : 'ro-RO', label: `self-paced ${name}` });
				await phone.goto(url(lang === 'hu' ? `/p/${c.link.key}` : `/p/${c.link.key}?lang=${lang}`));
				await phone.getByRole('button', { name: words.start, exact: true }).click();
				await expectText(phone.locator('#question-heading'), 'Ce vrei în curte?');
				assert.equal(await phone.locator('html').getAttribute('lang'), lang);
				await onlyTheSession(phone);
				await expectText(phone.locator('.phone__progress [aria-hidden]'), '1 / 2');
				await questionScreenFits(phone, { words, name: `self-paced-question-${name}` });
				await expectReadAloudAsTheDeviceAllows(phone, lang);
				if (viewport === SMALL) await expectNoAxeViolations(phone, `a self-paced question (${lang})`);

				// Chosen, not sent, and Next: the answer is sent, not lost.
				await phone.getByRole('radio', { name: OPTIONS[2] }).check();
				await phone.getByRole('button', { name: words.next }).click();
				await expectText(phone.locator('#question-heading'), 'Ce contează mai mult?');
				await phone.getByRole('button', { name: words.previous }).click();
				await expectText(phone.locator('#question-heading'), 'Ce vrei în curte?');
				assert.equal(await phone.getByRole('radio', { name: OPTIONS[2] }).isChecked(), true, 'going back shows what was sent');
				await expectText(phone.locator('.ack__text'), words.gotIt);
				// It was stored: coming back on this device starts after it.
				await phone.reload();
				await expectText(phone.locator('#question-heading'), 'Ce contează mai mult?');

				// The ranking: refused until placed.
				const send = phone.getByRole('button', { name: words.send, exact: true });
				assert.equal(await send.isDisabled(), true);
				await expectText(phone.locator('#answer-error'), words.missing);
				for (const label of ['Flori', 'Umbră', 'Apă']) await phone.getByRole('button', { name: new RegExp(label) }).click();
				await phone.getByRole('button', { name: words.finish }).click();

				// The end screen: thanks, who reads it and by when.
				await expectText(phone.locator('#end-heading'), words.end);
				assert.match((await phone.locator('.end').textContent()) ?? '', /Consiliul Local Bacău/);
				await expectText(phone.locator('.done__count'), /2/);
				if (viewport === SMALL) {
					await expectNoAxeViolations(phone, `the self-paced end screen (${lang})`);
					await phone.screenshot({ path: path.join(SCREENSHOTS, `self-paced-end-${name}.png`) });
				}

				// Help: the numbers can be tapped, 119 among them.
				if (viewport === SMALL) {
					await phone.getByRole('button', { name: words.help }).click();
					await phone.locator('.help__actions .button').first().click();
					await phone.locator('.help__sent button').first().click();
					await eventually(async () => {
						const numbers = await phone.locator('.help__message a[href^="tel:"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
						assert.deepEqual(numbers, ['tel:119', 'tel:116111', 'tel:112']);
					});
					await expectNoAxeViolations(phone, `self-paced help (${lang})`);
				}
				await phone.context().close();
			}
		}
	});

	scenario('a word cloud revealed before any word was approved: the phone says so, then shows the word approved after', async ({ page, url, newPage }) => {
		await signIn(page, url);
		const live = await page.evaluate(async ({ siruta }) => {
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
			const c = await send('POST', '/consultations', { title: 'Curtea școlii', audienceBody: 'Consiliul Local Bacău', answerBy: '2027-06-30T12:00:00Z', modes: ['live'] });
			await send('POST', `/consultations/${c.id}/questions`, { kind: 'word_cloud', prompt: 'Un cuvânt despre curte' });
			await send('POST', `/consultations/${c.id}/status`, { status: 'open' });
			const s = await send('POST', `/consultations/${c.id}/live-sessions`);
			return { sessionId: s.id, code: s.joinCode };
		}, { siruta: BACAU });
		await page.goto(url(`/m/${BACAU}/live/${live.sessionId}`));
		const kids = [];
		for (const lang of ['ro', 'en', 'hu']) {
			const phone = await newPage({ viewport: SMALL, label: `word cloud ${lang}` });
			await phone.goto(url(`/join?lang=${lang}&code=${live.code}`));
			await phone.getByRole('button', { name: WORDS[lang].join, exact: true }).click();
			await phone.locator('#lobby-heading').waitFor();
			kids.push({ lang, page: phone, words: WORDS[lang] });
		}
		await page.getByRole('button', { name: /^Open\W*Question 1$/ }).click();
		for (const kid of kids) {
			await kid.page.getByRole('textbox').fill(`umbră ${kid.lang}`);
			await kid.page.getByRole('button', { name: kid.words.send, exact: true }).click();
			await kid.page.locator('.ack__text').waitFor();
		}
		await page.getByRole('button', { name: 'Reveal results' }).click();
		for (const kid of kids) {
			await expectText(kid.page.getByTestId('no-texts'), new RegExp(kid.words.noTexts));
			await expectNoAxeViolations(kid.page, `a word cloud revealed with nothing approved (${kid.lang})`);
		}
		// Approved after the reveal: every phone's results show it.
		await page.getByRole('button', { name: /^Approve\W+umbră ro/ }).click();
		for (const kid of kids) {
			await eventually(async () => assert.equal(await kid.page.locator('ul.texts li').count(), 1, `the approved word on the ${kid.lang} phone`));
			assert.equal(await kid.page.getByTestId('no-texts').count(), 0);
		}
	});

	scenario('a question and four options with pictures fit a 360×640 phone, words unbroken', async ({ page, url, newPage }) => {
		await signIn(page, url);
		const live = await page.evaluate(async ({ siruta, options, picture }) => {
			const me = await (await fetch('/api/v1/me')).json();
			const send = async (method, path, body, form) => {
				const response = await fetch(`/api/v1/municipalities/${siruta}${path}`, {
					method,
					headers: form ? { 'X-CSRF-Token': me.csrfToken } : { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrfToken },
					body: form ?? (body === undefined ? undefined : JSON.stringify(body))
				});
				if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
				return response.json();
			};
			const bytes = Uint8Array.from(atob(picture), (c) => c.charCodeAt(0));
			const form = (alt) => {
				const f = new FormData();
				f.append('picture', new Blob([bytes], { type: 'image/png' }), 'park.png');
				f.append('alt', alt);
				return f;
			};
			const c = await send('POST', '/consultations', { title: 'Curtea școlii', audienceBody: 'Consiliul Local Bacău', answerBy: '2027-06-30T12:00:00Z', modes: ['live'] });
			const q = await send('POST', `/consultations/${c.id}/questions`, { kind: 'single', prompt: 'Ce vrei să avem în curtea școlii?', options: options.map((label) => ({ label })) });
			await send('PUT', `/consultations/${c.id}/questions/${q.id}/picture`, undefined, form('Curtea școlii'));
			for (const o of q.options) await send('PUT', `/consultations/${c.id}/questions/${q.id}/options/${o.id}/picture`, undefined, form(o.label));
			await send('POST', `/consultations/${c.id}/status`, { status: 'open' });
			const s = await send('POST', `/consultations/${c.id}/live-sessions`);
			return { sessionId: s.id, code: s.joinCode };
		}, { siruta: BACAU, options: OPTIONS, picture: png(1200, 800).toString('base64') });
		await page.goto(url(`/m/${BACAU}/live/${live.sessionId}`));
		const kids = [];
		for (const lang of ['ro', 'en', 'hu']) {
			const phone = await newPage({ viewport: SMALL, label: `pictures ${lang}` });
			await phone.goto(url(`/join?lang=${lang}&code=${live.code}`));
			await phone.getByRole('button', { name: WORDS[lang].join, exact: true }).click();
			await phone.locator('#lobby-heading').waitFor();
			kids.push({ lang, page: phone, words: WORDS[lang] });
		}
		await page.getByRole('button', { name: /^Open\W*Question 1$/ }).click();
		for (const kid of kids) {
			await expectText(kid.page.locator('#question-heading'), 'Ce vrei să avem în curtea școlii?');
			await eventually(async () => assert.equal(await kid.page.locator('.tile img').count(), 4, 'every option shows its picture'));
			await kid.page.waitForFunction(() => [...document.querySelectorAll('img')].every((img) => img.complete && img.naturalWidth > 0));
			await questionScreenFits(kid.page, { words: kid.words, name: `live-question-pictures-${kid.lang}-360x640` });
			assert.deepEqual(await brokenLabels(kid.page), [], 'no option label is broken mid-word');
		}
		await expectNoAxeViolations(kids[0].page, 'a question with pictures on a small phone');
	});

	scenario('on a laptop or a projector-sized screen the tiles stay together under the prompt', async ({ page, url, newPage }) => {
		await signIn(page, url);
		const live = await openSchoolYardSession(page);
		await page.goto(url(`/m/${BACAU}/live/${live.sessionId}`));
		const screens = [];
		for (const [lang, viewport] of [['en', { width: 1366, height: 768 }], ['hu', { width: 1920, height: 1080 }]]) {
			const phone = await newPage({ viewport, label: `wide ${lang}` });
			await phone.goto(url(`/join?lang=${lang}&code=${live.code}`));
			await phone.getByRole('button', { name: WORDS[lang].join, exact: true }).click();
			await phone.locator('#lobby-heading').waitFor();
			screens.push({ lang, viewport, page: phone });
		}
		await page.getByRole('button', { name: /^Open\W*Question 1$/ }).click();
		for (const { lang, viewport, page: screen } of screens) {
			await expectText(screen.locator('#question-heading'), 'Ce vrei să avem în curtea școlii?');
			const boxes = await screen.locator('.tile').evaluateAll((tiles) => tiles.map((t) => t.getBoundingClientRect().toJSON()));
			assert.equal(boxes.length, 4);
			const rowGap = boxes[2].top - boxes[0].bottom;
			assert.ok(rowGap >= 0 && rowGap <= 16, `the second row of tiles follows the first (${lang} ${viewport.width}×${viewport.height}): a gap of ${rowGap}px`);
			await screen.screenshot({ path: path.join(SCREENSHOTS, `live-question-${lang}-${viewport.width}x${viewport.height}.png`) });
		}
	});

	scenario('the timer’s last announcement follows a change of language', async ({ page, url, newPage }) => {
		await signIn(page, url);
		const live = await openSchoolYardSession(page);
		await page.goto(url(`/m/${BACAU}/live/${live.sessionId}`));
		const phone = await newPage({ viewport: SMALL, locale: 'hu-HU', label: 'timer hu' });
		// The phone's clock is moved on by hand; the server's timer keeps real time.
		await phone.clock.install();
		await phone.goto(url(`/join?code=${live.code}`));
		await phone.getByRole('button', { name: WORDS.hu.join, exact: true }).click();
		await phone.locator('#lobby-heading').waitFor();
		await page.getByLabel('Timer for the next question you open').selectOption('30');
		await page.getByRole('button', { name: /^Open\W*Question 1$/ }).click();
		await phone.locator('[role="timer"]').waitFor();
		// 22 s on, and held there: past the 10 s announcement, and no other comes after it.
		await phone.clock.pauseAt(Date.now() + 22_000);
		await expectText(phone.getByTestId('timer-announced'), /^Még \d+ másodperc$/);
		await phone.getByRole('button', { name: 'English', exact: true }).click();
		await eventually(async () => assert.equal(await phone.locator('html').getAttribute('lang'), 'en'));
		await expectText(phone.getByTestId('timer-announced'), /^\d+ seconds? left$/);
	});
});
