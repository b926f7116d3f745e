import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { roAdult } from './adult/ro';
import { ro } from './ro';

// A child's device downloads the children's dictionary only; the adults' one
// is loaded by the adults' layouts. So a children's page, and everything it
// imports, must find all its messages in the children's dictionary. The
// compiler checks the keys it can see; this also catches keys kept in maps,
// passed as props or built from template strings.

const SRC = fileURLToPath(new URL('../../', import.meta.url));
const ROUTES = join(SRC, 'routes');

/** Route folders whose pages are adults' ones: their layouts load the adults' messages. */
const ADULT_GROUPS = ['(adult)', 'm'];
const RESET_TO_ROOT = '+page@.svelte';

function pagesUnder(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return pagesUnder(path);
		return name === '+page.svelte' || name === '+page.ts' || name === RESET_TO_ROOT ? [path] : [];
	});
}

// A page that resets to the root layout (the public municipality page under /m) skips the
// adults' layouts, so it is a children's page wherever it sits.
const childrensPages = pagesUnder(ROUTES).filter(
	(page) => page.endsWith(RESET_TO_ROOT) || !ADULT_GROUPS.includes(relative(ROUTES, page).split('/')[0] ?? '')
);

// Every page renders inside the root layout, and the error page can replace any of them.
const entries = [
	...childrensPages,
	...['+layout.svelte', '+layout.ts', '+error.svelte'].map((name) => join(ROUTES, name)),
	join(SRC, 'hooks.client.ts')
].filter((file) => existsSync(file));

function resolveImport(from: string, specifier: string): string | null {
	let base: string;
	if (specifier.startsWith('$lib/')) base = join(SRC, 'lib', specifier.slice('$lib/'.length));
	else if (specifier.startsWith('.')) base = join(dirname(from), specifier);
	else return null;
	for (const candidate of [base, `${base}.ts`, `${base}.js`, join(base, 'index.ts')]) {
		if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
	}
	throw new Error(`${relative(SRC, from)}: cannot resolve ${specifier}`);
}

// Static imports only: a dynamic import (another language's dictionary) is
// fetched when needed, and type-only imports ship nothing.
const STATIC_IMPORT = /^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

/** The source files a set of entries ships, following their imports. */
function shippedWith(files: readonly string[]): string[] {
	const seen = new Set<string>();
	const visit = (file: string): void => {
		if (seen.has(file)) return;
		seen.add(file);
		for (const [, specifier] of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
			const target = resolveImport(file, specifier ?? '');
			if (target && /\.(ts|js|svelte)$/.test(target)) visit(target);
		}
	};
	files.forEach(visit);
	return [...seen].map((file) => relative(SRC, file)).sort();
}

const shipped = shippedWith(entries);
// The dictionaries hold every key by definition; the code around them is what is checked.
const scanned = shipped.filter((file) => !file.startsWith('lib/i18n/'));
const source = (file: string) => readFileSync(join(SRC, file), 'utf8');

const childrens = new Set(Object.keys(ro));
const adults = new Set(Object.keys(roAdult));

/** Where each file names something: `'a.b'`, `"a.b"` or `` `a.b` `` literals. */
function literals(file: string): string[] {
	return [...source(file).matchAll(/['"`]([A-Za-z_]\w*(?:\.\w+)+)['"`]/g)].map((m) => m[1] ?? '');
}

describe("children's pages", () => {
	it('are found, with the modules they import', () => {
		for (const page of ['routes/join/+page.svelte', 'routes/session/+page.svelte', 'routes/p/[key]/+page.svelte', 'routes/+page.svelte']) {
			expect(shipped).toContain(page);
		}
		// A guard against a scan that silently stops at the first import.
		expect(shipped).toEqual(expect.arrayContaining(['lib/components/HelpButton.svelte', 'lib/live/messages.ts', 'lib/join/join.ts']));
	});

	it("import neither the adults' dictionaries nor their `t`", () => {
		expect(shipped.filter((file) => file.startsWith('lib/i18n/adult/'))).toEqual([]);
	});

	it("name no key of the adults' dictionaries, wherever the key is kept", () => {
		const named = scanned.flatMap((file) => literals(file).filter((key) => adults.has(key)).map((key) => `${file}: ${key}`));
		expect(named).toEqual([]);
	});

	it("translate only keys of the children's dictionary", () => {
		const missing = scanned.flatMap((file) =>
			[...source(file).matchAll(/\bt\(\s*['"`]([^'"`$]+)['"`]/g)]
				.map((m) => m[1] ?? '')
				.filter((key) => !childrens.has(key))
				.map((key) => `${file}: ${key}`)
		);
		expect(missing).toEqual([]);
	});

	it("build keys from template strings only within the children's dictionary", () => {
		// `ageBand.${value}` may become any key that starts with "ageBand.".
		const wrong = scanned.flatMap((file) =>
			[...source(file).matchAll(/`([A-Za-z_]\w*(?:\.\w+)*\.)\$\{/g)]
				.map((m) => m[1] ?? '')
				.filter((prefix) => [...adults].some((key) => key.startsWith(prefix)))
				.map((prefix) => `${file}: ${prefix}…`)
		);
		expect(wrong).toEqual([]);
	});
});
