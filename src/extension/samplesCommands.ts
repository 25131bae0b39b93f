/**
 * Decode image to WAV and Decode each image to WAV: a model's samples back to audio. The
 * parameters come from a dataset.json in the images' folder or a parent, else from the
 * resonance.assume.* settings when the user has set them, else from one question, whose answer is
 * remembered for that folder.
 */
import { mkdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import {
  decodeImages,
  defaultImageWavPath,
  defaultWavFolder,
  describeAudioFormat,
  imagesIn,
  makeAudioFormat,
  ResonanceError,
  SAMPLE_FORMATS,
  wavNamesFor,
  type ImageParameters,
  type ImageToWav,
  type LayoutName,
  type SampleFormat,
} from '../codec';
import { datasetAbove } from '../dataset';
import { COMMAND } from './commandIds';
import { decodeSettings, samplesSettings, SETTINGS_SECTION, type SettingName } from './settings';

const REMEMBERED_KEY = 'resonance.samplesParameters';

export function registerSampleCommands(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): vscode.Disposable {
  const run = (each: boolean) => async (clicked?: unknown) => {
    try {
      const target = clicked instanceof vscode.Uri ? clicked : await askFor(each);
      if (!target) return undefined;
      if (target.scheme !== 'file')
        throw new ResonanceError(
          'UNSUPPORTED_LOCATION',
          target.toString(),
          vscode.l10n.t('is not on a file system of this machine: decode generated images from a local or remote folder'),
        );
      return await decodeSamples(context, target.fsPath, each, log);
    } catch (error) {
      const message = error instanceof ResonanceError ? error.message : String(error);
      log.error(message);
      void vscode.window.showErrorMessage(message);
      return undefined;
    }
  };
  return vscode.Disposable.from(
    vscode.commands.registerCommand(COMMAND.decodeImage, run(false)),
    vscode.commands.registerCommand(COMMAND.decodeEachImage, run(true)),
  );
}

async function askFor(each: boolean): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: each ? vscode.l10n.t('Decode each image of a folder to WAV') : vscode.l10n.t('Decode an image to WAV'),
    canSelectFiles: !each,
    canSelectFolders: each,
    filters: each ? undefined : { Images: ['png', 'jpg', 'jpeg', 'webp'] },
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return picked?.[0];
}

export interface SamplesReport {
  output: string;
  decoded: number;
  failed: number;
  clipped: number;
  replaced: number;
  parametersFrom: string;
}

async function decodeSamples(context: vscode.ExtensionContext, path: string, each: boolean, log: vscode.LogOutputChannel): Promise<SamplesReport | undefined> {
  const folder = each ? path : dirname(path);
  const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION, vscode.Uri.file(path));
  const samples = samplesSettings((name) => configuration.get(name));
  if (!samples.ok) throw new ResonanceError('SETTING_INVALID', samples.problem.settings[0], samples.problem.message);
  const chosen = await parametersFor(context, folder, vscode.Uri.file(path));
  if (!chosen) return undefined;
  let images: ImageToWav[];
  let output: string;
  if (each) {
    const names = await imagesIn(path);
    if (names.length === 0) throw new ResonanceError('NO_FRAMES', path, 'holds no PNG, JPEG or WebP images');
    output = defaultWavFolder(path);
    await mkdir(output, { recursive: true });
    const wavs = wavNamesFor(names);
    images = names.map((name, i) => ({ input: join(path, name), output: join(output, wavs[i]) }));
  } else {
    output = defaultImageWavPath(path);
    images = [{ input: path, output }];
  }
  const existing = (
    await Promise.all(
      images.map((image) =>
        stat(image.output).then(
          () => image.output,
          () => undefined,
        ),
      ),
    )
  ).filter(Boolean);
  let overwrite = false;
  if (existing.length > 0) {
    const replace = vscode.l10n.t('Replace');
    const answer = await vscode.window.showWarningMessage(
      existing.length === 1
        ? vscode.l10n.t('{0} already exists.', basename(existing[0]!))
        : vscode.l10n.t('{0} of the WAV files already exist.', existing.length),
      { modal: true },
      replace,
    );
    if (answer !== replace) return undefined;
    overwrite = true;
  }
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Decoding {0}', basename(path)), cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      let reported = 0;
      return decodeImages(images, {
        parameters: chosen.parameters,
        raw: samples.settings.raw,
        overwrite,
        signal: controller.signal,
        onProgress: ({ framesDone, frameCount }) => {
          const increment = (100 * framesDone) / frameCount - reported;
          reported += increment;
          progress.report({ increment, message: vscode.l10n.t('{0} of {1} images', framesDone, frameCount) });
        },
      });
    },
  );
  for (const failure of result.failed) log.warn(`decode: skipped ${failure.message}`);
  const report: SamplesReport = { output, decoded: result.decoded.length, failed: result.failed.length, ...result.safety, parametersFrom: chosen.from };
  const safety =
    result.safety.clipped + result.safety.replaced > 0
      ? vscode.l10n.t(' Clipped {0} samples, replaced {1} NaN.', result.safety.clipped, result.safety.replaced)
      : '';
  const skipped = result.failed.length > 0 ? vscode.l10n.t(' Skipped {0} (see the Resonance log).', result.failed.length) : '';
  const message =
    vscode.l10n.t('Decoded {0} images to {1}, as {2}, from {3}.', result.decoded.length, basename(output), describeParameters(chosen.parameters), chosen.from) +
    safety +
    skipped;
  const reveal = vscode.l10n.t('Reveal in Explorer');
  void vscode.window.showInformationMessage(message, reveal).then((answer) => {
    if (answer === reveal) void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(output));
  });
  return report;
}

