/**
 * The samples the waveform and the spectrogram draw, fetched from the WAV an <audio> element plays
 * (see clipSamples.ts for why a fetch of that URL rather than a request to the host). Shared by the
 * sequence editor and the gallery's player, which both fetch a WAV once, play it from a blob: URL
 * and decode the same bytes.
 */
import { t } from '../l10n';
import { clipSamples, type ClipSamples } from './clipSamples';

/** The WAV's bytes, whole. */
export async function fetchWav(audioUrl: string, signal: AbortSignal): Promise<Blob> {
  // A URL of its own: VS Code's service worker caches what it serves by URL, and a whole-file
  // answer cached under the <audio>'s URL is what the element gets for its range requests the
  // next time the page is built, after which it cannot seek (measured: a rebuilt editor started
  // at 0 s instead of its saved position). The host ignores the query.
  const samplesUrl = new URL(audioUrl);
  samplesUrl.searchParams.set('for', 'samples');
  const response = await fetch(samplesUrl, { signal });
  if (!response.ok) throw new Error(t('the audio could not be read (HTTP {0})', response.status));
  const blob = await response.blob();
  signal.throwIfAborted();
  performance.mark('resonance:samples-fetched');
  return blob;
}

export async function samplesOfWav(wav: Blob, name: string, signal: AbortSignal): Promise<ClipSamples> {
  const bytes = new Uint8Array(await wav.arrayBuffer());
  signal.throwIfAborted();
  // Decoded in slices with the page painting between them: a long file never holds the page.
  return clipSamples(bytes, name, () => new Promise((resume) => setTimeout(resume, 0)));
}

/** The one line a panel shows when the samples could not be had. */
export function samplesUnavailable(error: unknown): string {
  return t('The waveform and the spectrogram cannot be drawn: {0}', error instanceof Error ? error.message : String(error));
}
