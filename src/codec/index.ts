/** The codec's public API, for the CLI, the extension and anyone scripting datasets. */
export * from './format/audioFormat';
export { decodeFolder, defaultWavPath, type DecodeOptions, type DecodeResult } from './pipeline/decode';
export { defaultFramesFolder, encodeWav, type EncodeOptions, type EncodeResult } from './pipeline/encode';
export { compareWavs, SEGMENT_SNR_RANGE, type CompareOptions, type CompareResult } from './pipeline/compare';
export { CancelledError, describeError, ResonanceError } from './format/errors';
export { frameNamesOf } from './format/frameNames';
export { planFolder, type Assumptions, type FolderPlan, type MetadataSource } from './pipeline/folder';
export * from './format/geometry';
export type { JobOptions, Progress } from './pipeline/job';
export * from './format/layout';
export { FORMAT_VERSION, frameFileName, MANIFEST_NAME, type FrameRecord, type Manifest, type StreamInfo } from './format/manifest';
export { OutputExistsError } from './pipeline/output';
export { browserPlays, writeFloat32Wav } from './pipeline/float32Copy';
export { COMPRESSIONS, isCompression, type Compression } from './png/compression';
export { offGridMap, offGridOf, type OffGrid } from './format/offGrid';
export { defaultReducer, isReducer, REDUCERS, type Reducer } from './format/reduce';
export { readWavLayout, type WavLayout } from './wav/wavFile';
export { planWavFrames, renderWavFrame, type WavFrames } from './pipeline/wavFrames';
