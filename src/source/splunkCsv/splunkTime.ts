const ISO = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d{1,9}))?)?\s*(Z|UTC|GMT|[+-]\d\d:?\d\d)?$/i;

/**
 * `_time` as Splunk exports it: ISO 8601 with an offset (2026-01-31T12:00:10.000+00:00; UTC when
 * it names none) or epoch seconds with decimals (1769860810.000). Epoch ms, or NaN.
 */
export function parseSplunkTime(raw: string): number {
  const s = raw.trim();
  if (/^\d+(?:\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const m = ISO.exec(s);
  if (!m) return NaN;
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000 + 1e-6) : 0;
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec ?? 0), ms);
  if (Number(d) > new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate() || Number(h) > 23 || Number(mi) > 59) return NaN;
  if (zone && /^[+-]/.test(zone)) {
    const z = zone.replace(':', '');
    const off = (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5))) * 60_000;
    t -= zone[0] === '+' ? off : -off;
  }
  return t;
}
