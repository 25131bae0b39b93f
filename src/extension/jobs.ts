/**
 * Runs encode and decode jobs for the commands: checks the settings before any work, picks each
 * output (asking, overwriting or numbering as configured, never colliding with a running job),
 * shows a cancellable progress notification, logs each job with its figures to the `Resonance`
 * Output channel, and tells the user how it went.
 */
import { homedir } from 'node:os';
import * as nodePath from 'node:path';
import * as vscode from 'vscode';
import { CancelledError, decodeFolder, describeError, encodeWav, ResonanceError, type DecodeResult, type EncodeResult, type Progress } from '../codec';
import { COMMAND } from './commandIds';
import { decodeLogLine, decodeNeedsAttention, decodeNotice, encodeLogLine, encodeNotice, ProgressIncrements, progressMessage } from './figures';
import { progressFraction } from '../shared/units';
import { defaultOutputName, firstFreeName, OutputsInUse, outputFolderFor, type JobKind } from './outputNames';
import {
  decodeSettings,
  encodeSettings,
  SETTINGS_SECTION,
  type DecodeSettings,
  type EncodeSettings,
  type OutputPolicy,
  type SettingName,
  type SettingProblem,
} from './settings';
import { plural } from '../shared/units';
import { isLocal, replaceProblemAt, stageJob, type Stage } from './staging';
import { exists, nameOf, parentOf } from './uris';

export type Outcome = 'done' | 'cancelled' | 'failed' | 'skipped' | 'refused';

/** What became of one input; the commands return these, so scripts and tests can see the results. */
export interface JobReport {
  kind: JobKind;
  input: vscode.Uri;
  outcome: Outcome;
  output?: vscode.Uri;
  /** What the user was told: the notice for a job done, the reason otherwise. */
  message?: string;
  /** A job done whose result the user should look at: frames modified since they were written. */
  needsAttention?: boolean;
}

export interface RunOptions {
  /** Cancels the jobs like the notification's Cancel button, for callers with no notification to click. */
  cancellation?: vscode.CancellationToken;
}

type JobSettings = { kind: 'encode'; settings: EncodeSettings } | { kind: 'decode'; settings: DecodeSettings };

interface Plan {
  job: JobSettings;
  input: vscode.Uri;
  target: vscode.Uri;
  overwrite: boolean;
}

const PROGRESS_INTERVAL_MS = 100;
// Button labels, compared with the button the user chose; vscode.l10n.t works only once the extension runs.
const REVEAL = () => vscode.l10n.t('Reveal in Explorer');
const PREVIEW = () => vscode.l10n.t('Preview');
const OPEN_SETTINGS = () => vscode.l10n.t('Open Settings');

export class JobRunner {
  private readonly inUse = new OutputsInUse();

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** Shows the settings at fault where they are set: the workspace's settings if it set them, the user's otherwise. */
  private openSettings(problem: SettingProblem, resource: vscode.Uri): void {
    const configuration = vscode.workspace.getConfiguration(undefined, resource);
    const inWorkspace = problem.settings.some((id) => {
      const values = configuration.inspect(id);
      return values?.workspaceValue !== undefined || values?.workspaceFolderValue !== undefined;
    });
    void vscode.commands.executeCommand(inWorkspace ? 'workbench.action.openWorkspaceSettings' : 'workbench.action.openSettings', problem.settingsQuery);
  }

