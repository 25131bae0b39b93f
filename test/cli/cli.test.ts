/**
 * The `resonance` executable end to end: the built dist/cli.js run as a child process, with stdout
 * and stderr piped as a script would have them.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PNG } from 'pngjs';
import { makeAudioFormat } from '../../src/codec/format/audioFormat';
import { canonicalContainer } from '../../src/codec/wav/wavFile';
import { withoutTextChunks } from '../helpers/pngFiles';
import { CLI, ROOT, ensureBuilt, finished, fixtureCopy, lines, runBinary, tempFolder } from './harness';

before(ensureBuilt);

/** Where the data chunk's bytes sit in a RIFF/WAVE file, found by walking its chunks. */
function dataChunk(wav: Buffer): { offset: number; length: number } {
  for (let position = 12; position + 8 <= wav.length; ) {
    const size = wav.readUInt32LE(position + 4);
    if (wav.toString('latin1', position, position + 4) === 'data') return { offset: position + 8, length: size };
    position += 8 + size + (size & 1);
  }
  throw new Error('no data chunk');
}

function assertOneLineFailure(run: { code: number | null; stdout: string; stderr: string }, code: number, ...mentions: string[]): void {
  assert.equal(run.code, code, `exit code; stderr: ${run.stderr}`);
  assert.equal(run.stdout, '');
  const errorLines = lines(run.stderr);
  assert.equal(errorLines.length, 1, `exactly one line on stderr, got: ${run.stderr}`);
  assert.doesNotMatch(run.stderr, /^\s+at /m, 'no stack trace');
  for (const mention of mentions) assert.ok(errorLines[0].includes(mention), `"${errorLines[0]}" mentions "${mention}"`);
}

const GEOMETRY = ['--width', '64', '--height', '48', '--expansion', '2'];

test('encode then decode gives back the WAV byte for byte, reporting every frame unchanged', async () => {
  const wav = await fixtureCopy('ff_list_s16_stereo.wav');
  const folder = dirname(wav);
  const encoded = await runBinary(['encode', basename(wav), ...GEOMETRY], folder);
  assert.equal(encoded.code, 0, encoded.stderr);
  assert.equal(encoded.stderr, '');
  const frames = join(folder, 'ff_list_s16_stereo_frames');
  const pngs = (await readdir(frames)).filter((name) => name.endsWith('.png'));
  const dataLength = dataChunk(await readFile(wav)).length;
  assert.equal(pngs.length, Math.ceil(dataLength / (32 * 24 * 3)));
  assert.match(encoded.stdout, new RegExp(`${pngs.length} frames of 64 × 48, expansion 2`));

  const decoded = await runBinary(['decode', 'ff_list_s16_stereo_frames', '-o', 'back.wav'], folder);
  assert.equal(decoded.code, 0, decoded.stderr);
  assert.equal(decoded.stderr, '');
  assert.deepEqual(await readFile(join(folder, 'back.wav')), await readFile(wav));
  assert.match(decoded.stdout, new RegExp(`${pngs.length} of ${pngs.length} frames unchanged`));
  assert.match(decoded.stdout, /exact\s+yes/);
  assert.match(decoded.stdout, /header\s+original, from resonance\.json/);
});

test('default outputs sit beside the input: FILE_frames, then FILE_frames.wav', async () => {
  const wav = await fixtureCopy('pluck-pcm16.wav');
  const folder = dirname(wav);
  assert.equal((await runBinary(['encode', wav], ROOT)).code, 0);
  assert.ok((await stat(join(folder, 'pluck-pcm16_frames', 'resonance.json'))).isFile());
  assert.equal((await runBinary(['decode', join(folder, 'pluck-pcm16_frames')], ROOT)).code, 0);
  assert.deepEqual(await readFile(join(folder, 'pluck-pcm16_frames.wav')), await readFile(wav));
});

