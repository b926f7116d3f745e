import { describe, expect, it } from 'vitest';
import { describeDevice } from './device';
import { groupSecret } from './qr';

describe('describeDevice', () => {
	it.each([
		['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36', 'Chrome', 'Linux'],
		['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/140.0 Safari/537.36 Edg/140.0', 'Edge', 'Windows'],
		['Mozilla/5.0 (Android 14; Mobile; rv:140.0) Gecko/140.0 Firefox/140.0', 'Firefox', 'Android'],
		['Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile/15E148 Safari/604.1', 'Safari', 'iOS'],
		['Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 SamsungBrowser/27.0 Chrome/125.0 Mobile Safari/537.36', 'Samsung Internet', 'Android']
	])('names %s', (ua, browser, system) => {
		expect(describeDevice(ua)).toEqual({ browser, system });
	});

	it('gives up on what it does not know', () => {
		expect(describeDevice('')).toBeNull();
		expect(describeDevice('curl/8.5.0')).toBeNull();
	});
});

describe('groupSecret', () => {
	it('groups a base32 secret by four', () => {
		expect(groupSecret('JBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP');
		expect(groupSecret('JBSWY3')).toBe('JBSW Y3');
	});
});
