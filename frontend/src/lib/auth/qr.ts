/** Splits a base32 secret into groups of four, easier to copy by hand. */
export function groupSecret(secret: string): string {
	return secret.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}
