/**
 * What the editor remembers across a hidden tab and a reload (VS Code's getState/setState): the
 * frame, the zoom, the playback position and the strip's scroll. The stored value comes back from
 * outside this code, so it is checked field by field and belongs to one document only.
 */
import { isFloorDb, type FrequencyScale } from './spectrum/mapping';
import { isZoomLevel, type ZoomLevel } from './zoom';

export interface ViewState {
  /** Which document the state belongs to: a folder's or a WAV's title plus its frame count. */
  document: string;
  frame: number;
  zoom: ZoomLevel;
  time: number;
  loop: boolean;
  volume: number;
  follow: boolean;
  offGrid: boolean;
  waveform: boolean;
  spectrogram: boolean;
  frequencyScale: FrequencyScale;
  floorDb: number;
}

export interface StateStore {
  getState(): unknown;
  setState(state: unknown): void;
}

export function restoreState(store: StateStore, document: string): Partial<ViewState> {
  const value = store.getState() as Partial<Record<keyof ViewState, unknown>> | undefined;
  if (!value || typeof value !== 'object' || value.document !== document) return {};
  const state: Partial<ViewState> = {};
  if (typeof value.frame === 'number' && Number.isSafeInteger(value.frame) && value.frame >= 0) state.frame = value.frame;
  if (isZoomLevel(value.zoom)) state.zoom = value.zoom;
  if (typeof value.time === 'number' && Number.isFinite(value.time) && value.time >= 0) state.time = value.time;
  if (typeof value.loop === 'boolean') state.loop = value.loop;
  if (typeof value.volume === 'number' && value.volume >= 0 && value.volume <= 1) state.volume = value.volume;
  if (typeof value.follow === 'boolean') state.follow = value.follow;
  if (typeof value.offGrid === 'boolean') state.offGrid = value.offGrid;
  if (typeof value.waveform === 'boolean') state.waveform = value.waveform;
  if (typeof value.spectrogram === 'boolean') state.spectrogram = value.spectrogram;
  if (value.frequencyScale === 'linear' || value.frequencyScale === 'log') state.frequencyScale = value.frequencyScale;
  if (isFloorDb(value.floorDb)) state.floorDb = value.floorDb;
  return state;
}
