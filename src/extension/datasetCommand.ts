/**
 * Build training dataset…: WAV files and folders in, one dataset folder out (src/dataset/), beside
 * the first input like the other outputs. The target comes from the resonance.dataset settings, shown
 * in a quick pick that offers to change them for this build; progress and Cancel in a notification.
 */
import * as vscode from 'vscode';
import { CancelledError, describeError, SAMPLE_FORMATS, type SampleFormat } from '../codec';
import { buildDataset, type BuildResult, type DatasetProgress } from '../dataset';
import { groupThousands } from '../shared/units';
import { display, outputFolderOf } from './jobs';
import { firstFreeName } from './outputNames';
import { datasetSettings, SETTINGS_SECTION, type DatasetSettings, type SettingName } from './settings';
import { isLocal } from './staging';
import { exists, fileTypeOf, isWav, nameOf, parentOf } from './uris';

export interface DatasetReport {
  outcome: 'done' | 'cancelled' | 'failed' | 'refused' | 'skipped';
  output?: vscode.Uri;
  message?: string;
  result?: BuildResult;
}

export interface DatasetCommandOptions {
  /** Cancels the build like the notification's Cancel button. */
  cancellation?: vscode.CancellationToken;
}

const PROGRESS_INTERVAL_MS = 100;
const SIZES = [64, 128, 256, 512, 768, 1024];
const SAMPLE_RATES = [8000, 16000, 22050, 24000, 32000, 44100, 48000];

/** The dataset's folder name: `corpus` → `corpus_dataset`, `song.wav` → `song_dataset`; several files: their folder's name. */
function datasetName(inputs: readonly vscode.Uri[], isFolder: boolean): string {
  const single = inputs.length === 1;
  const stem = single ? (isFolder ? nameOf(inputs[0]) : nameOf(inputs[0]).replace(/\.wav$/i, '')) : nameOf(parentOf(inputs[0]));
  return `${stem || 'corpus'}_dataset`;
}

export async function buildDatasetCommand(log: vscode.LogOutputChannel, clicked?: unknown, selected?: unknown, options?: unknown): Promise<DatasetReport> {
  const inputs = await inputsFrom(clicked, selected, log);
  if (inputs.length === 0) return { outcome: 'skipped', message: 'no input' };
  const remote = inputs.find((uri) => !isLocal(uri));
  if (remote) {
    const message = vscode.l10n.t('{0}: Build training dataset needs files on disk (locally or in a remote window), not on this file system.', display(remote));
    void vscode.window.showErrorMessage(message);
    return { outcome: 'refused', message };
  }
  const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION, inputs[0]);
  const checked = datasetSettings((name: SettingName) => configuration.get<unknown>(name));
  if (!checked.ok) {
    log.error(`dataset refused: ${checked.problem.message}`);
    const openSettings = vscode.l10n.t('Open Settings');
    void vscode.window.showErrorMessage(checked.problem.message, openSettings).then((choice) => {
      if (choice === openSettings) void vscode.commands.executeCommand('workbench.action.openSettings', checked.problem.settingsQuery);
    });
    return { outcome: 'refused', message: checked.problem.message };
  }
  const settings = await chooseTarget(checked.settings, inputs);
  if (!settings) return { outcome: 'skipped', message: 'the quick pick was closed' };
  const inputIsFolder = inputs.length === 1 && ((await fileTypeOf(inputs[0])) ?? 0) & vscode.FileType.Directory ? true : false;
  const output = await outputFor(inputs, inputIsFolder, settings);
  if (!output) return { outcome: 'skipped', message: 'the dataset exists and was kept' };
  return runBuild(log, inputs, output, settings, cancellationFrom(options));
}

async function inputsFrom(clicked: unknown, selected: unknown, log: vscode.LogOutputChannel): Promise<vscode.Uri[]> {
  const uris =
    Array.isArray(selected) && selected.length > 0 && selected.every((each) => each instanceof vscode.Uri)
      ? selected
      : clicked instanceof vscode.Uri
        ? [clicked]
        : [];
  const given = [...new Map(uris.map((uri) => [uri.toString(), uri])).values()];
  if (given.length === 0) {
    return (
      (await vscode.window.showOpenDialog({
        title: vscode.l10n.t('Build a training dataset from WAV files and folders'),
        openLabel: vscode.l10n.t('Build dataset'),
        canSelectFiles: true,
        canSelectFolders: true,
        canSelectMany: true,
        filters: { [vscode.l10n.t('WAV audio')]: ['wav', 'WAV'] },
        defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      })) ?? []
    );
  }
  const accepted: vscode.Uri[] = [];
  for (const uri of given) {
    const type = await fileTypeOf(uri);
    if (type !== undefined && (type & vscode.FileType.Directory || (type & vscode.FileType.File && isWav(uri)))) accepted.push(uri);
    else log.info(`dataset: left out ${display(uri)}, which is neither a WAV file nor a folder`);
  }
  if (accepted.length === 0) void vscode.window.showErrorMessage(vscode.l10n.t('{0}: is neither a WAV file nor a folder.', display(given[0])));
  return accepted;
}

