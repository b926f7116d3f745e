import EarlySelfPaced from '$lib/components/phone/EarlySelfPaced.svelte';
import type { PageLoad } from './$types';

// Written out at build time as a shell: the page needs the server's answer before it can show
// anything, so the shell carries a first screen that its inline script fills in from that
// answer, asked for while the scripts download (see $lib/phone/early).
export const ssr = true;
export const prerender = true;

// The root layout draws it until the page has started.
export const load: PageLoad = () => ({ early: EarlySelfPaced });
