// Written out at build time as an empty shell (the page needs this device's session or the
// server's answer before it can show anything), so that its scripts are named in the HTML.
export const ssr = true;
export const prerender = true;
