/**
 * `npm run robustness`: how well frames survive what a model or an image pipeline does to them.
 * Encodes the benchmark signal (bench/musicWav.ts: music-like 16-bit stereo at 44.1 kHz, raised to
 * peak at −1 dBFS) in each layout at expansion 1 and 4 on 768 × 768 frames, damages the frames,
 * decodes them with each reducer and prints the SNR of the decoded audio against the original as a
 * Markdown table (the one in the README), then checks the targets of issue 6.
 *
 *   --seconds N   length of the signal (default 10)
 *
 * Frames are decoded from disk with the manifest beside them and their text chunks gone, as a
 * model's outputs would come back. Files go to a temporary folder that is removed at the end.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareWavs, decodeFolder, encodeWav, LAYOUT_NAMES, MANIFEST_NAME, REDUCERS, type LayoutName, type Reducer } from '../src/codec';
import { decodePng } from '../src/codec/png/pngReader';
import { encodePng } from '../src/codec/png/pngWriter';
import { writeMusicWav } from './musicWav';
import { seededRandom } from '../src/dataset/audio/sampleEncoding';
import { blur121, gaussianNoise, jpegLike, resizeBilinear, type RgbImage } from './robustnessDamage';

const SIDE = 768;
const EXPANSIONS = [1, 4];
const SAMPLE_RATE = 44100;
const BLOCK_ALIGN = 4;
const PEAK_DBFS = -1;

interface Damage {
  name: string;
  apply(image: RgbImage, frame: number): RgbImage;
}

const noise = (sigma: number): Damage => ({ name: `Gaussian noise σ = ${sigma}`, apply: (image, frame) => gaussianNoise(image, sigma, seededRandom(1000 * sigma + frame)) });

const DAMAGES: Damage[] = [
  { name: 'none', apply: (image) => image },
  noise(1),
  noise(2),
  noise(4),
  noise(8),
  { name: 'blur [1,2,1] ⊗ [1,2,1]', apply: blur121 },
  { name: 'resize to 512 × 512 and back (bilinear)', apply: (image) => resizeBilinear(resizeBilinear(image, 512, 512), SIDE, SIDE) },
  { name: 'resize to 512 × 512, decoded at that size', apply: (image) => resizeBilinear(image, 512, 512) },
  { name: 'JPEG quality 90 (4:4:4)', apply: (image) => jpegLike(image, 90, false) },
  { name: 'JPEG quality 75 (4:2:0)', apply: (image) => jpegLike(image, 75, true) },
];

interface Column {
  layout: LayoutName;
  expansion: number;
  reducer: Reducer;
}

/** At expansion 1 every reducer reads a pixel as itself: one column. */
const COLUMNS: Column[] = LAYOUT_NAMES.flatMap((layout) =>
  EXPANSIONS.flatMap((expansion) => (expansion === 1 ? [{ layout, expansion, reducer: 'mean' as Reducer }] : REDUCERS.map((reducer) => ({ layout, expansion, reducer })))),
);

function parseSeconds(argv: string[]): number {
  const i = argv.indexOf('--seconds');
  if (i < 0) return 10;
  const seconds = Number(argv[i + 1]);
  if (!(seconds > 0)) throw new Error('--seconds needs a positive number');
  return seconds;
}

/**
 * Raises the WAV (canonical 44-byte header, s16) to peak at PEAK_DBFS, as mastered music does: the
 * generator leaves about 8 dB of headroom, and SNR under noise moves one for one with the level.
 * Returns the gain in dB.
 */
function normalisePeak(path: string): number {
  const wav = readFileSync(path);
  const samples = new Int16Array(wav.buffer, wav.byteOffset + 44, (wav.length - 44) >> 1);
  const peak = samples.reduce((max, v) => Math.max(max, Math.abs(v)), 1);
  const gain = (32767 * 10 ** (PEAK_DBFS / 20)) / peak;
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(samples[i] * gain);
  writeFileSync(path, wav);
  return 20 * Math.log10(gain);
}

async function readFrames(folder: string): Promise<Array<{ name: string; image: RgbImage }>> {
  const names = (await readdir(folder)).filter((name) => name.endsWith('.png')).sort();
  return Promise.all(
    names.map(async (name) => {
      const file = join(folder, name);
      const { header, rgb } = decodePng(await readFile(file), file);
      return { name, image: { width: header.width, height: header.height, rgb } };
    }),
  );
}

