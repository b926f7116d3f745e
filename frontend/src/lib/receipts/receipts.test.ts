import { beforeEach, describe, expect, it } from 'vitest';
import { local } from '$lib/storage';
import { RECEIPTS_STORAGE_KEY, receiptURL, saveReceipt, savedReceipt, savedReceipts } from './receipts';

describe('receipt codes kept on the device', () => {
	beforeEach(() => local.remove(RECEIPTS_STORAGE_KEY));

	it('keeps one code per place, newest first, and survives junk', () => {
		expect(savedReceipts()).toEqual([]);
		saveReceipt({ scope: 'live:a', code: '7KQ4M2XD9PF', grouped: '7KQ4-M2XD-9PF', title: 'Parcul' });
		saveReceipt({ scope: 'link:b', code: '0000000000A', grouped: '0000-0000-00A', title: 'Curtea' });
		saveReceipt({ scope: 'live:a', code: '7KQ4M2XD9PF', grouped: '7KQ4-M2XD-9PF', title: 'Parcul' });
		expect(savedReceipts().map((r) => r.scope)).toEqual(['live:a', 'link:b']);
		expect(savedReceipt('link:b')?.grouped).toBe('0000-0000-00A');
		expect(savedReceipt('live:none')).toBeNull();
		local.set(RECEIPTS_STORAGE_KEY, '{not json');
		expect(savedReceipts()).toEqual([]);
	});

	it('puts the code in the address of the QR code, escaped', () => {
		expect(receiptURL('https://voci.example', '7KQ4M2XD9P$')).toBe('https://voci.example/r?c=7KQ4M2XD9P%24');
	});
});