  async run(kind: JobKind, inputs: readonly vscode.Uri[], options: RunOptions = {}): Promise<JobReport[]> {
    const jobs: JobSettings[] = [];
    for (const input of inputs) {
      const checked = checkSettings(kind, input);
      if (!checked.ok) {
        this.log.error(`${kind} refused: ${checked.problem.message}`);
        void vscode.window.showErrorMessage(checked.problem.message, OPEN_SETTINGS()).then((choice) => {
          if (choice === OPEN_SETTINGS()) this.openSettings(checked.problem, input);
        });
        return inputs.map((each) => ({ kind, input: each, outcome: 'refused', message: checked.problem.message }));
      }
      jobs.push(checked.job);
    }

    const reports: JobReport[] = [];
    const plans: Plan[] = [];
    try {
      for (const [index, input] of inputs.entries()) {
        let plan: Plan | undefined;
        try {
          plan = await this.plan(jobs[index], input);
        } catch (error) {
          // Refused before any work: the output stands on something Resonance never replaces.
          const message = describeError(error);
          this.log.error(`${kind} refused: ${message}`);
          reports.push({ kind, input, outcome: 'failed', message });
          continue;
        }
        if (plan) plans.push(plan);
        else reports.push({ kind, input, outcome: 'skipped', message: 'the output exists and was kept' });
      }
      if (plans.length > 0) reports.push(...(await this.runWithProgress(kind, plans, options)));
    } finally {
      for (const plan of plans) this.inUse.release(plan.target.toString());
    }
    this.tellUser(kind, reports);
    return reports;
  }

  /** Picks and claims the output for one input, or undefined when the user chose to keep an existing one. */
  private async plan(job: JobSettings, input: vscode.Uri): Promise<Plan | undefined> {
    const folder = outputFolderOf(input, job.settings.outputFolder);
    const name = defaultOutputName(job.kind, nameOf(input));
    const isFile = job.kind === 'decode';
    const at = (candidate: string) => vscode.Uri.joinPath(folder, candidate);
    const isTaken = async (candidate: string) => this.inUse.has(at(candidate).toString()) || (await exists(at(candidate)));
    // Claiming happens after awaits, so another command may claim the same name first: then try again.
    for (;;) {
      const choice = await this.chooseName(name, isFile, job.settings.ifOutputExists, at, isTaken, (target) => replaceProblemAt(job.kind, input, target));
      if (!choice) return undefined;
      const target = at(choice.name);
      if (this.inUse.claim(target.toString())) return { job, input, target, overwrite: choice.overwrite };
    }
  }