async function main(): Promise<void> {
  const seconds = parseSeconds(process.argv.slice(2));
  const work = mkdtempSync(join(tmpdir(), 'resonance-robustness-'));
  const started = performance.now();
  try {
    const wav = join(work, 'music.wav');
    writeMusicWav(wav, Math.round(seconds * SAMPLE_RATE) * BLOCK_ALIGN);
    const gainDb = normalisePeak(wav);
    // snr[damage][column]
    const snr = DAMAGES.map(() => new Array<number>(COLUMNS.length).fill(NaN));
    for (const layout of LAYOUT_NAMES) {
      for (const expansion of EXPANSIONS) {
        const encoded = join(work, `${layout}-${expansion}`);
        await encodeWav(wav, { output: encoded, geometry: { width: SIDE, height: SIDE, expansion }, layout, workers: 0, compression: 'fast' });
        const manifest = await readFile(join(encoded, MANIFEST_NAME));
        const frames = await readFrames(encoded);
        for (const [d, damage] of DAMAGES.entries()) {
          const damaged = join(work, `${layout}-${expansion}-${d}`);
          await mkdir(damaged);
          await writeFile(join(damaged, MANIFEST_NAME), manifest);
          for (const [index, { name, image }] of frames.entries()) {
            const out = damage.apply(image, index);
            await writeFile(join(damaged, name), encodePng(out.rgb, { columns: out.width, rows: out.height }, { expansion: 1, compression: 'fast' }));
          }
          for (const [c, column] of COLUMNS.entries()) {
            if (column.layout !== layout || column.expansion !== expansion) continue;
            const output = join(work, 'decoded.wav');
            await decodeFolder(damaged, { output, overwrite: true, reducer: column.reducer, workers: 0 });
            snr[d][c] = (await compareWavs(wav, output)).snrDb;
          }
          rmSync(damaged, { recursive: true });
          process.stderr.write(`  ${layout}, expansion ${expansion}: ${damage.name}\n`);
        }
        rmSync(encoded, { recursive: true });
      }
    }
    printTable(snr, seconds, gainDb);
    const failed = checkTargets(snr);
    process.stderr.write(`${((performance.now() - started) / 1000).toFixed(0)} s\n`);
    process.exitCode = failed ? 1 : 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const cell = (value: number) => (value === Infinity ? 'exact' : value.toFixed(1));

function printTable(snr: number[][], seconds: number, gainDb: number): void {
  const header = COLUMNS.map((c) => `${c.layout} E${c.expansion}${c.expansion > 1 ? ` ${c.reducer}` : ''}`);
  const lines = [
    `SNR in dB of the decoded audio (${seconds} s of bench/musicWav.ts raised ${gainDb.toFixed(1)} dB to peak at ${PEAK_DBFS} dBFS; 768 × 768 frames; "exact": bit-exact)`,
    '',
    `| damage | ${header.join(' | ')} |`,
    `| --- | ${header.map(() => '---:').join(' | ')} |`,
    ...DAMAGES.map((damage, d) => `| ${damage.name} | ${snr[d].map(cell).join(' | ')} |`),
  ];
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

/** Issue 6's targets; true when one is missed. */
function checkTargets(snr: number[][]): boolean {
  const at = (damage: string, match: (c: Column) => boolean) => {
    const d = DAMAGES.findIndex((x) => x.name.startsWith(damage));
    return Math.max(...COLUMNS.map((c, i) => (match(c) ? snr[d][i] : -Infinity)));
  };
  const targets = [
    { what: 'unchanged frames, every layout, expansion and reducer: exact', ok: COLUMNS.every((_, i) => snr[0][i] === Infinity) },
    { what: 'σ = 2 at expansion 4 (best reducer): ≥ 30 dB', value: at('Gaussian noise σ = 2', (c) => c.expansion === 4), min: 30 },
    { what: 'blur at expansion 4 with center: exact, both layouts', ok: COLUMNS.every((c, i) => c.expansion !== 4 || c.reducer !== 'center' || snr[5][i] === Infinity) },
    { what: 'blur at expansion 1 with planes: ≥ 9 dB', value: at('blur', (c) => c.expansion === 1 && c.layout === 'planes'), min: 9 },
  ];
  let failed = false;
  for (const target of targets) {
    const ok = target.ok ?? target.value! >= target.min!;
    failed ||= !ok;
    process.stdout.write(`${ok ? 'met   ' : 'MISSED'}  ${target.what}${target.value === undefined ? '' : ` (${cell(target.value)} dB)`}\n`);
  }
  return failed;
}

main().catch((error) => {
  process.stderr.write(`robustness: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
