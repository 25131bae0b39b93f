/**
 * G.711 A-law and µ-law: decoding (the ITU-T reference conversion) to 16-bit linear values, which
 * the `planes` layout ranks and `compare` reads as audio, and encoding 16-bit values to the code
 * whose value is nearest, through the same tables, for datasets in A-law or µ-law. Pure, for the
 * webview too.
 */
export function alawValue(code: number): number {
  const a = code ^ 0x55;
  const segment = (a & 0x70) >> 4;
  let magnitude = ((a & 0x0f) << 4) + (segment === 0 ? 8 : 0x108);
  if (segment > 1) magnitude <<= segment - 1;
  return a & 0x80 ? magnitude : -magnitude;
}

export function mulawValue(code: number): number {
  const u = ~code & 0xff;
  const magnitude = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
  return u & 0x80 ? 0x84 - magnitude : magnitude - 0x84;
}

/** The codes of silence: µ-law's positive zero, and A-law's smallest positive value (it has no zero). */
export const ALAW_SILENCE = 0xd5;
export const MULAW_SILENCE = 0xff;

const encoders = new Map<'alaw' | 'mulaw', Uint8Array>();

/** The code whose value is nearest to the 16-bit linear `value`; a tie goes to the larger value. */
export function g711Code(format: 'alaw' | 'mulaw', value: number): number {
  let table = encoders.get(format);
  if (!table) {
    table = nearestCodeTable(format === 'alaw' ? alawValue : mulawValue, format === 'alaw' ? ALAW_SILENCE : MULAW_SILENCE);
    encoders.set(format, table);
  }
  return table[Math.max(-32768, Math.min(32767, Math.round(value))) + 32768];
}

/** For every 16-bit value, the nearest code: the codes sorted by value, walked once. */
function nearestCodeTable(valueOf: (code: number) => number, zero: number): Uint8Array {
  // µ-law has two codes for 0: keep the one given as silence.
  const codes = Array.from({ length: 256 }, (_, code) => code).filter((code) => valueOf(code) !== 0 || code === zero);
  codes.sort((a, b) => valueOf(a) - valueOf(b));
  const table = new Uint8Array(65536);
  let i = 0;
  for (let value = -32768; value <= 32767; value++) {
    while (i + 1 < codes.length && valueOf(codes[i + 1]) - value <= value - valueOf(codes[i])) i++;
    table[value + 32768] = codes[i];
  }
  return table;
}
