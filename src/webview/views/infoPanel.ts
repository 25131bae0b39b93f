/** The info panel: the stream's properties and the frames' integrity, in a toolkit data grid. */
import { Disposable } from '../../shared/disposable';
import type { FramesDocumentView, Integrity } from '../../shared/protocol';
import { h } from '../dom';
import { infoRows, type InfoRow } from '../infoRows';
import type { EditorContext, Panel } from '../panel';
import { t } from '../l10n';

interface DataGrid extends HTMLElement {
  rowsData: InfoRow[];
  columnDefinitions: Array<{ columnDataKey: keyof InfoRow; title: string }>;
}

export class InfoPanel extends Disposable implements Panel {
  readonly element: HTMLElement;
  private readonly view: FramesDocumentView;
  private readonly grid: DataGrid;

  constructor(context: EditorContext) {
    super();
    this.view = context.view;
    this.grid = h('vscode-data-grid', {
      id: 'info',
      'aria-label': t('Audio and frame information'),
      'generate-header': 'none',
      'grid-template-columns': 'minmax(7em, auto) 1fr',
    }) as DataGrid;
    this.grid.columnDefinitions = [
      { columnDataKey: 'property', title: t('Property') },
      { columnDataKey: 'value', title: t('Value') },
    ];
    this.element = h('aside', { class: 'info', 'aria-labelledby': 'info-heading' }, h('h2', { id: 'info-heading' }, t('Information')), this.grid);
  }

  integrityChanged(integrity: Integrity | undefined, checking: boolean): void {
    this.grid.rowsData = infoRows(this.view, integrity, checking);
  }
}
