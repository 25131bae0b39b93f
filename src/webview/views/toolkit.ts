/**
 * The one module that imports `@vscode/webview-ui-toolkit` (deprecated upstream; docs/decisions.md
 * §8): it registers the components the views use. Replacing the toolkit touches src/webview/views/
 * and nothing else, which a unit test holds to.
 */
// First: the nonce must be in the page before the toolkit's modules run.
import './toolkitNonce';
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDataGrid,
  vsCodeDataGridCell,
  vsCodeDataGridRow,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeProgressRing,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

/** Defines the toolkit's elements; those already in the page upgrade as they are defined. */
export function registerToolkit(): void {
  provideVSCodeDesignSystem().register(
    vsCodeButton(),
    vsCodeCheckbox(),
    vsCodeDataGrid(),
    vsCodeDataGridCell(),
    vsCodeDataGridRow(),
    vsCodeDropdown(),
    vsCodeOption(),
    vsCodeProgressRing(),
    vsCodeTextField(),
  );
}
