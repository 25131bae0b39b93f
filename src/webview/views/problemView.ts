/**
 * A problem with the folder or the WAV, shown in the editor with what to do next: as the whole page
 * when nothing can be shown, or as a banner above the frames when only the audio is affected.
 */
import { Disposable } from '../../shared/disposable';
import type { EditorProblem, ProblemAction } from '../../shared/protocol';
import { h } from '../dom';
import type { EditorContext, Panel } from '../panel';
import { t } from '../l10n';

const ACTION_LABELS: Record<ProblemAction, string> = {
  openSettings: t('Open Settings'),
  openManifestAsText: t('Open resonance.json as Text'),
  reload: t('Reload'),
};

function actionButtons(problem: EditorProblem, onAction: (action: ProblemAction) => void): HTMLElement {
  return h(
    'div',
    { class: 'problem-actions' },
    ...problem.actions.map((action, i) => {
      const button = h('vscode-button', { appearance: i === 0 ? 'primary' : 'secondary', 'data-action': action }, ACTION_LABELS[action]);
      button.addEventListener('click', () => onAction(action));
      return button;
    }),
  );
}

export function problemPage(title: string, problem: EditorProblem, onAction: (action: ProblemAction) => void): HTMLElement {
  return h(
    'section',
    { class: 'problem-page', role: 'alert', 'aria-labelledby': 'problem-title' },
    h('h1', { id: 'problem-title' }, title),
    h('p', { class: 'problem-message' }, problem.message),
    h('p', { class: 'problem-advice' }, problem.advice),
    actionButtons(problem, onAction),
  );
}

function problemBanner(problem: EditorProblem, onAction: (action: ProblemAction) => void): HTMLElement {
  return h(
    'section',
    { class: 'problem-banner', role: 'alert' },
    h('div', { class: 'problem-text' }, h('p', { class: 'problem-message' }, problem.message), h('p', { class: 'problem-advice' }, problem.advice)),
    actionButtons(problem, onAction),
  );
}

/** The slot above the frames where a problem shows as a banner while the frames still show. */
export class BannerPanel extends Disposable implements Panel {
  readonly element: HTMLElement = h('div', { class: 'banner-slot' });

  constructor(private readonly context: EditorContext) {
    super();
  }

  show(problem: EditorProblem): void {
    this.element.replaceChildren(problemBanner(problem, (action) => this.context.problemAction(action, problem)));
  }
}
