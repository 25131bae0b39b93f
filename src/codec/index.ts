/**
 * The codec's public API for Node: the CLI, the extension, the dataset layer and anyone scripting.
 * Its floors, each importing only those below it: format/ (pure), files/ (safe file access), wav/
 * and png/ (the containers), pipeline/ (encode, decode, the frame pool, outputs).
 */
export * from './format';
export { describeError, toResonanceError } from './files/systemErrors';
export { entryKindProblem, framesSetProblem, keptProblem, replaceProblem, type EntryKind, type FolderEntry, type OutputKind } from './files/outputTargets';
export { readManifest } from './files/manifestFile';
export { canonicalContainer, readWavFile, type WavFile } from './wav/wavFile';
export { COMPRESSIONS, isCompression, type Compression } from './png/compression';
export { compareWavs, SEGMENT_SNR_RANGE, type CompareOptions, type CompareResult } from './pipeline/compare';
export { decodeFolder, defaultWavPath, type DecodeOptions, type DecodeResult } from './pipeline/decode';
export { defaultFramesFolder, encodeWav, type EncodeOptions, type EncodeResult } from './pipeline/encode';
export { browserPlays, writeFloat32Wav } from './pipeline/float32Copy';
export { planFolder, type Assumptions, type FolderPlan } from './pipeline/folder';
export { offGridMap } from './pipeline/frameCodec';
export type { JobOptions, Progress } from './pipeline/job';
export { planWavFrames, renderWavFrame, type WavFrames } from './pipeline/wavFrames';
export {
  decodeImages,
  defaultImageWavPath,
  defaultWavFolder,
  imagesIn,
  wavNamesFor,
  type DecodeImagesOptions,
  type DecodeImagesResult,
  type ImageFailure,
  type ImageToWav,
} from './pipeline/decodeImages';
export type { DecodedImageFile, ImageParameters } from './pipeline/imageDecode';
export { readPngHeaderFile } from './png/pngFile';
