// RFC 6238 codes, computed the way an authenticator app does, so the browser
// tests can turn on two-step sign-in and sign in with it for real.
import { createHmac } from 'node:crypto';

function base32Decode(text) {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
	let bits = '';
	for (const char of text.replace(/[\s=]/g, '').toUpperCase()) {
		const value = alphabet.indexOf(char);
		if (value < 0) throw new Error(`not base32: ${char}`);
		bits += value.toString(2).padStart(5, '0');
	}
	const bytes = [];
	for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
	return Buffer.from(bytes);
}

/** The 6-digit code for `secret` (base32, spaces allowed) at `time`, 30-second steps, SHA-1. */
export function totpCode(secret, time = Date.now()) {
	const counter = Buffer.alloc(8);
	counter.writeBigUInt64BE(BigInt(Math.floor(time / 1000 / 30)));
	const hmac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
	const offset = hmac[hmac.length - 1] & 0x0f;
	const value = (hmac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
	return String(value).padStart(6, '0');
}