/** The target in one line: `256 × 256, expansion 1, planes; s16, mono, 16000 Hz`. */
function targetSummary(settings: DatasetSettings): string {
  const { audio } = settings;
  const own = vscode.l10n.t("the corpus's own");
  const audioParts = [
    audio.sampleFormat ?? vscode.l10n.t('format: {0}', own),
    audio.channels === undefined
      ? vscode.l10n.t('channels: {0}', own)
      : audio.channels === 1
        ? vscode.l10n.t('1 channel')
        : vscode.l10n.t('{0} channels', audio.channels),
    audio.sampleRate === undefined ? vscode.l10n.t('rate: {0}', own) : hertz(audio.sampleRate),
  ];
  const split =
    settings.validation > 0
      ? vscode.l10n.t('{0} % of the files for validation', Math.round(settings.validation * 1000) / 10)
      : vscode.l10n.t('no validation split');
  // All three unset is the usual case: one short phrase, which fits the quick pick's line.
  const audioText = Object.keys(audio).length === 0 ? vscode.l10n.t('audio: {0}', own) : audioParts.join(', ');
  return `${settings.size} × ${settings.size}, ${vscode.l10n.t('expansion {0}', settings.expansion)}, ${settings.layout}; ${audioText}; ${split}`;
}

type Step = 'build' | 'size' | 'format' | 'rate' | 'channels' | 'settings';

/**
 * The target for this build: the settings, shown in a quick pick whose first item builds with them
 * (Enter), and whose others change one part for this build. Undefined when the user closes it.
 */
async function chooseTarget(initial: DatasetSettings, inputs: readonly vscode.Uri[]): Promise<DatasetSettings | undefined> {
  let settings = initial;
  const what = inputs.length === 1 ? nameOf(inputs[0]) : vscode.l10n.t('{0} inputs', inputs.length);
  for (;;) {
    const own = vscode.l10n.t("the corpus's own");
    const items: Array<vscode.QuickPickItem & { step: Step }> = [
      { step: 'build', label: `$(play) ${vscode.l10n.t('Build')}`, detail: targetSummary(settings) },
      { step: 'size', label: `$(screen-full) ${vscode.l10n.t('Image size…')}`, description: `${settings.size} × ${settings.size}` },
      { step: 'format', label: `$(symbol-number) ${vscode.l10n.t('Sample format…')}`, description: settings.audio.sampleFormat ?? own },
      {
        step: 'rate',
        label: `$(pulse) ${vscode.l10n.t('Sample rate…')}`,
        description: settings.audio.sampleRate === undefined ? own : hertz(settings.audio.sampleRate),
      },
      {
        step: 'channels',
        label: `$(split-horizontal) ${vscode.l10n.t('Channels…')}`,
        description: settings.audio.channels === undefined ? own : String(settings.audio.channels),
      },
      { step: 'settings', label: `$(gear) ${vscode.l10n.t('Open the dataset settings')}`, description: vscode.l10n.t('change the defaults') },
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Build training dataset from {0}', what),
      placeHolder: vscode.l10n.t('Enter builds with these settings; or change one for this build'),
    });
    if (!picked) return undefined;
    if (picked.step === 'build') return settings;
    if (picked.step === 'settings') {
      void vscode.commands.executeCommand('workbench.action.openSettings', `${SETTINGS_SECTION}.dataset`);
      return undefined;
    }
    const changed = await changeStep(picked.step, settings, own);
    if (changed) settings = changed;
  }
}