function describeParameters(parameters: ImageParameters): string {
  return vscode.l10n.t(
    '{0}, {1}, expansion {2}',
    describeAudioFormat(parameters.audio),
    parameters.layout,
    parameters.geometry?.expansion ?? parameters.expansion ?? 1,
  );
}

const ASSUME_SETTINGS: SettingName[] = ['assume.sampleRate', 'assume.channels', 'assume.sampleFormat', 'assume.layout'];

/** The dataset's parameters, the settings the user set, what was answered for this folder before, or the answer to one question. */
async function parametersFor(
  context: vscode.ExtensionContext,
  folder: string,
  resource: vscode.Uri,
): Promise<{ parameters: ImageParameters; from: string } | undefined> {
  const dataset = await datasetAbove(folder);
  if (dataset) return { parameters: dataset.parameters, from: vscode.workspace.asRelativePath(dataset.file) };
  const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION, resource);
  const userSet = ASSUME_SETTINGS.some((name) => {
    const inspected = configuration.inspect(name);
    return inspected?.globalValue !== undefined || inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined;
  });
  const checked = decodeSettings((name) => configuration.get(name));
  if (!checked.ok) throw new ResonanceError('SETTING_INVALID', checked.problem.settings[0], checked.problem.message);
  const { assume } = checked.settings;
  const fromSettings = (sampleFormat: SampleFormat, channels: number, sampleRate: number, layout: LayoutName): ImageParameters => ({
    audio: makeAudioFormat(sampleFormat, channels, sampleRate),
    layout,
    expansion: assume.expansion,
  });
  if (userSet)
    return {
      parameters: fromSettings(assume.sampleFormat, assume.channels, assume.sampleRate, assume.layout),
      from: vscode.l10n.t('the resonance.assume settings'),
    };
  const remembered = context.workspaceState.get<Record<string, { sampleFormat: SampleFormat; channels: number; sampleRate: number; layout: LayoutName }>>(
    REMEMBERED_KEY,
    {},
  );
  const known = remembered[folder];
  if (known)
    return { parameters: fromSettings(known.sampleFormat, known.channels, known.sampleRate, known.layout), from: vscode.l10n.t('your answer for this folder') };
  const answer = await askParameters(assume);
  if (!answer) return undefined;
  await context.workspaceState.update(REMEMBERED_KEY, { ...remembered, [folder]: answer });
  return {
    parameters: fromSettings(answer.sampleFormat, answer.channels, answer.sampleRate, answer.layout),
    from: vscode.l10n.t('your answer for this folder'),
  };
}

/** One question in three steps, each defaulting to the settings: format, channels and rate, layout. */
async function askParameters(assume: { sampleFormat: SampleFormat; channels: number; sampleRate: number; layout: LayoutName }) {
  const title = vscode.l10n.t('These images carry no Resonance metadata and no dataset.json is above them: what audio were the frames the model learnt from?');
  const format = await vscode.window.showQuickPick(
    SAMPLE_FORMATS.map((label) => ({ label, picked: label === assume.sampleFormat })),
    { title, placeHolder: vscode.l10n.t('Sample format (now {0})', assume.sampleFormat) },
  );
  if (!format) return undefined;
  const channelsAndRate = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('Channels and sample rate, as CHANNELS RATE'),
    value: `${assume.channels} ${assume.sampleRate}`,
    validateInput: (text) => (parseChannelsAndRate(text) ? undefined : vscode.l10n.t('Two whole numbers: channels (1–65535) and sample rate in Hz')),
  });
  const parsed = channelsAndRate === undefined ? undefined : parseChannelsAndRate(channelsAndRate);
  if (!parsed) return undefined;
  const layout = await vscode.window.showQuickPick(
    ['planes', 'bytes'].map((label) => ({ label, picked: label === assume.layout })),
    { title, placeHolder: vscode.l10n.t('Layout') },
  );
  if (!layout) return undefined;
  return { sampleFormat: format.label as SampleFormat, ...parsed, layout: layout.label as LayoutName };
}

function parseChannelsAndRate(text: string): { channels: number; sampleRate: number } | undefined {
  const match = /^\s*(\d+)\s+(\d+)\s*$/.exec(text);
  if (!match) return undefined;
  const channels = Number(match[1]);
  const sampleRate = Number(match[2]);
  return channels >= 1 && channels <= 0xffff && sampleRate >= 1 && sampleRate <= 0xffffffff ? { channels, sampleRate } : undefined;
}
