import { sendJSON, type ApiResult } from '$lib/api/client';
import { local } from '$lib/storage';

/** A child's receipt code: canonical (eleven characters) and as shown ("7KQ4-M2XD-9PF"). */
export interface ReceiptCode {
	readonly code: string;
	readonly grouped: string;
}

/** What a receipt opens (internal/httpapi/receipts.go). */
export interface ReceiptLookup {
	readonly consultation: {
		readonly id: string;
		readonly title: string;
		readonly audienceBody: string;
		readonly answerBy: string;
		readonly lang: string;
		readonly municipality: { readonly siruta: number; readonly name: string };
	};
	readonly receiptLang: string;
	readonly feedbackPublished: boolean;
	readonly feedbackPublishedAt?: string;
	readonly answerBack: { readonly open: boolean };
}

export type Clarity = 'clear' | 'not_clear';
export type Agreement = 'agree' | 'disagree';

/** The REST calls of receipt codes. Codes travel in bodies, never in addresses. */
export const receiptApi = {
	live: (token: string): Promise<ApiResult<ReceiptCode>> => sendJSON('POST', '/api/v1/live/me/receipt', undefined, { bearer: token }),
	selfPaced: (key: string, token: string): Promise<ApiResult<ReceiptCode>> =>
		sendJSON('POST', `/api/v1/self-paced/${encodeURIComponent(key)}/me/receipt`, undefined, { bearer: token }),
	lookup: (code: string, lang: string): Promise<ApiResult<ReceiptLookup>> => sendJSON('POST', '/api/v1/receipts/lookup', { code, lang }),
	answerBack: (code: string, answer: { clarity?: Clarity; agreement?: Agreement }): Promise<ApiResult<undefined>> =>
		sendJSON('POST', '/api/v1/receipts/answer-back', { code, ...answer })
};

/** The address a receipt's QR code opens: the /r page with the code filled in. */
export function receiptURL(origin: string, code: string): string {
	return `${origin}/r?c=${encodeURIComponent(code)}`;
}

/**
 * Receipt codes kept on this device, so that the child can come back to them: one per place
 * they took part (a live session, a self-paced link), with the consultation's title. Kept in
 * localStorage, never on a shared tablet (the next child must not find the code).
 */
export const RECEIPTS_STORAGE_KEY = 'voci.receipts';

export interface SavedReceipt extends ReceiptCode {
	/** Where the code was given: "live:<session>" or "link:<key>". */
	readonly scope: string;
	readonly title: string;
}

export function savedReceipts(): SavedReceipt[] {
	const raw = local.get(RECEIPTS_STORAGE_KEY);
	if (raw === null) return [];
	try {
		const value: unknown = JSON.parse(raw);
		return Array.isArray(value) ? value.filter(isSavedReceipt) : [];
	} catch {
		return [];
	}
}

function isSavedReceipt(v: unknown): v is SavedReceipt {
	if (typeof v !== 'object' || v === null) return false;
	const r = v as Record<string, unknown>;
	return typeof r.code === 'string' && typeof r.grouped === 'string' && typeof r.scope === 'string' && typeof r.title === 'string';
}

/** The code kept for scope, if any. */
export function savedReceipt(scope: string): SavedReceipt | null {
	return savedReceipts().find((r) => r.scope === scope) ?? null;
}

/** Keeps a code on the device, newest first; at most 20. */
export function saveReceipt(receipt: SavedReceipt): void {
	const others = savedReceipts().filter((r) => r.scope !== receipt.scope && r.code !== receipt.code);
	local.set(RECEIPTS_STORAGE_KEY, JSON.stringify([receipt, ...others].slice(0, 20)));
}
