import { PALETTE_ACTIONS } from '../shared/protocol';

/** The extension's command ids, as contributed in package.json; the frames editor's buttons run them too. */
export const COMMAND = {
  encode: 'resonance.encodeToImages',
  decode: 'resonance.decodeFolder',
  preview: 'resonance.previewFrames',
  decodeImage: 'resonance.decodeImage',
  decodeEachImage: 'resonance.decodeEachImage',
  buildDataset: 'resonance.buildDataset',
  auditionSamples: 'resonance.auditionSamples',
  ...PALETTE_ACTIONS,
} as const;