test('without the manifest, frame 0 text chunk still rebuilds the original file', async () => {
  const wav = await fixtureCopy('pluck-pcm16.wav');
  const folder = dirname(wav);
  assert.equal((await runBinary(['encode', wav, '-o', 'frames', ...GEOMETRY], folder)).code, 0);
  await rm(join(folder, 'frames', 'resonance.json'));
  const decoded = await runBinary(['decode', 'frames', '-o', 'back.wav'], folder);
  assert.equal(decoded.code, 0, decoded.stderr);
  assert.deepEqual(await readFile(join(folder, 'back.wav')), await readFile(wav));
  assert.match(decoded.stdout, /header\s+original, from the first frame's text chunk/);
});

test('a frame changed by another tool is reported as modified, and the data is no longer exact', async () => {
  const wav = await fixtureCopy('pluck-pcm16.wav');
  const folder = dirname(wav);
  assert.equal((await runBinary(['encode', wav, '-o', 'frames', ...GEOMETRY], folder)).code, 0);
  const target = join(folder, 'frames', 'frame_00002.png');
  const image = PNG.sync.read(await readFile(target));
  image.data[0] ^= 0x40;
  await writeFile(target, PNG.sync.write(image, { colorType: 2 }));
  const decoded = await runBinary(['decode', 'frames', '-o', 'back.wav'], folder);
  assert.equal(decoded.code, 0, decoded.stderr);
  const frameCount = (await readdir(join(folder, 'frames'))).filter((name) => name.endsWith('.png')).length;
  assert.match(decoded.stdout, new RegExp(`${frameCount - 1} of ${frameCount} frames unchanged; modified: frame 3\\n`));
  assert.match(decoded.stdout, /exact\s+no/);
});

test('frames with no metadata at all decode from --sample-rate, --channels, --format and --expansion', async () => {
  const wav = await fixtureCopy('pluck-pcm16.wav');
  const folder = dirname(wav);
  assert.equal((await runBinary(['encode', wav, '-o', 'frames', ...GEOMETRY], folder)).code, 0);
  const bare = join(folder, 'bare');
  await mkdir(bare);
  for (const name of await readdir(join(folder, 'frames'))) {
    if (name.endsWith('.png')) await writeFile(join(bare, name), withoutTextChunks(await readFile(join(folder, 'frames', name))));
  }

  assertOneLineFailure(await runBinary(['decode', 'bare'], folder), 1, 'bare', 'sample rate, channels, sample format');

  const decoded = await runBinary(['decode', 'bare', '--sample-rate', '11025', '--channels', '2', '--format', 's16', '--expansion', '2'], folder);
  assert.equal(decoded.code, 0, decoded.stderr);
  assert.match(decoded.stdout, /header\s+canonical/);
  assert.match(decoded.stdout, /exact\s+unknown/);
  const original = await readFile(wav);
  const back = await readFile(join(folder, 'bare.wav'));
  const source = dataChunk(original);
  const rebuilt = dataChunk(back);
  assert.equal(back.toString('latin1', 0, 4), 'RIFF');
  assert.equal(back.readUInt16LE(22), 2, 'channels in the canonical header');
  assert.equal(back.readUInt32LE(24), 11025, 'sample rate in the canonical header');
  // Without metadata the length of the audio is not known: every frame is decoded in full.
  assert.deepEqual(back.subarray(rebuilt.offset, rebuilt.offset + source.length), original.subarray(source.offset, source.offset + source.length));
  assert.ok(back.subarray(rebuilt.offset + source.length, rebuilt.offset + rebuilt.length).every((byte) => byte === 0), 'zero padding of the last frame');
});

test('options that the metadata makes unnecessary are named as ignored', async () => {
  const wav = await fixtureCopy('pluck-pcm16.wav');
  const folder = dirname(wav);
  assert.equal((await runBinary(['encode', wav, '-o', 'frames'], folder)).code, 0);
  const decoded = await runBinary(['decode', 'frames', '--sample-rate', '48000', '--format', 'f32'], folder);
  assert.equal(decoded.code, 0, decoded.stderr);
  assert.deepEqual(lines(decoded.stderr), ['resonance decode: resonance.json gives the parameters; ignored --sample-rate, --format']);
  assert.deepEqual(await readFile(join(folder, 'frames.wav')), await readFile(wav));
});

test('an existing output is refused without --force, untouched, and replaced with it', async () => {
  const wav = await fixtureCopy('pluck-pcm16.wav');
  const folder = dirname(wav);
  assert.equal((await runBinary(['encode', wav, '-o', 'frames'], folder)).code, 0);
  const manifestBefore = await readFile(join(folder, 'frames', 'resonance.json'), 'utf8');

  assertOneLineFailure(await runBinary(['encode', wav, '-o', 'frames', ...GEOMETRY], folder), 1, 'frames already exists; use --force to replace it');
  assert.equal(await readFile(join(folder, 'frames', 'resonance.json'), 'utf8'), manifestBefore);

  const forced = await runBinary(['encode', wav, '-o', 'frames', ...GEOMETRY, '--force'], folder);
  assert.equal(forced.code, 0, forced.stderr);
  assert.deepEqual(JSON.parse(await readFile(join(folder, 'frames', 'resonance.json'), 'utf8')).geometry, { width: 64, height: 48, expansion: 2 });
  assert.deepEqual((await readdir(folder)).sort(), ['frames', 'pluck-pcm16.wav'], 'no temporary output left behind');

  const precious = Buffer.from('not to be lost');
  await writeFile(join(folder, 'out.wav'), precious);
  assertOneLineFailure(await runBinary(['decode', 'frames', '-o', 'out.wav'], folder), 1, 'out.wav already exists; use --force to replace it');
  assert.deepEqual(await readFile(join(folder, 'out.wav')), precious);
  assert.equal((await runBinary(['decode', 'frames', '-o', 'out.wav', '--force'], folder)).code, 0);
  assert.deepEqual(await readFile(join(folder, 'out.wav')), await readFile(wav));
});

test('usage errors exit 2 with one line naming the mistake', async () => {
  const wav = await fixtureCopy('pluck-pcm16.wav');
  const folder = dirname(wav);
  const cases: Array<[string[], string]> = [
    [['encode', wav, '--width', 'abc'], '--width must be a whole number of at least 1, not "abc"'],
    [['encode', wav, '--width', '0'], '--width must be a whole number of at least 1, not "0"'],
    [['encode', wav, '--height', '2.5'], '--height must be a whole number'],
    [['decode', 'frames', '--workers', 'all'], '--workers must be a whole number of at least 0, not "all"'],
    [['encode', wav, '--expansion', '-3'], '--expansion needs a value'],
    [['encode', wav, '--width', '770', '--expansion', '4'], 'must both be multiples of the pixel expansion 4'],
    [['encode', wav, '--compression', 'huge'], '--compression must be one of fast, default, small'],
    [['encode', wav, '--bogus'], 'unknown option --bogus'],
    [['encode', wav, '--force=yes'], '--force takes no value'],
    [['encode'], 'missing FILE.wav'],
    [['encode', wav, 'extra'], 'unexpected argument "extra"'],
    [['decode', folder, '--format', 's12'], '--format must be one of u8, s16'],
    [['decode', folder, '--channels', 'two'], '--channels must be a whole number'],
    [['info', wav, '--width'], '--width needs a value'],
    [['transmogrify'], 'unknown command "transmogrify"'],
    [[], 'no command given'],
  ];
  for (const [args, message] of cases) {
    assertOneLineFailure(await runBinary(args, folder), 2, message);
  }
  assert.deepEqual(await readdir(folder), ['pluck-pcm16.wav'], 'a usage error writes nothing');
});

test('failures exit 1 with one line naming the file and the problem', async () => {
  const folder = await tempFolder();
  await writeFile(join(folder, 'notes.wav'), 'these are words, not audio');
  const original = await readFile(join(ROOT, 'test', 'fixtures', 'pluck-pcm16.wav'));
  await writeFile(join(folder, 'cut.wav'), original.subarray(0, 4000));
  await mkdir(join(folder, 'empty'));
  await mkdir(join(folder, 'broken'));
  await writeFile(join(folder, 'broken', 'frame_00000.png'), randomBytes(100));

  assertOneLineFailure(await runBinary(['encode', 'notes.wav'], folder), 1, 'notes.wav', 'not a WAV file');
  assertOneLineFailure(await runBinary(['encode', 'cut.wav', '--strict'], folder), 1, 'cut.wav', 'truncated');
  assertOneLineFailure(await runBinary(['encode', 'missing.wav'], folder), 1, 'missing.wav', 'no such file');
  assertOneLineFailure(await runBinary(['decode', 'empty'], folder), 1, 'empty', 'no PNG frames');
  assertOneLineFailure(
    await runBinary(['decode', 'broken', '--sample-rate', '8000', '--channels', '1', '--format', 'u8'], folder),
    1,
    'frame_00000.png',
    'not a PNG',
  );
  assertOneLineFailure(await runBinary(['info', 'notes.wav'], folder), 1, 'notes.wav', 'not a WAV file');
  assert.deepEqual((await readdir(folder)).sort(), ['broken', 'cut.wav', 'empty', 'notes.wav'], 'nothing half-written');
});

test('--help for the program and for each command, --version', async () => {
  const folder = await tempFolder();
  const overview = await runBinary(['--help'], folder);
  assert.equal(overview.code, 0);
  for (const command of ['encode', 'decode', 'info']) assert.match(overview.stdout, new RegExp(`^  ${command} `, 'm'));

  const expected: Record<string, string[]> = {
    encode: ['Usage: resonance encode FILE.wav', '-o, --output DIR', '--width N', '--height N', '--expansion N', '--compression fast|default|small', '--force'],
    decode: [
      'Usage: resonance decode PATH',
      '-o, --output OUT',
      '--like SOURCE',
      '--each',
      '--join',
      '--raw',
      '--strict',
      '--sample-rate N',
      '--channels N',
      '--format u8|s16|s24|s32|f32|f64|alaw|mulaw',
      '--expansion N',
      '--force',
    ],
    info: ['Usage: resonance info FILE.wav|DIR', '--json', '--width N', '--sample-rate N'],
  };
  for (const [command, mentions] of Object.entries(expected)) {
    for (const args of [[command, '--help'], [command, '-h'], ['help', command], [command, 'x', '--width', 'abc', '--help']]) {
      const run = await runBinary(args, folder);
      assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
      assert.equal(run.stderr, '');
      for (const mention of mentions) assert.ok(run.stdout.includes(mention), `${args.join(' ')} mentions ${mention}`);
    }
  }

  const packageJson = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
  const version = await runBinary(['--version'], folder);
  assert.deepEqual([version.code, version.stdout], [0, `${packageJson.version}\n`]);
});

test('info describes a WAV file, as text and as JSON', async () => {
  const wav = await fixtureCopy('pluck-pcm16.wav');
  const bytes = await readFile(wav);
  const data = dataChunk(bytes);
  const text = await runBinary(['info', wav], ROOT);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /container\s+RIFF/);
  assert.match(text.stdout, /audio\s+s16, stereo, 11025 Hz/);
  assert.match(text.stdout, new RegExp(`data\\s+${data.length.toLocaleString('en-US')} bytes .* at offset ${data.offset}`));
  assert.match(text.stdout, /frames\s+1 frame at 768 × 768, expansion 1/);

  const json = await runBinary(['info', wav, '--json', ...GEOMETRY], ROOT);
  assert.equal(json.code, 0, json.stderr);
  const facts = JSON.parse(json.stdout);
  assert.equal(facts.kind, 'wav');
  assert.equal(facts.container, 'RIFF');
  assert.equal(facts.fileSize, bytes.length);
  assert.equal(facts.dataOffset, data.offset);
  assert.equal(facts.dataLength, data.length);
  assert.deepEqual(
    { ...facts.audio },
    { sampleFormat: 's16', channels: bytes.readUInt16LE(22), sampleRate: bytes.readUInt32LE(24), bitsPerSample: 16, blockAlign: bytes.readUInt16LE(32) },
  );
  assert.equal(facts.durationSeconds, data.length / bytes.readUInt16LE(32) / bytes.readUInt32LE(24));
  assert.deepEqual(facts.frames, {
    geometry: { width: 64, height: 48, expansion: 2 },
    layout: 'bytes',
    bytesPerFrame: 32 * 24 * 3,
    frameCount: Math.ceil(data.length / (32 * 24 * 3)),
  });
});

