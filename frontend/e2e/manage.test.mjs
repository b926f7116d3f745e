// The pages that manage the platform: people and invitations, a
// municipality's settings, the audit log. Each in every language, on a phone,
// checked by axe; and what each role may open.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { demo, signIn } from './adults.mjs';
import { eventually, expectPage, expectText, focused, overflowsHorizontally, smallTouchTargets } from './expect.mjs';
import { DEMO_PASSWORD, expectNoAxeViolations, PHONE, useVoci } from './server.mjs';

const { scenario } = useVoci();

/** Today in Romania, as a date field holds it. */
function today() {
	return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Bucharest' }).format(new Date());
}

const HEADINGS = {
	people: { ro: 'Persoane și roluri', en: 'People and roles', hu: 'Személyek és szerepek' },
	audit: { ro: 'Jurnalul schimbărilor', en: 'Audit log', hu: 'A változások naplója' },
	forbidden: {
		ro: 'Nu ai acces la această pagină',
		en: 'You cannot open this page',
		hu: 'Ezt az oldalt nem nyithatod meg'
	}
};

/** The SIRUTA code of the first municipality the signed-in adult holds a role for. */
async function homeMunicipality(page, url) {
	const me = await (await page.request.get(url('/api/v1/me'))).json();
	return me.roles.find((r) => r.municipality)?.municipality;
}

/** The stages offered under one group of the stage form. */
function stageGroup(page, label) {
	return page.locator(`#stage-stage optgroup[label="${label}"] option`).allTextContents();
}

describe('who may open what', () => {
	scenario('a facilitator is told the people page and the audit log are not for their role', async ({ page, url }) => {
		await signIn(page, url, demo('facilitator', 'bacau'), { lang: 'hu' });
		for (const path of ['/people', '/audit']) {
			await page.goto(url(path));
			await expectPage(page, 'hu', HEADINGS.forbidden.hu);
		}
		const siruta = await homeMunicipality(page, url);
		await page.goto(url(`/municipalities/${siruta}/settings`));
		await expectPage(page, 'hu', HEADINGS.forbidden.hu);
		await expectNoAxeViolations(page, 'the forbidden page');
	});

	scenario('a signed-out visitor is sent to sign in, and comes back', async ({ page, url }) => {
		await page.goto(url('/audit?lang=en&action=session.'));
		await eventually(() => assert.equal(new URL(page.url()).pathname, '/login'));
		await page.getByLabel('Email address').fill(demo('admin'));
		await page.getByLabel('Password', { exact: true }).fill('demo-password-e2e-1234');
		await page.getByRole('button', { name: 'Sign in', exact: true }).click();
		await expectPage(page, 'en', HEADINGS.audit.en);
		assert.equal(new URL(page.url()).searchParams.get('action'), 'session.');
	});
});

describe('every management page in every language, on a phone', () => {
	for (const lang of ['ro', 'en', 'hu']) {
		scenario(
			`people, settings and audit log are accessible and fit 360 px (${lang})`,
			async ({ page, url }) => {
				await signIn(page, url, demo('coordinator', 'brasov'), { lang });
				const siruta = await homeMunicipality(page, url);
				const pages = [
					['/people', HEADINGS.people[lang]],
					[`/municipalities/${siruta}/settings`, null],
					['/audit', HEADINGS.audit[lang]]
				];
				for (const [path, heading] of pages) {
					await page.goto(url(path));
					if (heading) await expectPage(page, lang, heading);
					else await expectText(page.locator('h1'), /Brașov/);
					// Let the lists arrive (or say that they could not) before checking.
					await eventually(async () => assert.equal(await page.getByText(/Se încarcă|Loading|Betöltés/).count(), 0));
					await expectNoAxeViolations(page, `${path} in ${lang}`);
					assert.deepEqual(await smallTouchTargets(page), [], `touch targets on ${path}`);
					assert.equal(await overflowsHorizontally(page), false, `no sideways scrolling on ${path}`);
				}
			},
			{ viewport: PHONE }
		);
	}
});

