/** The info panel: the stream's properties and the frames' integrity, in a toolkit data grid. */
import { h } from '../dom';
import type { InfoRow } from '../infoRows';

interface DataGrid extends HTMLElement {
  rowsData: InfoRow[];
  columnDefinitions: Array<{ columnDataKey: keyof InfoRow; title: string }>;
}

export class InfoPanel {
  readonly element: HTMLElement;
  private readonly grid: DataGrid;

  constructor() {
    this.grid = h('vscode-data-grid', { id: 'info', 'aria-label': 'Audio and frame information', 'generate-header': 'none', 'grid-template-columns': 'minmax(7em, auto) 1fr' }) as DataGrid;
    this.grid.columnDefinitions = [
      { columnDataKey: 'property', title: 'Property' },
      { columnDataKey: 'value', title: 'Value' },
    ];
    this.element = h('aside', { class: 'info', 'aria-labelledby': 'info-heading' }, h('h2', { id: 'info-heading' }, 'Information'), this.grid);
  }

  render(rows: InfoRow[]): void {
    this.grid.rowsData = rows;
  }
}
