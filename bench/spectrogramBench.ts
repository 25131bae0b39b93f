/**
 * `node out/bench/spectrogramBench.js`: how long the spectrum worker's computation takes for a 10 s
 * clip at 44.1 kHz on an 800 × 256 panel (the target is 100 ms from request to drawn), and for
 * 10 minutes, on both frequency scales; medians of 5, in this process (the worker runs the same code). The
 * figures depend on the machine's load: print `uptime` beside them.
 */
import { performance } from 'node:perf_hooks';
import { computeSpectrum } from '../src/webview/spectrum/spectrumCompute';
import { fftSizeFor, hopFor } from '../src/webview/spectrum/spectrumService';
import type { FrequencyScale } from '../src/webview/spectrum/mapping';

const RATE = 44100;

function musicLike(seconds: number): Float32Array {
  const out = new Float32Array(RATE * seconds);
  let seed = 1;
  for (let i = 0; i < out.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const t = i / RATE;
    out[i] = 0.3 * Math.sin(2 * Math.PI * 220 * t) + 0.2 * Math.sin(2 * Math.PI * (440 + 200 * Math.sin(t)) * t) + 0.05 * (seed / 2 ** 32 - 0.5);
  }
  return out;
}

for (const seconds of [10, 600]) {
  const samples = musicLike(seconds);
  for (const scale of ['log', 'linear'] as FrequencyScale[]) {
    const view = { width: 800, height: 256, scale, floorDb: -90, ceilingDb: 0 };
    const hop = hopFor(samples.length, view.width);
    const times: number[] = [];
    for (let run = 0; run < 5; run++) {
      const result = computeSpectrum({ id: run, samples, sampleRate: RATE, fftSize: fftSizeFor(RATE, hop), hop, view, waveformWidth: 800 }, () => performance.now());
      times.push(result.milliseconds);
    }
    times.sort((a, b) => a - b);
    console.log(`spectrogram ${seconds} s, ${scale}, 800 × 256, fft ${fftSizeFor(RATE, hop)}, hop ${hop}: median ${times[2].toFixed(1)} ms (min ${times[0].toFixed(1)}, max ${times[4].toFixed(1)})`);
  }
}
