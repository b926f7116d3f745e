/** Session codes are six digits, read aloud or copied from a board. */
export const CODE_LENGTH = 6;

const VALID_CODE = new RegExp(`^[0-9]{${CODE_LENGTH}}$`);

/**
 * Removes what people type around a code without meaning to change it:
 * spaces ("482 913"), dashes and dots ("482-913").
 */
export function normalizeCode(raw: string): string {
	return raw.replace(/[\s.\-\u2010-\u2015]/g, '');
}

/** Whether `code` (already normalized) has the shape of a session code. */
export function isValidCode(code: string): boolean {
	return VALID_CODE.test(code);
}