async function changeStep(step: Exclude<Step, 'build' | 'settings'>, settings: DatasetSettings, own: string): Promise<DatasetSettings | undefined> {
  const pick = async <T>(title: string, choices: Array<{ label: string; value: T; current: boolean }>): Promise<T | undefined> => {
    const items = choices.map((choice) => ({ label: choice.label, description: choice.current ? vscode.l10n.t('current') : undefined, value: choice.value }));
    const current = items.find((item) => item.description !== undefined);
    // The current value first, so that Enter keeps it.
    const ordered = current ? [current, ...items.filter((item) => item !== current)] : items;
    return (await vscode.window.showQuickPick(ordered, { title }))?.value;
  };
  if (step === 'size') {
    const sizes = [...new Set([...SIZES, settings.size])].filter((size) => size % settings.expansion === 0).sort((a, b) => a - b);
    const size = await pick(
      vscode.l10n.t('Image size'),
      sizes.map((value) => ({ label: `${value} × ${value}`, value, current: value === settings.size })),
    );
    return size === undefined ? undefined : { ...settings, size };
  }
  const withAudio = (audio: DatasetSettings['audio']): DatasetSettings => ({ ...settings, audio });
  const { sampleFormat, sampleRate, channels, ...rest } = settings.audio;
  if (step === 'format') {
    const value = await pick<SampleFormat | 'own'>(vscode.l10n.t('Sample format'), [
      { label: own, value: 'own', current: sampleFormat === undefined },
      ...SAMPLE_FORMATS.map((format) => ({ label: format, value: format, current: format === sampleFormat })),
    ]);
    return value === undefined ? undefined : withAudio({ ...rest, sampleRate, channels, ...(value === 'own' ? {} : { sampleFormat: value }) });
  }
  if (step === 'rate') {
    const rates = [...new Set([...SAMPLE_RATES, ...(sampleRate === undefined ? [] : [sampleRate])])].sort((a, b) => a - b);
    const value = await pick<number | 'own'>(vscode.l10n.t('Sample rate'), [
      { label: own, value: 'own', current: sampleRate === undefined },
      ...rates.map((rate) => ({ label: hertz(rate), value: rate, current: rate === sampleRate })),
    ]);
    return value === undefined ? undefined : withAudio({ ...rest, sampleFormat, channels, ...(value === 'own' ? {} : { sampleRate: value }) });
  }
  const counts = [...new Set([1, 2, ...(channels === undefined ? [] : [channels])])].sort((a, b) => a - b);
  const value = await pick<number | 'own'>(vscode.l10n.t('Channels'), [
    { label: own, value: 'own', current: channels === undefined },
    ...counts.map((count) => ({
      label: count === 1 ? vscode.l10n.t('1 (mono)') : count === 2 ? vscode.l10n.t('2 (stereo)') : String(count),
      value: count,
      current: count === channels,
    })),
  ]);
  return value === undefined ? undefined : withAudio({ ...rest, sampleFormat, sampleRate, ...(value === 'own' ? {} : { channels: value }) });
}

/**
 * The dataset folder. An existing one is never emptied: the build goes on in it when it holds a
 * build with the same settings (and refuses, naming the difference, otherwise), or a numbered name is used.
 */
async function outputFor(inputs: readonly vscode.Uri[], inputIsFolder: boolean, settings: DatasetSettings): Promise<vscode.Uri | undefined> {
  const folder = outputFolderOf(inputs[0], settings.outputFolder);
  const name = datasetName(inputs, inputIsFolder);
  const at = (candidate: string) => vscode.Uri.joinPath(folder, candidate);
  if (!(await exists(at(name))) || settings.ifOutputExists === 'overwrite') return at(name);
  const numbered = async () => {
    const free = await firstFreeName(name, false, (candidate) => exists(at(candidate)));
    return free === undefined ? undefined : at(free);
  };
  if (settings.ifOutputExists === 'newName') return numbered();
  const alternative = await numbered();
  const goOn = vscode.l10n.t('Continue It');
  const keepBoth = vscode.l10n.t('Keep Both (write {0})', alternative ? nameOf(alternative) : '');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('{0} already exists in {1}.', name, display(folder)),
    {
      modal: true,
      detail: vscode.l10n.t('Continue the build in it (only if it holds a dataset built with the same settings), or write the new dataset under a new name?'),
    },
    ...(alternative ? [goOn, keepBoth] : [goOn]),
  );
  if (answer === goOn) return at(name);
  if (answer === keepBoth) return alternative;
  return undefined;
}

function cancellationFrom(value: unknown): vscode.CancellationToken | undefined {
  const cancellation = (value as DatasetCommandOptions | undefined)?.cancellation;
  return cancellation && typeof cancellation.onCancellationRequested === 'function' ? cancellation : undefined;
}

