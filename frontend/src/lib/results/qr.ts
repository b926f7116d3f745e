import qrcode from 'qrcode-generator';

/**
 * The dark modules of a QR code for `text`, as one SVG path (a unit square
 * per module) and the side of the code in modules, quiet zone included.
 * Drawn in the browser: the join link never goes to a QR service.
 */
export function qrPath(text: string, quiet = 4): { path: string; size: number } {
	const qr = qrcode(0, 'M');
	qr.addData(text, 'Byte');
	qr.make();
	const n = qr.getModuleCount();
	const parts: string[] = [];
	for (let row = 0; row < n; row++) {
		for (let col = 0; col < n; col++) {
			if (qr.isDark(row, col)) parts.push(`M${col + quiet} ${row + quiet}h1v1h-1z`);
		}
	}
	return { path: parts.join(''), size: n + 2 * quiet };
}