describe('with content, as an admin, in every language, on a phone', () => {
	for (const lang of ['ro', 'en', 'hu']) {
		scenario(
			`people, settings and audit log with their tables (${lang})`,
			async ({ page, url }) => {
				await signIn(page, url, demo('admin'), { lang });
				for (const path of ['/people', '/municipalities/20297/settings', '/audit']) {
					await page.goto(url(path));
					await eventually(async () => assert.ok((await page.locator('table tbody tr').count()) > 0, `${path} shows its table`));
					await eventually(async () => assert.equal(await page.getByText(/Se încarcă|Loading|Betöltés/).count(), 0));
					await expectNoAxeViolations(page, `${path} with content in ${lang}`);
					assert.deepEqual(await smallTouchTargets(page), [], `touch targets on ${path}`);
					assert.equal(await overflowsHorizontally(page), false, `no sideways scrolling on ${path}`);
				}
			},
			{ viewport: PHONE }
		);
	}
});

describe('municipality settings', () => {
	scenario('admins and national members reach any municipality’s settings from the search', async ({ page, url }) => {
		await page.goto(url('/municipalities?q=corbasca&lang=en'));
		await expectText(page.locator('.results li').first(), /Corbasca/);
		assert.equal(await page.getByRole('link', { name: /^Settings/ }).count(), 0, 'not for a visitor');
		await signIn(page, url, demo('national'), { next: '/municipalities?q=corbasca' });
		await page.getByRole('link', { name: /^Settings\b.*Corbasca/ }).click();
		await expectText(page.locator('h1'), 'Settings: Corbasca');
	});

	scenario('a national member records the next stage; the form offers the next steps, and the others only with a reason', async ({ page, url }) => {
		await signIn(page, url, demo('national'));
		const siruta = (await (await page.request.get(url('/api/v1/municipalities?q=moinesti'))).json()).items[0].siruta;
		await page.goto(url(`/municipalities/${siruta}/settings`));
		await expectText(page.locator('h1'), 'Settings: Moinești');
		await expectText(page.locator('.current'), /^Current stage: memorandum signed, since /);
		await expectText(page.locator('table tbody tr').first(), /the platform \(initial data\)/);
		assert.deepEqual(await stageGroup(page, 'Next in the cycle'), ['situation analysis', 'paused']);
		assert.deepEqual(await stageGroup(page, 'Out of order (give the reason)'), ['interested', 'action plan adopted', 'implementation', 'evaluation', 'recognised']);

		await page.getByRole('button', { name: 'Record the stage' }).click();
		await expectText(page.locator('#stage-status'), 'Some values are not valid. Check them and try again.');
		assert.match(await focused(page), /^select#stage-stage/);

		await page.getByLabel('Stage', { exact: true }).selectOption('situation_analysis');
		await page.getByLabel('Date the stage began').fill(today());
		await page.getByLabel('Note (optional)').fill('Raport aprobat, HCL 31/2026');
		await page.getByRole('button', { name: 'Record the stage' }).click();
		await expectText(page.locator('#stage-status'), 'The stage has been recorded.');
		await expectText(page.locator('.current'), /^Current stage: situation analysis, since /);
		await expectText(page.locator('table tbody tr').first(), /situation analysis.*Raport aprobat, HCL 31\/2026.*national@demo\.voci\.ro/);
		assert.deepEqual(await stageGroup(page, 'Next in the cycle'), ['action plan adopted', 'paused']);
		// National members read the profile; the coordinator keeps it.
		assert.equal(await page.getByRole('button', { name: 'Save the profile' }).count(), 0);
		await expectNoAxeViolations(page, 'settings as a national member');

		// A skipped step: the note becomes required, and says so next to the field.
		const note = page.locator('#stage-note');
		await page.getByLabel('Stage', { exact: true }).selectOption('implementation');
		await expectText(page.locator('label[for="stage-note"]'), 'Note (required: the reason)');
		assert.equal(await note.getAttribute('required'), '');
		const describedBy = (await note.getAttribute('aria-describedby')) ?? '';
		assert.ok(describedBy.split(' ').includes('stage-note-reason'), `the note is described by the reason: ${describedBy}`);
		await expectText(page.locator('#stage-note-reason'), /^This stage is out of the cycle's order/);
		// Without a note the server refuses it; the message says why, and nothing is recorded.
		await page.getByLabel('Date the stage began').fill(today());
		await page.getByRole('button', { name: 'Record the stage' }).click();
		await expectText(page.locator('#stage-status'), /^Not recorded: a stage out of the cycle's order needs a note that gives the reason\./);
		assert.match(await focused(page), /^textarea#stage-note/);
		assert.equal(await note.getAttribute('aria-invalid'), 'true');
		await expectText(page.locator('.current'), /^Current stage: situation analysis, since /);
		const history = async () => (await (await page.request.get(url(`/api/v1/municipalities/${siruta}/stage-history`))).json()).items;
		assert.equal((await history())[0].stage, 'situation_analysis', 'nothing recorded');
		await expectNoAxeViolations(page, 'an out-of-order stage refused, at 1280×900');
		await page.setViewportSize({ width: 1366, height: 768 });
		await expectNoAxeViolations(page, 'an out-of-order stage refused, at 1366×768');
		await page.setViewportSize({ width: 360, height: 640 });
		assert.equal(await overflowsHorizontally(page), false, 'the form does not scroll sideways on a phone');
		assert.deepEqual(await smallTouchTargets(page), [], 'touch targets of at least 44×44 px');
		await expectNoAxeViolations(page, 'an out-of-order stage refused, at 360×640');

		// With the reason it is recorded, and the history shows it.
		await note.fill('Planul de acțiune adoptat și pus în aplicare direct, HCL 40/2026');
		await page.getByRole('button', { name: 'Record the stage' }).click();
		await expectText(page.locator('#stage-status'), 'The stage has been recorded.');
		await expectText(page.locator('.current'), /^Current stage: implementation, since /);
		await expectText(page.locator('table tbody tr').first(), /implementation.*pus în aplicare direct, HCL 40\/2026.*national@demo\.voci\.ro/);
		assert.equal((await history())[0].note, 'Planul de acțiune adoptat și pus în aplicare direct, HCL 40/2026');
		await expectText(page.locator('label[for="stage-note"]'), 'Note (optional)');
		await expectNoAxeViolations(page, 'an out-of-order stage recorded, at 360×640');
	});

	scenario('a coordinator keeps the profile, with each mistake named, and it stays saved', async ({ page, url }) => {
		await signIn(page, url, demo('coordinator', 'colonesti'));
		await page.getByRole('link', { name: 'My municipality' }).click();
		await expectText(page.locator('h1'), /^Settings: /);
		assert.equal(await page.locator('#stage-stage').count(), 0, 'a coordinator does not record stages');
		await page.getByLabel('under 10').fill('310');
		await page.getByLabel('Name', { exact: true }).fill('Elena Vasile');
		await page.getByRole('button', { name: 'Save the profile' }).click();
		await expectText(page.locator('#profile-status'), 'Check the field “Phone”.');
		assert.equal(await focused(page), 'input#profile-safeguardingLead-phone');
		await page.getByLabel('Phone').fill('0234 555 010');
		await page.getByLabel('Days until the children get an answer').fill('45');
		await page.getByRole('button', { name: 'Save the profile' }).click();
		await expectText(page.locator('#profile-status'), 'The profile has been saved.');
		await page.reload();
		await eventually(async () => assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'Elena Vasile'));
		assert.equal(await page.getByLabel('under 10').inputValue(), '310');
		// The demo declares every band of the pilots; saving one band keeps the others.
		assert.equal(await page.getByLabel('10–12', { exact: true }).inputValue(), '70');
		assert.equal(await page.getByLabel('Days until the children get an answer').inputValue(), '45');
	});
});

describe('audit log', () => {
	scenario('filters through the address, pages, and links the CSV with the same filters', async ({ page, url, origin }) => {
		const email = demo('council', 'corbasca');
		// 55 sign-ins make two pages of 50.
		for (let i = 0; i < 55; i++) {
			const answer = await fetch(`${origin}/api/v1/auth/login`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ email, password: DEMO_PASSWORD })
			});
			assert.equal(answer.status, 200);
		}
		await signIn(page, url, demo('admin'), { next: '/audit?lang=en' });
		await expectPage(page, 'en', HEADINGS.audit.en);
		await eventually(async () => assert.ok((await page.locator('table tbody tr').count()) > 0));

		// The action is chosen from a list, in words.
		await page.getByLabel('Action').selectOption({ label: 'Signed in' });
		await page.getByLabel("Person's email").fill(email);
		await page.getByRole('button', { name: 'Filter', exact: true }).click();
		await eventually(() => assert.equal(new URL(page.url()).searchParams.get('actor'), email));
		await expectText(page.locator('main [role="status"]'), '55 entries');
		await expectText(page.locator('.pagination__status'), 'Page 1 of 2');
		const csv = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
		// In the page's language: the file names the actions in English words, beside the codes.
		assert.equal(csv, `/api/v1/audit.csv?actor=${encodeURIComponent(email)}&action=session.sign_in&lang=en`);
		const file = await page.request.get(url(csv));
		assert.equal(file.status(), 200);
		const lines = (await file.text()).trim().split('\n');
		assert.match(lines[0], /^\uFEFF?id,at,actorEmail,actorRole,municipality,municipalityName,action,actionWords,objectType,objectTypeWords,objectId,/);
		assert.ok(lines[1].includes(',session.sign_in,Signed in,'), `the action in words: ${lines[1]}`);
		assert.equal(lines.length, 56, 'the file holds every matching entry, not one page');

		await page.getByRole('link', { name: 'Next page' }).click();
		await expectText(page.locator('.pagination__status'), 'Page 2 of 2');
		assert.equal(await page.locator('table tbody tr').count(), 5);
		await eventually(async () => assert.equal(await focused(page), 'h2#audit-results-heading "Entries"'));
		await page.goBack();
		await expectText(page.locator('.pagination__status'), 'Page 1 of 2');
	});

	scenario('a coordinator sees their municipality’s changes', async ({ page, url }) => {
		await signIn(page, url, demo('coordinator', 'moinesti'), { lang: 'ro' });
		await page.getByRole('link', { name: 'Localitatea mea' }).click();
		await page.getByLabel('Zile până la răspunsul către copii').fill('30');
		await page.getByRole('button', { name: 'Salvează profilul' }).click();
		await expectText(page.locator('#profile-status'), 'Profilul a fost salvat.');
		await page.getByRole('link', { name: 'Jurnal' }).click();
		await expectPage(page, 'ro', HEADINGS.audit.ro);
		await expectText(page.locator('table tbody tr').first(), /coordinator\.moinesti@demo\.voci\.ro.*Moinești.*A modificat profilul localității/);
		// The CSV speaks Romanian too, the server's default, with the codes kept for programs.
		const csv = await page.getByRole('link', { name: 'Descarcă CSV' }).getAttribute('href');
		assert.ok(!csv.includes('lang='), csv);
		const rows = (await (await page.request.get(url(csv))).text()).trim().split('\n');
		assert.ok(
			rows.some((r) => r.includes(',municipality.profile_update,A modificat profilul localității,municipality,Localitate,')),
			`the change in Romanian words: ${rows.slice(0, 3).join(' | ')}`
		);
		await expectNoAxeViolations(page, 'the audit log of a coordinator');
	});
});
