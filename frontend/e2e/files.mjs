// What an exported file holds, read by the test itself: an XLSX is a zip of XML parts, and
// the PDF's page streams are deflated and show UTF-16 strings.
import assert from 'node:assert/strict';
import { inflateRawSync, inflateSync } from 'node:zlib';

/** The text of every XML part of a zip (an XLSX), read through its central directory. */
export function zipTexts(buf) {
	let end = buf.length - 22;
	while (end >= 0 && buf.readUInt32LE(end) !== 0x06054b50) end--;
	assert.ok(end >= 0, 'not a zip file');
	const count = buf.readUInt16LE(end + 10);
	let at = buf.readUInt32LE(end + 16);
	const parts = {};
	for (let i = 0; i < count; i++) {
		const method = buf.readUInt16LE(at + 10);
		const size = buf.readUInt32LE(at + 20);
		const nameLen = buf.readUInt16LE(at + 28);
		const extraLen = buf.readUInt16LE(at + 30);
		const commentLen = buf.readUInt16LE(at + 32);
		const local = buf.readUInt32LE(at + 42);
		const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
		const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
		const raw = buf.subarray(start, start + size);
		parts[name] = (method === 8 ? inflateRawSync(raw) : raw).toString('utf8');
		at += 46 + nameLen + extraLen + commentLen;
	}
	return parts;
}

/** The strings an fpdf PDF shows (Tj operands, UTF-16BE), one per line. */
export function pdfText(buf) {
	const out = [];
	const bin = buf.toString('latin1');
	const re = /<<([^>]*?)>>\s*stream\r?\n/g;
	let m;
	while ((m = re.exec(bin)) !== null) {
		const start = m.index + m[0].length;
		const stop = bin.indexOf('endstream', start);
		let body = buf.subarray(start, stop);
		if (m[1].includes('FlateDecode')) {
			try {
				body = inflateSync(body);
			} catch {
				continue;
			}
		}
		const text = body.toString('latin1');
		const strings = /\(((?:\\.|[^\\)])*)\)\s*Tj/gs;
		let s;
		while ((s = strings.exec(text)) !== null) {
			const bytes = Buffer.from(s[1].replace(/\\(.)/gs, (_, c) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c), 'latin1');
			let str = '';
			for (let i = 0; i + 1 < bytes.length; i += 2) str += String.fromCharCode((bytes[i] << 8) | bytes[i + 1]);
			out.push(str);
		}
	}
	return out.join('\n');
}
