/**
 * `npm run bench -- --samples`: decoding a model's samples, 1,000 generated 256 × 256 images (noisy
 * frames of a dataset's format: s16, stereo, 44.1 kHz, bytes layout, no metadata), in one run:
 *
 * - ours: `resonance decode DIR --each --like DATASET`, one call on every core;
 * - ffmpeg in a shell loop, image by image: the image to raw RGB bytes, the bytes to a WAV;
 * - a Python loop with Pillow and `wave` (bench/python/decode_samples.py).
 *
 * Each gets a fresh output folder. Target: ours at least 5× the ffmpeg loop.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePng } from '../src/codec/png/pngWriter';
import { seededRandom } from '../src/dataset/audio/sampleEncoding';
import { median, onPath, runTimedCommand } from './measure';

const SIDE = 256;
const TARGET_RATIO = 5;

export async function samplesBench(dir: string, cli: string, runs: number, count = 1000): Promise<void> {
  const images = join(dir, 'samples');
  mkdirSync(images);
  const random = seededRandom(11);
  const rgb = new Uint8Array(SIDE * SIDE * 3);
  for (let i = 0; i < count; i++) {
    // A quiet sine with noise, as bytes: the pixels of an s16 stereo clip a model might make.
    for (let p = 0; p < rgb.length; p += 2) {
      const value = Math.round(3000 * Math.sin((p / 4 + i * 97) * 0.0627) + (random() - 0.5) * 600);
      rgb[p] = value & 0xff;
      if (p + 1 < rgb.length) rgb[p + 1] = (value >> 8) & 0xff;
    }
    writeFileSync(join(images, `sample_${String(i).padStart(4, '0')}.png`), encodePng(rgb, { columns: SIDE, rows: SIDE }, { expansion: 1, compression: 'default', texts: [] }));
  }
  const dataset = join(dir, 'dataset');
  mkdirSync(dataset);
  const audio = { sampleFormat: 's16', channels: 2, sampleRate: 44100, bitsPerSample: 16, blockAlign: 4 };
  const clipBytes = Math.floor((SIDE * SIDE * 3) / 4) * 4;
  writeFileSync(join(dataset, 'dataset.json'), JSON.stringify({ format: 'resonance-dataset', version: 1, audio, geometry: { width: SIDE, height: SIDE, expansion: 1 }, layout: 'bytes', clip: { bytes: clipBytes } }));
  console.log(`\nsamples: ${count} generated ${SIDE} × ${SIDE} images (s16 stereo 44.1 kHz, bytes layout, no metadata), decoded each to its own WAV\n`);

  let run = 0;
  const fresh = () => {
    const out = join(dir, `out-${run++}`);
    mkdirSync(out);
    return out;
  };
  const time = (command: string, args: string[]) => runTimedCommand(command, args, dir).seconds;
  const ours = Array.from({ length: runs }, () => time(process.execPath, [cli, 'decode', images, '--each', '--like', dataset, '-o', fresh()]));
  const rows: Array<[string, number[]]> = [['resonance decode --each', ours]];
  if (onPath('ffmpeg')) {
    // The usual loop: ffmpeg reads the PNG as raw RGB bytes into a pipe, a second ffmpeg wraps them as a WAV.
    const loop = (out: string) =>
      `for f in "${images}"/*.png; do n=$(basename "$f" .png); ffmpeg -v error -i "$f" -f rawvideo -pix_fmt rgb24 - | head -c ${clipBytes} | ffmpeg -v error -f s16le -ar 44100 -ac 2 -i - -c:a pcm_s16le "${out}/$n.wav"; done`;
    rows.push(['ffmpeg, image by image', Array.from({ length: runs }, () => time('sh', ['-c', loop(fresh())]))]);
  } else console.log('ffmpeg: not on PATH, left out');
  if (spawnSync('python3', ['-c', 'import PIL'], { stdio: 'ignore' }).status === 0) {
    const script = join(__dirname, '..', '..', 'bench', 'python', 'decode_samples.py');
    rows.push(['Python: Pillow and wave', Array.from({ length: runs }, () => time('python3', [script, images, fresh(), String(clipBytes)]))]);
  } else console.log('python3 with Pillow: not here (apt-get install python3-pil), left out');
  const oursMedian = median(ours);
  for (const [name, seconds] of rows) {
    const m = median(seconds);
    const ratio = name === rows[0][0] ? '' : `, ours ${(m / oursMedian).toFixed(1)}× faster`;
    console.log(`${name.padEnd(26)} ${m.toFixed(2)} s  (${((1000 * m) / count).toFixed(2)} ms per image${ratio})`);
  }
  const ffmpeg = rows.find(([name]) => name.startsWith('ffmpeg'));
  if (ffmpeg) {
    const ratio = median(ffmpeg[1]) / oursMedian;
    console.log(`target: at least ${TARGET_RATIO}× the ffmpeg loop: ${ratio.toFixed(1)}× (${ratio >= TARGET_RATIO ? 'met' : 'NOT met'})`);
  }
}
