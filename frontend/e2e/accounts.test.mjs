// Accounts made by invitation, roles taken away, and passwords reset by an
// emailed link, against the real server. No SMTP server is configured here,
// so the invitation link is shown to the inviter and the reset link is read
// from the server's log, as a small install would do.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { ACCOUNT_HEADING, demo, LOGIN, signIn } from './adults.mjs';
import { eventually, expectPage, expectText, focused, overflowsHorizontally, smallTouchTargets } from './expect.mjs';
import { DEMO_PASSWORD, expectNoAxeViolations, PHONE, useVoci } from './server.mjs';

const { scenario } = useVoci();

const PEOPLE = { ro: 'Persoane și roluri', en: 'People and roles', hu: 'Személyek és szerepek' };
const INVITATION = { ro: 'Invitație în Voci', en: 'Invitation to Voci', hu: 'Meghívó a Vocira' };
const NEW_PASSWORD = 'walnut harbour violin 42';

/** Invites `email` to `role` from the people page (in English) and returns the link shown. */
async function invite(page, email, role, municipality) {
	await page.getByLabel('Email address').fill(email);
	await page.getByLabel('Role').selectOption(role);
	if (municipality !== undefined) await page.getByLabel('Municipality', { exact: true }).selectOption(String(municipality));
	await page.getByRole('button', { name: 'Send the invitation' }).click();
	await expectText(page.locator('#invite-status'), `The invitation for ${email} has been created.`);
	const link = await page.locator('#invite-link').inputValue();
	assert.match(link, /\/invitation#token=/);
	return link;
}

async function signOut(page) {
	await page.locator('header').getByRole('button', { name: LOGIN.signOut.en, exact: true }).click();
	await expectPage(page, 'en', LOGIN.heading.en);
}

describe('invitations', () => {
	scenario('a coordinator invites a facilitator, who creates the account and is signed in; the link then is dead', async ({ page, url }) => {
		await signIn(page, url, demo('coordinator', 'brasov'), { next: '/people' });
		await expectPage(page, 'en', PEOPLE.en);
		await expectText(page.locator('#people-heading'), 'People: Brașov');
		await expectText(page.locator('table tbody'), /facilitator\.brasov@demo\.voci\.ro/);
		const roles = await page.locator('#invite-role option').allTextContents();
		assert.deepEqual(roles.slice(1), ['facilitator', 'local council member', 'safeguarding lead'], 'only what a coordinator grants');

		await page.getByRole('button', { name: 'Send the invitation' }).click();
		await expectText(page.locator('#invite-status'), 'Some values are not valid. Check them and try again.');
		assert.equal(await focused(page), 'input#invite-email');

		const link = await invite(page, 'maria.ionescu@example.org', 'facilitator');
		await expectText(page.locator('.pending'), /maria\.ionescu@example\.org.*facilitator, Brașov/);
		await expectNoAxeViolations(page, 'the people page with an invitation link');
		await signOut(page);

		await page.goto(link.replace('/invitation#', '/invitation?lang=ro#'));
		await expectPage(page, 'ro', INVITATION.ro);
		await expectText(page.locator('.grants'), 'Ești invitat ca facilitator pentru Brașov.');
		await expectText(page.locator('main'), /maria\.ionescu@example\.org/);
		await expectNoAxeViolations(page, 'the invitation');
		await page.getByRole('textbox', { name: 'Nume afișat' }).fill('Maria Ionescu');
		await page.getByLabel('Parola nouă', { exact: true }).fill('scurtă');
		await page.getByLabel('Scrie din nou parola nouă').fill('scurtă');
		await page.getByRole('button', { name: 'Acceptă invitația' }).click();
		await expectText(page.locator('#invitation-status'), 'Parola nouă are mai puțin de 12 caractere.');
		await page.getByLabel('Parola nouă', { exact: true }).fill(NEW_PASSWORD);
		await page.getByLabel('Scrie din nou parola nouă').fill(NEW_PASSWORD);
		await page.getByRole('button', { name: 'Acceptă invitația' }).click();
		await expectPage(page, 'ro', ACCOUNT_HEADING.ro);
		await expectText(page.locator('header a[href="/account"]'), 'Maria Ionescu');
		await expectText(page.locator('#roles-heading + ul'), 'facilitator, Brașov');

		await signOut(page).catch(() => {});
		await page.goto(link);
		await expectText(page.locator('main [role="alert"]'), /Invitația a expirat, a fost deja folosită sau a fost retrasă/);
	});

	scenario('an invitation for someone who has an account asks for its password, and adds the role', async ({ page, url }) => {
		await signIn(page, url, demo('coordinator', 'moinesti'), { next: '/people' });
		const link = await invite(page, demo('facilitator', 'moinesti'), 'council_member');
		await signOut(page);
		await page.goto(link.replace('/invitation#', '/invitation?lang=en#'));
		await expectPage(page, 'en', INVITATION.en);
		await expectText(page.locator('main'), /You already have an account with this address/);
		assert.equal(await page.getByRole('textbox', { name: 'Display name' }).count(), 0);
		await page.getByLabel('Password', { exact: true }).fill('not-the-password');
		await page.getByRole('button', { name: 'Accept the invitation' }).click();
		await expectText(page.locator('#invitation-status'), 'The current password is not right.');
		await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
		await page.getByRole('button', { name: 'Accept the invitation' }).click();
		await expectPage(page, 'en', ACCOUNT_HEADING.en);
		await expectText(page.locator('#roles-heading + ul'), /facilitator, Moinești.*local council member, Moinești/);
	});

	scenario('a coordinator withdraws an invitation and takes a role away', async ({ page, url }) => {
		await signIn(page, url, demo('coordinator', 'corbasca'), { next: '/people' });
		await invite(page, 'withdrawn@example.org', 'safeguarding_lead');
		await page.getByRole('button', { name: /^Withdraw the invitation\b.*withdrawn@example\.org/ }).click();
		await expectText(page.locator('#people-status'), 'The invitation for withdrawn@example.org has been withdrawn.');
		await page.reload();
		await expectText(page.locator('#pending-heading + p'), 'No pending invitations.');

		page.once('dialog', (dialog) => dialog.accept());
		await page.getByRole('button', { name: /^Remove\b.*safeguarding lead, Corbasca/ }).click();
		await expectText(page.locator('#people-status'), /^The role safeguarding lead has been removed from /);
		await page.reload();
		await expectText(page.locator('table tbody'), /facilitator\.corbasca/);
		assert.doesNotMatch((await page.locator('table tbody').textContent()) ?? '', /safeguarding\.corbasca/);
		assert.equal(await page.getByRole('button', { name: /^Remove\b.*municipal coordinator/ }).count(), 0, 'a coordinator’s role is not theirs to take');
	});

	scenario('a national member invites coordinators only, of any enrolled municipality', async ({ page, url }) => {
		await signIn(page, url, demo('national'), { next: '/people' });
		await expectPage(page, 'en', PEOPLE.en);
		await expectText(page.locator('#people-heading'), 'People: All municipalities');
		assert.deepEqual((await page.locator('#invite-role option').allTextContents()).slice(1), ['municipal coordinator']);
		await page.getByLabel('Role').selectOption('coordinator');
		const places = await page.locator('#invite-municipality option').allTextContents();
		assert.ok(places.includes('Corbasca') && places.includes('Brașov'), `enrolled municipalities offered: ${places.join(', ')}`);
		await page.getByLabel('Municipality', { exact: true }).first().selectOption({ label: 'Bacău' });
		await page.getByRole('button', { name: 'Show' }).click();
		await expectText(page.locator('#people-heading'), 'People: Bacău');
		assert.equal(new URL(page.url()).searchParams.get('municipality') !== null, true);
	});

	scenario('the people page is accessible and fits a phone in every language', async ({ page, url }) => {
		await signIn(page, url, demo('admin'));
		for (const lang of ['ro', 'en', 'hu']) {
			await page.goto(url(`/people?lang=${lang}`));
			await expectPage(page, lang, PEOPLE[lang]);
			await eventually(async () => assert.ok((await page.locator('table tbody tr').count()) > 5));
			await expectNoAxeViolations(page, `/people in ${lang}`);
			assert.deepEqual(await smallTouchTargets(page), [], 'touch targets of at least 44×44 px');
			assert.equal(await overflowsHorizontally(page), false, 'no sideways scrolling at 360 px');
		}
	}, { viewport: PHONE });
});

describe('a forgotten password', () => {
	scenario('is replaced through the emailed link, which then no longer works', async ({ page, url, serverLog }) => {
		const email = demo('council', 'brasov');
		await page.goto(url('/login?lang=hu'));
		await page.getByRole('link', { name: 'Elfelejtetted a jelszavad?' }).click();
		await expectPage(page, 'hu', 'Elfelejtetted a jelszavad?');
		await page.getByLabel('E-mail-cím').fill(email);
		await page.getByRole('button', { name: 'Link küldése' }).click();
		await expectText(page.locator('#forgot-status'), /Ha van fiók ezzel a címmel/);
		await expectNoAxeViolations(page, 'the forgotten-password answer');

		// Without an SMTP server the link is written to the log, for the administrator.
		const link = await eventually(() => {
			const match = /password reset link[^\n]*?(https?:\/\/\S+?\/password-reset#token=[A-Za-z0-9_\-.~]+)/.exec(serverLog());
			assert.ok(match, 'the reset link is in the server log');
			return match[1];
		});
		await page.goto(link);
		await expectPage(page, 'hu', 'Válassz új jelszót');
		await page.getByLabel('Új jelszó', { exact: true }).fill('password12345');
		await page.getByLabel('Új jelszó még egyszer').fill('password12345');
		await page.getByRole('button', { name: 'Jelszó mentése' }).click();
		await expectText(page.locator('#reset-status'), /túl könnyű kitalálni/);
		await page.getByLabel('Új jelszó', { exact: true }).fill(NEW_PASSWORD);
		await page.getByLabel('Új jelszó még egyszer').fill(NEW_PASSWORD);
		await page.getByRole('button', { name: 'Jelszó mentése' }).click();
		await expectText(page.locator('#reset-status'), 'A jelszavad megváltozott. Most már bejelentkezhetsz.');
		await page.getByRole('link', { name: 'Bejelentkezés', exact: true }).last().click();
		await expectPage(page, 'hu', LOGIN.heading.hu);
		await signIn(page, url, email, { lang: 'hu', password: NEW_PASSWORD });

		await page.goto(link);
		await page.getByLabel('Új jelszó', { exact: true }).fill('another harbour violin 43');
		await page.getByLabel('Új jelszó még egyszer').fill('another harbour violin 43');
		await page.getByRole('button', { name: 'Jelszó mentése' }).click();
		await expectText(page.locator('#reset-status'), 'A link lejárt, vagy már felhasználták.');
		assert.ok(await page.getByRole('link', { name: 'Új link kérése' }).isVisible());
	});
});