test('info counts a WAV\'s frames in the layout asked for, and warns about the flags a WAV makes pointless', async () => {
  const wav = await fixtureCopy('pluck-pcm16.wav');
  const planes = await runBinary(['info', wav, '--layout', 'planes', ...GEOMETRY], ROOT);
  assert.equal(planes.code, 0, planes.stderr);
  assert.match(planes.stdout, /frames\s+\d+ frames? at 64 × 48, expansion 2, layout planes \(/);
  assert.equal(planes.stderr, '');
  const ignored = await runBinary(['info', wav, '--sample-rate', '8000', '--format', 'u8'], ROOT);
  assert.equal(ignored.code, 0, ignored.stderr);
  assert.equal(ignored.stderr, 'resonance info: a WAV file gives its own sample format; ignored --sample-rate, --format\n');
  assert.match(ignored.stdout, /audio\s+s16, stereo, 11025 Hz/);
});

test('info on a folder with a manifest warns about the flags it ignores, as decode does', async () => {
  const wav = await fixtureCopy('pluck-pcm16.wav');
  const folder = dirname(wav);
  assert.equal((await runBinary(['encode', wav, '-o', 'frames', ...GEOMETRY], folder)).code, 0);
  const info = await runBinary(['info', 'frames', '--channels', '1', '--width', '32'], folder);
  assert.equal(info.code, 0, info.stderr);
  assert.equal(
    info.stderr,
    'resonance info: frames have the size they were written at; ignored --width\nresonance info: resonance.json gives the parameters; ignored --channels\n',
  );
  assert.match(info.stdout, /audio\s+s16, stereo/);
});

test('info describes a folder of frames, as text and as JSON', async () => {
  const wav = await fixtureCopy('pluck-pcm16.wav');
  const folder = dirname(wav);
  assert.equal((await runBinary(['encode', wav, '-o', 'frames', ...GEOMETRY, '--compression', 'small'], folder)).code, 0);
  const pngs = (await readdir(join(folder, 'frames'))).filter((name) => name.endsWith('.png')).sort();

  const text = await runBinary(['info', 'frames'], folder);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /metadata\s+from resonance\.json/);
  assert.match(text.stdout, new RegExp(`frames\\s+${pngs.length} frames, ${pngs[0]} … ${pngs[pngs.length - 1]}, 64 × 48 pixels`));
  assert.match(text.stdout, /geometry\s+64 × 48, expansion 2: 32 × 24 data pixels, layout bytes/);
  assert.match(text.stdout, /compression\s+small/);

  const facts = JSON.parse((await runBinary(['info', 'frames', '--json'], folder)).stdout);
  const data = dataChunk(await readFile(wav));
  assert.equal(facts.kind, 'frames');
  assert.equal(facts.metadata, 'manifest');
  assert.equal(facts.frameCount, pngs.length);
  assert.deepEqual(facts.frames, pngs);
  assert.deepEqual(facts.geometry, { width: 64, height: 48, expansion: 2 });
  assert.deepEqual(facts.frameSize, { width: 64, height: 48 });
  assert.equal(facts.layout, 'bytes');
  assert.equal(facts.dataLength, data.length);
  assert.equal(facts.header, 'original');
  assert.equal(facts.source.name, 'pluck-pcm16.wav');

  await rm(join(folder, 'frames', 'resonance.json'));
  const fromFrames = JSON.parse((await runBinary(['info', 'frames', '--json'], folder)).stdout);
  assert.equal(fromFrames.metadata, 'frames');
  assert.equal(fromFrames.header, 'original', 'frame 0 carries the original header');
  assert.equal(fromFrames.source, undefined);
});

