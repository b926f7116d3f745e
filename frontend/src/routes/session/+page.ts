import EarlySession from '$lib/components/phone/EarlySession.svelte';
import type { PageLoad } from './$types';

// Written out at build time as a shell: the page needs this tab's join answer and the live
// connection before it can show anything, so the shell carries a first screen that its inline
// script fills in, opening the connection while the scripts download (see $lib/phone/early).
export const ssr = true;
export const prerender = true;

// The root layout draws it until the page has started.
export const load: PageLoad = () => ({ early: EarlySession });
