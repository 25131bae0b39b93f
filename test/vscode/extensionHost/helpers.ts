/** What the extension-host tests share: the workspace, settings, running the commands, reading outputs. */
import assert from 'node:assert/strict';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'resonance.resonance';
export const COMMAND = {
  encode: 'resonance.encodeToImages',
  decode: 'resonance.decodeFolder',
  preview: 'resonance.previewFrames',
  buildDataset: 'resonance.buildDataset',
} as const;
export const FRAMES_VIEW_TYPE = 'resonance.frames';
/** From out/vscode-test/extensionHost back to the project's fixtures. */
export const FIXTURE = resolve(__dirname, '../../../test/fixtures/pluck-pcm16.wav');

/** The part of the extension's JobReport the tests look at. */
export interface Report {
  kind: 'encode' | 'decode';
  input: vscode.Uri;
  outcome: 'done' | 'cancelled' | 'failed' | 'skipped' | 'refused';
  output?: vscode.Uri;
  message?: string;
}

export function workspacePath(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests run with a workspace folder open');
  return folder.uri.fsPath;
}

let folders = 0;
/** A new empty folder in the workspace for one test. */
export async function newFolder(name: string): Promise<string> {
  const folder = join(workspacePath(), `${String(++folders).padStart(2, '0')}-${name}`);
  await mkdir(folder);
  return folder;
}

/** Copies the fixture WAV into `folder` under `name`. */
export async function fixtureIn(folder: string, name = 'pluck.wav'): Promise<vscode.Uri> {
  const path = join(folder, name);
  await copyFile(FIXTURE, path);
  return vscode.Uri.file(path);
}

export async function encode(...args: unknown[]): Promise<Report[]> {
  return vscode.commands.executeCommand<Report[]>(COMMAND.encode, ...args);
}

export async function decode(...args: unknown[]): Promise<Report[]> {
  return vscode.commands.executeCommand<Report[]>(COMMAND.decode, ...args);
}

/** Runs a one-input command and checks it is done, returning the output. */
export async function done(reports: Promise<Report[]>): Promise<vscode.Uri> {
  const [report, ...rest] = await reports;
  assert.equal(rest.length, 0, 'one report');
  assert.equal(report.outcome, 'done', `outcome: ${report.outcome} ${report.message ?? ''}`);
  assert.ok(report.output);
  return report.output;
}

const touched = new Set<string>();
/** Sets user settings under `resonance.`; resetSettings() puts every one back. */
export async function setSettings(values: Record<string, unknown>): Promise<void> {
  const configuration = vscode.workspace.getConfiguration('resonance');
  for (const [name, value] of Object.entries(values)) {
    touched.add(name);
    await configuration.update(name, value, vscode.ConfigurationTarget.Global);
  }
}

export async function resetSettings(): Promise<void> {
  const configuration = vscode.workspace.getConfiguration('resonance');
  for (const name of touched) await configuration.update(name, undefined, vscode.ConfigurationTarget.Global);
  touched.clear();
}

export async function listing(folder: string): Promise<string[]> {
  return (await readdir(folder)).sort();
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Length of a RIFF WAV's data chunk. */
export function dataChunkLength(wav: Buffer): number {
  return dataChunk(wav).length;
}

/** The bytes of a RIFF WAV's data chunk. */
export function dataChunk(wav: Buffer): Buffer {
  for (let offset = 12; offset + 8 <= wav.length; ) {
    const size = wav.readUInt32LE(offset + 4);
    if (wav.toString('latin1', offset, offset + 4) === 'data') return wav.subarray(offset + 8, offset + 8 + size);
    offset += 8 + size + (size % 2);
  }
  throw new Error('no data chunk');
}

export interface ManifestView {
  frameCount: number;
  dataLength: number;
  bytesPerFrame: number;
  compression: string;
  layout: string;
  geometry: { width: number; height: number; expansion: number };
  frames: Array<{ file: string }>;
}

export async function manifestOf(folder: vscode.Uri): Promise<ManifestView> {
  return JSON.parse(await readFile(join(folder.fsPath, 'resonance.json'), 'utf8')) as ManifestView;
}

export async function sameBytes(a: string, b: string): Promise<void> {
  const [left, right] = await Promise.all([readFile(a), readFile(b)]);
  assert.equal(left.length, right.length, `${a} and ${b} have the same length`);
  assert.ok(left.equals(right), `${a} and ${b} hold the same bytes`);
}

/**
 * A model's samples inside a dataset's folder: the fixture encoded at 32 × 32 in planes, a
 * dataset.json as `resonance dataset build` writes it for the fixture's format (s16 stereo 44.1 kHz),
 * and its first three frames in samples/, re-saved without the text chunk as a model's pipeline writes images.
 */
export async function samplesInDataset(name: string): Promise<{ samples: string; bytesPerFrame: number }> {
  await setSettings({ width: 32, height: 32, pixelExpansion: 1, layout: 'planes' });
  const folder = await newFolder(name);
  const frames = await done(encode(await fixtureIn(folder)));
  const manifest = await manifestOf(frames);
  const audio = { sampleFormat: 's16', channels: 2, sampleRate: 44100, bitsPerSample: 16, blockAlign: 4 };
  await writeFile(
    join(folder, 'dataset.json'),
    JSON.stringify({
      format: 'resonance-dataset',
      version: 1,
      audio,
      geometry: { width: 32, height: 32, expansion: 1 },
      layout: 'planes',
      clip: { bytes: manifest.bytesPerFrame },
    }),
  );
  const samples = join(folder, 'samples');
  await mkdir(samples);
  for (const [i, frame] of manifest.frames.slice(0, 3).entries()) {
    const png = PNG.sync.read(await readFile(join(frames.fsPath, frame.file)));
    await writeFile(join(samples, `sample_${i}.png`), PNG.sync.write(png, { colorType: 2 }));
  }
  return { samples, bytesPerFrame: manifest.bytesPerFrame };
}