test('nothing of the progress bar reaches stderr when it is not a terminal', async () => {
  const wav = await fixtureCopy('ff_list_s16_stereo.wav');
  const folder = dirname(wav);
  const encoded = await runBinary(['encode', wav, '-o', 'frames', '--width', '32', '--height', '32'], folder);
  assert.equal(encoded.code, 0);
  assert.ok(Number(/(\d+) frames of/.exec(encoded.stdout)?.[1]) > 50, 'enough frames that a bar would have been drawn');
  assert.equal(encoded.stderr, '');
  const decoded = await runBinary(['decode', 'frames'], folder);
  assert.equal(decoded.code, 0);
  assert.equal(decoded.stderr, '');
});

test('Ctrl-C stops an encode, removes its partial output and exits 130', async () => {
  const folder = await tempFolder();
  // Thousands of tiny frames: seconds of work, so the interrupt lands mid-way.
  const dataLength = 3_000_000;
  const { header } = canonicalContainer(makeAudioFormat('s16', 2, 44100), dataLength);
  await writeFile(join(folder, 'noise.wav'), Buffer.concat([header, randomBytes(dataLength)]));

  const child = spawn(process.execPath, [CLI, 'encode', 'noise.wav', '--width', '16', '--height', '16'], { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] });
  const run = finished(child);
  // Wait until the first frame has been written into the temporary output, then interrupt.
  for (;;) {
    const partial = (await readdir(folder)).find((name) => name.includes('.partial-'));
    if (partial && (await readdir(join(folder, partial))).some((name) => name.endsWith('.png'))) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  child.kill('SIGINT');
  const result = await run;
  assertOneLineFailure(result, 130, 'interrupted');
  assert.deepEqual(await readdir(folder), ['noise.wav'], 'no output and no partial output left');
});