/** `3 of 10 sources, 120 of 400 images (30%)`. */
function datasetProgressMessage(progress: DatasetProgress): string {
  const fraction = progress.bytesTotal > 0 ? progress.bytesDone / progress.bytesTotal : progress.clipCount > 0 ? progress.clipsDone / progress.clipCount : 0;
  return vscode.l10n.t(
    '{0} of {1} sources, {2} of {3} images ({4}%)',
    progress.sourcesDone,
    progress.sourceCount,
    progress.clipsDone,
    progress.clipCount,
    Math.floor(fraction * 100),
  );
}

async function runBuild(
  log: vscode.LogOutputChannel,
  inputs: readonly vscode.Uri[],
  output: vscode.Uri,
  settings: DatasetSettings,
  cancellation?: vscode.CancellationToken,
): Promise<DatasetReport> {
  const title = vscode.l10n.t('Building {0}', nameOf(output));
  log.info(`dataset ${inputs.map(display).join(', ')} → ${display(output)}: ${targetSummary(settings)}`);
  const started = performance.now();
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token): Promise<DatasetReport> => {
      const controller = new AbortController();
      const subscriptions = [token, cancellation].map((each) => each?.onCancellationRequested(() => controller.abort()));
      if (cancellation?.isCancellationRequested) controller.abort();
      let lastReport = -Infinity;
      let reported = 0;
      try {
        const result = await buildDataset({
          inputs: inputs.map((uri) => uri.fsPath),
          output: output.fsPath,
          audio: settings.audio,
          geometry: { width: settings.size, height: settings.size, expansion: settings.expansion },
          layout: settings.layout,
          compression: settings.compression,
          tail: settings.tail,
          validation: settings.validation,
          seed: 0,
          dither: false,
          strict: false,
          signal: controller.signal,
          onProgress: (update) => {
            const now = performance.now();
            if (now - lastReport < PROGRESS_INTERVAL_MS && update.clipsDone < update.clipCount) return;
            lastReport = now;
            const percent = update.clipCount > 0 ? (100 * update.clipsDone) / update.clipCount : 0;
            progress.report({ message: datasetProgressMessage(update), increment: Math.max(0, percent - reported) });
            reported = Math.max(reported, percent);
          },
        });
        return { outcome: 'done', output, result, message: datasetNotice(nameOf(output), result) };
      } catch (error) {
        if (error instanceof CancelledError || controller.signal.aborted) return { outcome: 'cancelled', output, message: 'cancelled' };
        return { outcome: 'failed', output, message: describeError(error) };
      } finally {
        for (const subscription of subscriptions) subscription?.dispose();
      }
    },
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  if (report.outcome === 'done') {
    log.info(`dataset ${display(output)}: ${report.message} in ${seconds} s`);
    for (const failure of report.result!.failures) log.warn(`dataset: left out ${failure.source}: ${failure.message}`);
    const reveal = vscode.l10n.t('Reveal in Explorer');
    const show = report.result!.failures.length > 0 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(report.message!, reveal).then((choice) => {
      if (choice === reveal) void vscode.commands.executeCommand('revealInExplorer', output);
    });
  } else if (report.outcome === 'cancelled') {
    log.info(`dataset ${display(output)} cancelled after ${seconds} s; run it again to go on where it stopped`);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Resonance: dataset build cancelled; run it again to go on where it stopped'), 5000);
  } else {
    log.error(report.message!);
    void vscode.window.showErrorMessage(report.message!);
  }
  return report;
}

function datasetNotice(name: string, result: BuildResult): string {
  const { width, height } = result.settings.geometry;
  if (result.alreadyComplete) return vscode.l10n.t('{0} is already complete with these settings.', name);
  const sources = result.sources.made + result.sources.alreadyDone;
  const made = vscode.l10n.t(
    'Built {0}: {1} of {2} × {3} from {4}.',
    name,
    result.images === 1 ? vscode.l10n.t('1 image') : vscode.l10n.t('{0} images', groupThousands(result.images)),
    width,
    height,
    sources === 1 ? vscode.l10n.t('1 source') : vscode.l10n.t('{0} sources', groupThousands(sources)),
  );
  const leftOut =
    result.sources.failed === 1
      ? vscode.l10n.t('1 file left out (see errors.jsonl).')
      : vscode.l10n.t('{0} files left out (see errors.jsonl).', groupThousands(result.sources.failed));
  return result.sources.failed > 0 ? `${made} ${leftOut}` : made;
}

function hertz(rate: number): string {
  return vscode.l10n.t('{0} Hz', rate);
}