  private async chooseName(
    name: string,
    isFile: boolean,
    policy: OutputPolicy,
    at: (candidate: string) => vscode.Uri,
    isTaken: (candidate: string) => Promise<boolean>,
    replaceProblem: (target: vscode.Uri) => Promise<string | undefined>,
  ): Promise<{ name: string; overwrite: boolean } | undefined> {
    const numbered = async () => {
      const free = await firstFreeName(name, isFile, isTaken);
      if (free === undefined) throw new Error(`${display(at(name))}: too many numbered copies already exist`);
      return { name: free, overwrite: false };
    };
    // A running job's output is never replaced or shared, whatever the policy.
    if (this.inUse.has(at(name).toString())) return numbered();
    if (!(await exists(at(name)))) return { name, overwrite: false };
    if (policy === 'newName') return numbered();
    // Only what Resonance could have written there is ever replaced (docs/decisions.md, section 6).
    const problem = await replaceProblem(at(name));
    if (policy === 'overwrite') {
      if (problem) throw new ResonanceError('OUTPUT_PROTECTED', display(at(name)), problem);
      return { name, overwrite: true };
    }
    const alternative = await numbered();
    const replace = vscode.l10n.t('Replace');
    const keepBoth = vscode.l10n.t('Keep Both (write {0})', alternative.name);
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('{0} already exists in {1}.', name, display(parentOf(at(name)))),
      problem
        ? { modal: true, detail: vscode.l10n.t('It cannot be replaced: {0} {1}. Write the new output under a new name?', name, problem) }
        : {
            modal: true,
            detail: vscode.l10n.t('Replace it, or write the new output under a new name? (The setting resonance.ifOutputExists can decide this for you.)'),
          },
      ...(problem ? [keepBoth] : [replace, keepBoth]),
    );
    if (answer === replace) return { name, overwrite: true };
    if (answer === keepBoth) return alternative;
    return undefined;
  }

  private runWithProgress(kind: JobKind, plans: Plan[], options: RunOptions): Thenable<JobReport[]> {
    const title =
      plans.length === 1
        ? kind === 'encode'
          ? vscode.l10n.t('Encoding {0}', nameOf(plans[0].input))
          : vscode.l10n.t('Decoding {0}', nameOf(plans[0].input))
        : kind === 'encode'
          ? vscode.l10n.t('Encoding {0} WAV files', plans.length)
          : vscode.l10n.t('Decoding {0} folders', plans.length);
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      const subscriptions = [token, options.cancellation].map((each) => each?.onCancellationRequested(() => controller.abort()));
      if (options.cancellation?.isCancellationRequested) controller.abort();
      const increments = new ProgressIncrements(plans.length);
      const reports: JobReport[] = [];
      try {
        for (const [index, plan] of plans.entries()) {
          if (controller.signal.aborted) {
            reports.push({ kind, input: plan.input, outcome: 'cancelled', message: 'cancelled before it started' });
            continue;
          }
          const prefix = plans.length > 1 ? vscode.l10n.t('{0} ({1} of {2}): ', nameOf(plan.input), index + 1, plans.length) : '';
          progress.report({ message: prefix + vscode.l10n.t('starting…') });
          let lastReport = -Infinity;
          const onProgress = (update: Progress) => {
            const now = performance.now();
            if (now - lastReport < PROGRESS_INTERVAL_MS && update.framesDone < update.frameCount) return;
            lastReport = now;
            progress.report({ message: prefix + progressMessage(update), increment: increments.to(index, progressFraction(update)) });
          };
          reports.push(await this.execute(plan, controller.signal, onProgress));
        }
      } finally {
        for (const subscription of subscriptions) subscription?.dispose();
      }
      return reports;
    });
  }

  private async execute(plan: Plan, signal: AbortSignal, onProgress: (progress: Progress) => void): Promise<JobReport> {
    const { job, input, target } = plan;
    const base = { kind: job.kind, input };
    const started = performance.now();
    this.log.info(`${job.kind} ${display(input)} → ${display(target)}${plan.overwrite ? ' (replacing it)' : ''}: ${describeSettings(job)}`);
    let stage: Stage | undefined;
    try {
      await vscode.workspace.fs.createDirectory(parentOf(target));
      stage = await stageJob(job.kind, input, target, plan.overwrite, signal);
      const common = { output: stage.outputPath, overwrite: stage.codecOverwrite, signal, onProgress };
      let message: string;
      let needsAttention = false;
      if (job.kind === 'encode') {
        const result: EncodeResult = await encodeWav(stage.inputPath, {
          ...common,
          geometry: job.settings.geometry,
          compression: job.settings.compression,
          layout: job.settings.layout,
        });
        await stage.publish(signal);
        this.log.info(encodeLogLine(display(input), { ...result, output: display(target) }, elapsedSince(started)));
        message = encodeNotice(nameOf(input), nameOf(target), result);
      } else {
        const result: DecodeResult = await decodeFolder(stage.inputPath, { ...common, assume: job.settings.assume, reducer: job.settings.reducer });
        await stage.publish(signal);
        this.log.info(decodeLogLine(display(input), { ...result, output: display(target) }, elapsedSince(started)));
        message = decodeNotice(nameOf(input), nameOf(target), result);
        needsAttention = decodeNeedsAttention(result);
        if (needsAttention) this.log.warn(message);
      }
      return { ...base, outcome: 'done', output: target, message, needsAttention };
    } catch (error) {
      if (error instanceof CancelledError || signal.aborted) {
        this.log.info(`${job.kind} of ${display(input)} cancelled after ${elapsedSince(started).toFixed(2)} s; nothing was written`);
        return { ...base, outcome: 'cancelled', message: 'cancelled' };
      }
      const message = stage ? stage.userFacing(describeError(error)) : describeError(error);
      this.log.error(message);
      return { ...base, outcome: 'failed', message };
    } finally {
      await stage?.dispose();
    }
  }

  /** Notifications are not awaited: the command is done when the work is, not when the user reads. */
  private tellUser(kind: JobKind, reports: JobReport[]): void {
    for (const report of reports) {
      if (report.outcome === 'failed') void vscode.window.showErrorMessage(report.message!);
    }
    const done = reports.filter((report) => report.outcome === 'done');
    const cancelled = reports.filter((report) => report.outcome === 'cancelled');
    if (cancelled.length > 0)
      vscode.window.setStatusBarMessage(
        kind === 'encode'
          ? vscode.l10n.t('Resonance: encoding cancelled; nothing was written')
          : vscode.l10n.t('Resonance: decoding cancelled; nothing was written'),
        5000,
      );
    if (done.length === 0) return;
    const first = done[0];
    const notice =
      done.length === 1
        ? first.message!
        : kind === 'encode'
          ? vscode.l10n.t('Encoded {0} WAV files; see the Resonance output for each.', done.length)
          : vscode.l10n.t('Decoded {0} folders; see the Resonance output for each.', done.length);
    // Preview shows frames: the new folder after an encode, the decoded folder after a decode.
    const previewTarget = kind === 'encode' ? first.output! : first.input;
    const actions = done.length === 1 ? [REVEAL(), PREVIEW()] : [REVEAL()];
    const show = done.some((report) => report.needsAttention) ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(notice, ...actions).then((choice) => {
      if (choice === REVEAL()) void vscode.commands.executeCommand('revealInExplorer', first.output);
      if (choice === PREVIEW()) void vscode.commands.executeCommand(COMMAND.preview, previewTarget);
    });
  }
}

