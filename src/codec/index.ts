/** The codec's public API, for the CLI, the extension and anyone scripting datasets. */
export * from './audioFormat';
export { decodeFolder, defaultWavPath, type DecodeOptions, type DecodeResult } from './decode';
export { defaultFramesFolder, encodeWav, type EncodeOptions, type EncodeResult } from './encode';
export { compareWavs, SEGMENT_SNR_RANGE, type CompareOptions, type CompareResult } from './compare';
export { CancelledError, describeError, ResonanceError } from './errors';
export { frameNamesOf } from './frameNames';
export { planFolder, type Assumptions, type FolderPlan, type MetadataSource } from './folder';
export * from './geometry';
export type { JobOptions, Progress } from './job';
export * from './layout';
export { FORMAT_VERSION, frameFileName, MANIFEST_NAME, type FrameRecord, type Manifest, type StreamInfo } from './manifest';
export { OutputExistsError } from './output';
export { browserPlays, writeFloat32Wav } from './playback';
export { COMPRESSIONS, isCompression, type Compression } from './png/compression';
export { offGridMap, offGridOf, type OffGrid } from './offGrid';
export { defaultReducer, isReducer, REDUCERS, type Reducer } from './reduce';
export { readWavLayout, type WavLayout } from './wav';
export { planWavFrames, renderWavFrame, type WavFrames } from './wavFrames';