test('dist/cli.js runs through its shebang, and `npx resonance` finds it', async () => {
  await chmod(CLI, 0o755);
  const direct = spawnSync(CLI, ['--version'], { encoding: 'utf8' });
  const packageJson = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
  assert.equal(direct.status, 0, direct.stderr);
  assert.equal(direct.stdout, `${packageJson.version}\n`);
  // --no-install: never fetch a package of that name from the registry.
  const npx = spawnSync('npx', ['--no-install', 'resonance', '--version'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(npx.status, 0, npx.stderr);
  assert.equal(npx.stdout, `${packageJson.version}\n`);
});

test('encode and decode --json print one JSON object each, with what the text summary says and the time taken (with any number of workers)', async () => {
  const wav = await fixtureCopy('ff_list_s16_stereo.wav');
  const folder = dirname(wav);
  const dataLength = dataChunk(await readFile(wav)).length;
  const encoded = await runBinary(['encode', basename(wav), ...GEOMETRY, '--json', '--workers', '2'], folder);
  assert.equal(encoded.code, 0, encoded.stderr);
  const encodeFacts = JSON.parse(encoded.stdout);
  assert.equal(encodeFacts.input, basename(wav));
  assert.equal(encodeFacts.output, 'ff_list_s16_stereo_frames');
  assert.equal(encodeFacts.dataLength, dataLength);
  assert.equal(encodeFacts.frameCount, Math.ceil(dataLength / (32 * 24 * 3)));
  assert.deepEqual(encodeFacts.geometry, { width: 64, height: 48, expansion: 2 });
  const pngs = (await readdir(join(folder, encodeFacts.output))).filter((name) => name.endsWith('.png'));
  let pngBytes = 0;
  for (const name of pngs) pngBytes += (await stat(join(folder, encodeFacts.output, name))).size;
  assert.equal(encodeFacts.bytesWritten, pngBytes);
  assert.ok(encodeFacts.seconds > 0);

  const decoded = await runBinary(['decode', encodeFacts.output, '-o', 'back.wav', '--json', '--workers', '0'], folder);
  assert.equal(decoded.code, 0, decoded.stderr);
  const decodeFacts = JSON.parse(decoded.stdout);
  assert.equal(decodeFacts.folder, encodeFacts.output);
  assert.equal(decodeFacts.output, 'back.wav');
  assert.equal(decodeFacts.unchanged, encodeFacts.frameCount);
  assert.deepEqual(decodeFacts.modified, []);
  assert.equal(decodeFacts.bitExact, true);
  assert.equal(decodeFacts.container, 'original');
  assert.ok(decodeFacts.seconds > 0);
  assert.deepEqual(await readFile(join(folder, 'back.wav')), await readFile(wav));
});

test('with --json a failure is one object with the error code on stdout, and still one line on stderr', async () => {
  const folder = await tempFolder();
  await writeFile(join(folder, 'notes.wav'), 'not audio');
  const bad = await runBinary(['encode', 'notes.wav', '--json'], folder);
  assert.equal(bad.code, 1);
  assert.equal(lines(bad.stderr).length, 1);
  assert.deepEqual(JSON.parse(bad.stdout), {
    error: {
      code: 'WAV_INVALID',
      file: 'notes.wav',
      message: 'notes.wav: is not a WAV file (no RIFF/WAVE header)',
      problem: 'is not a WAV file (no RIFF/WAVE header)',
    },
  });
  const usage = await runBinary(['decode', '--json', '--channels', 'two', 'x'], folder);
  assert.equal(usage.code, 2);
  assert.equal(JSON.parse(usage.stdout).error.code, 'USAGE');
  const missing = await runBinary(['info', 'gone.wav', '--json'], folder);
  assert.equal(JSON.parse(missing.stdout).error.code, 'FILE_NOT_FOUND');
});
