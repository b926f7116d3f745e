import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// In development, API calls go to a Go server started separately
// (VOCI_API, default http://127.0.0.1:8080).
const api = process.env.VOCI_API ?? 'http://127.0.0.1:8080';

// Children's pages: the root layout and /join, which every child goes through; then a live
// session and a self-paced link, where a child takes part.
const joining = /\/src\/routes\/(\+layout\.|join\/\+page\.svelte)/;
const takingPart = /\/src\/routes\/(join\/next|session|p)\//;
// The site's header, menu and footer, which /join shows (loaded on demand by the root layout).
const siteChrome = /\/src\/lib\/components\/SiteChrome\.svelte$/;
// Libraries only adults' pages load, kept out of the shared runtime: the QR codes, and the
// national map's projection and boundary decoding.
const adultsOnly = /\/node_modules\/(qrcode-generator|d3-[a-z]+|internmap|topojson-client)\//;

/**
 * Whether a module is imported, directly or through other modules, by a page that `pages`
 * matches. Only static imports count: what a page imports on demand (another language, the
 * site's menu) stays a file apart.
 */
function usedBy(pages: RegExp, id: string, getModuleInfo: (id: string) => { importers: readonly string[] } | null, seen = new Set<string>()): boolean {
	if (seen.has(id)) return false;
	seen.add(id);
	return (getModuleInfo(id)?.importers ?? []).some((importer) => pages.test(importer) || usedBy(pages, importer, getModuleInfo, seen));
}

export default defineConfig({
	plugins: [sveltekit()],
	build: {
		rollupOptions: {
			output: {
				// On a slow phone network every file costs a round trip, and a browser opens only
				// six at a time. So Svelte's and SvelteKit's runtime ship as one file rather than a
				// dozen (the QR library and the map's libraries stay apart: only adults' pages load them), and the code of
				// the children's pages is two files: what joining needs, and what taking part adds.
				manualChunks: (id, { getModuleInfo }) => {
					if (id.includes('/node_modules/')) return adultsOnly.test(id) ? undefined : 'runtime';
					if (!id.includes('/src/lib/')) return undefined;
					if (usedBy(joining, id, getModuleInfo)) return 'phone';
					if (!usedBy(takingPart, id, getModuleInfo)) return undefined;
					// Shared by the menu and taking part (the language buttons): /join needs it too.
					return usedBy(siteChrome, id, getModuleInfo) ? 'phone' : 'phone-taking-part';
				}
			}
		}
	},
	server: {
		proxy: {
			// ws: the live sessions' websockets live under /api too.
			'/api': { target: api, ws: true },
			'/healthz': api,
			'/readyz': api
		}
	},
	test: {
		include: ['src/**/*.test.ts'],
		environment: 'node'
	}
});