function checkSettings(kind: JobKind, input: vscode.Uri): { ok: true; job: JobSettings } | { ok: false; problem: SettingProblem } {
  const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION, input);
  const read = (name: SettingName) => configuration.get<unknown>(name);
  if (kind === 'encode') {
    const checked = encodeSettings(read);
    return checked.ok ? { ok: true, job: { kind, settings: checked.settings } } : checked;
  }
  const checked = decodeSettings(read);
  return checked.ok ? { ok: true, job: { kind, settings: checked.settings } } : checked;
}

export function outputFolderOf(input: vscode.Uri, setting: string): vscode.Uri {
  const workspaceFolder = vscode.workspace.getWorkspaceFolder(input)?.uri;
  if (isLocal(input)) {
    const local = workspaceFolder && isLocal(workspaceFolder) ? workspaceFolder.fsPath : undefined;
    return vscode.Uri.file(outputFolderFor(setting, { inputFolder: nodePath.dirname(input.fsPath), workspaceFolder: local, home: homedir(), path: nodePath }));
  }
  const sameFileSystem = workspaceFolder && workspaceFolder.scheme === input.scheme && workspaceFolder.authority === input.authority;
  return input.with({
    path: outputFolderFor(setting, {
      inputFolder: nodePath.posix.dirname(input.path),
      workspaceFolder: sameFileSystem ? workspaceFolder.path : undefined,
      path: nodePath.posix,
    }),
  });
}

function describeSettings(job: JobSettings): string {
  if (job.kind === 'encode') {
    const { geometry, compression, layout } = job.settings;
    return `${geometry.width}×${geometry.height}, expansion ${geometry.expansion}, layout ${layout}, compression ${compression}`;
  }
  const { assume, reducer } = job.settings;
  return `reducer ${reducer ?? 'auto'}; frames without metadata read as ${assume.sampleFormat}, ${plural(assume.channels, 'channel')}, ` +
    `${assume.sampleRate} Hz, expansion ${assume.expansion}, layout ${assume.layout}`;
}

/** A path for local files, the full Uri for others. */
export function display(uri: vscode.Uri): string {
  return isLocal(uri) ? uri.fsPath : uri.toString(true);
}

function elapsedSince(started: number): number {
  return (performance.now() - started) / 1000;
}
