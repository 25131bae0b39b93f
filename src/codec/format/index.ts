/**
 * The format itself, pure: no Node and no DOM, compiled on its own without either (tsconfig.json
 * here). The webview imports this and nothing else of the codec.
 */
export * from './audioFormat';
export * from './errors';
export { frameNamesOf, type FrameNames } from './frameNames';
export * from './geometry';
export * from './layout';
export { framePixelsProblem } from './limits';
export {
  FORMAT_VERSION,
  frameFileName,
  isFrameFileName,
  MANIFEST_NAME,
  parseFrameRecord,
  TEXT_KEYWORD,
  type Container,
  type FrameRecord,
  type ManifestHead,
  type MetadataSource,
  type SourceContainer,
  type StreamInfo,
} from './manifest';
export { offGridOf, type OffGrid } from './offGrid';
export { cellSpans, defaultReducer, isReducer, REDUCERS, type Reducer, type Spans } from './reduce';
export { makeFloatsSafe, toNumbers, type SafetyCounts } from './sampleValues';
export { ALAW_SILENCE, alawValue, g711Code, MULAW_SILENCE, mulawValue } from './g711';
