/** The extension's command ids, as contributed in package.json; the frames editor's buttons run them too. */
export const COMMAND = {
  encode: 'resonance.encodeToImages',
  decode: 'resonance.decodeFolder',
  preview: 'resonance.previewFrames',
  buildDataset: 'resonance.buildDataset',
} as const;
