/**
 * G.711 A-law and µ-law decoding (the ITU-T reference conversion), to 16-bit linear values: the
 * `planes` layout ranks the codes by value, `compare` reads them as audio. Pure, for the webview too.
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
