/**
 * Localisable strings, checked in the source: every `vscode.l10n.t` / `l10n.t` / `t` call (host and
 * webview) passes a literal message, as VS Code's l10n tooling needs to extract it, with `{N}`
 * placeholders matching its arguments; and no string literal with words in it reaches the user
 * through the host's notifications, progress titles, quick picks or dialogs without going through one.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import ts from 'typescript';
import { PROJECT_ROOT } from '../helpers/paths';

/** The modules whose `t` is a translation function (src/extension/l10n.ts, src/webview/l10n.ts, @vscode/l10n itself). */
const L10N_MODULES = /(^|\/)l10n$|^@vscode\/l10n$/;

/** Calls that put text in front of the user: VS Code's windows, dialogs and pickers. */
const SHOWN_BY = new RegExp(
  '^(show(Information|Warning|Error)Message|withProgress|showQuickPick|createQuickPick|showInputBox|showOpenDialog|showSaveDialog|' +
    'setStatusBarMessage|createWebviewPanel)$',
);
/** Properties of those calls' option objects and items that are shown. */
const SHOWN_PROPERTIES = new Set(['title', 'placeHolder', 'prompt', 'openLabel', 'saveLabel', 'detail', 'label', 'description', 'tooltip', 'message']);

interface Finding {
  where: string;
  what: string;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Names bound to a translation function in this file: `t` imported from an l10n module, `l10n` as its namespace. */
function translationNames(file: ts.SourceFile): { functions: Set<string>; namespaces: Set<string> } {
  const functions = new Set<string>();
  const namespaces = new Set<string>();
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || !L10N_MODULES.test(statement.moduleSpecifier.text)) continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) namespaces.add(bindings.name.text);
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) if ((element.propertyName ?? element.name).text === 't') functions.add(element.name.text);
    }
  }
  return { functions, namespaces };
}

/** Whether a call is `vscode.l10n.t(…)`, `l10n.t(…)` or an imported `t(…)`. */
function isTranslation(call: ts.CallExpression, names: ReturnType<typeof translationNames>): boolean {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return names.functions.has(callee.text);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 't') return false;
  const owner = callee.expression;
  if (ts.isIdentifier(owner)) return names.namespaces.has(owner.text);
  return ts.isPropertyAccessExpression(owner) && owner.name.text === 'l10n' && ts.isIdentifier(owner.expression) && owner.expression.text === 'vscode';
}

function calleeName(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/** Text a literal shows, without codicons (`$(play)`) and placeholders: words in it need translating. */
function hasWords(text: string): boolean {
  return /\p{L}{2,}/u.test(text.replace(/\$\([\w~-]+\)/g, ''));
}

/** The string literals (and template texts) a shown value is made of, through ternaries, `+`, `??`, parentheses, arrays and option objects. */
function literalsShown(node: ts.Node, out: ts.Node[]): void {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) out.push(node);
  else if (ts.isTemplateExpression(node)) {
    if (hasWords(node.head.text) || node.templateSpans.some((span) => hasWords(span.literal.text))) out.push(node);
    for (const span of node.templateSpans) literalsShown(span.expression, out);
  } else if (ts.isParenthesizedExpression(node)) literalsShown(node.expression, out);
  else if (ts.isConditionalExpression(node)) {
    literalsShown(node.whenTrue, out);
    literalsShown(node.whenFalse, out);
  } else if (
    ts.isBinaryExpression(node) &&
    [ts.SyntaxKind.PlusToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(node.operatorToken.kind)
  ) {
    literalsShown(node.left, out);
    literalsShown(node.right, out);
  } else if (ts.isArrayLiteralExpression(node)) for (const element of node.elements) literalsShown(element, out);
  else if (ts.isSpreadElement(node)) literalsShown(node.expression, out);
  else if (ts.isObjectLiteralExpression(node)) {
    for (const property of node.properties) {
      if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && SHOWN_PROPERTIES.has(property.name.text))
        literalsShown(property.initializer, out);
    }
  }
}

/** What is wrong with the strings of one file; `path` names it in the findings. */
export function l10nFindings(path: string, text: string, { host }: { host: boolean }): Finding[] {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const names = translationNames(file);
  const findings: Finding[] = [];
  const where = (node: ts.Node) => `${path}:${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}`;
  // `const show = … ? vscode.window.showWarningMessage : vscode.window.showInformationMessage`: calls of `show` show too.
  const aliases = new Set<string>();
  const collectAliases = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const referenced: string[] = [];
      const walk = (each: ts.Node): void => {
        if (ts.isPropertyAccessExpression(each)) referenced.push(each.name.text);
        ts.forEachChild(each, walk);
      };
      walk(node.initializer);
      const reference = ts.isPropertyAccessExpression(node.initializer) || ts.isConditionalExpression(node.initializer);
      if (reference && referenced.some((name) => SHOWN_BY.test(name))) aliases.add(node.name.text);
    }
    ts.forEachChild(node, collectAliases);
  };
  collectAliases(file);
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      if (isTranslation(node, names)) {
        const [message, ...args] = node.arguments;
        if (!message || !(ts.isStringLiteral(message) || ts.isNoSubstitutionTemplateLiteral(message))) {
          findings.push({
            where: where(node),
            what: `the message of ${node.expression.getText(file)}(…) is not a literal string: ${node.getText(file).slice(0, 80)}`,
          });
        } else {
          const used = [...message.text.matchAll(/\{(\d+)\}/g)].map((match) => Number(match[1]));
          const wanted = used.length === 0 ? 0 : Math.max(...used) + 1;
          if (wanted !== args.length)
            findings.push({ where: where(node), what: `"${message.text}" has placeholders up to {${wanted - 1}} but ${args.length} arguments` });
        }
      } else if (host) {
        const name = calleeName(node);
        if (name !== undefined && (SHOWN_BY.test(name) || aliases.has(name))) {
          const literals: ts.Node[] = [];
          for (const argument of node.arguments) literalsShown(argument, literals);
          for (const literal of literals) {
            const shown = ts.isStringLiteral(literal) || ts.isNoSubstitutionTemplateLiteral(literal) ? literal.text : literal.getText(file);
            if (hasWords(shown)) findings.push({ where: where(literal), what: `${name}(…) shows ${JSON.stringify(shown)} without vscode.l10n.t` });
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return findings;
}

function findingsIn(folder: string, host: boolean): Finding[] {
  return sourceFiles(join(PROJECT_ROOT, folder)).flatMap((path) => l10nFindings(relative(PROJECT_ROOT, path), readFileSync(path, 'utf8'), { host }));
}

describe('localisable strings', () => {
  test('the check finds a computed message, a placeholder without its argument, and a shown literal', () => {
    const findings = l10nFindings(
      'example.ts',
      [
        "import * as vscode from 'vscode';",
        "import { t } from './l10n';",
        'const name = "x";',
        'vscode.l10n.t(`Encoded ${name}`);',
        "t('Encoded {0} into {1}', name);",
        "void vscode.window.showErrorMessage('Something failed');",
        'const show = name ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;',
        "void show(`${name} is done`, vscode.l10n.t('Reveal'));",
        "void vscode.window.withProgress({ location: 15, title: 'Working' }, async () => undefined);",
        "void vscode.window.showInformationMessage(vscode.l10n.t('{0} done', name), '$(check)');",
      ].join('\n'),
      { host: true },
    );
    assert.deepEqual(
      findings.map((finding) => finding.where),
      ['example.ts:4', 'example.ts:5', 'example.ts:6', 'example.ts:8', 'example.ts:9'],
      JSON.stringify(findings, null, 2),
    );
  });

  test('every host string the user reads goes through vscode.l10n.t or t, with a literal message', () => {
    const findings = findingsIn('src/extension', true);
    assert.deepEqual(findings, []);
  });

  test('every webview t() call has a literal message with as many arguments as placeholders', () => {
    const findings = findingsIn('src/webview', false);
    assert.deepEqual(findings, []);
  });

  test('the host and the webview do call them', () => {
    const calls = (folder: string) =>
      sourceFiles(join(PROJECT_ROOT, folder)).reduce(
        (count, path) => count + [...readFileSync(path, 'utf8').matchAll(/\b(?:vscode\.l10n\.|l10n\.)?t\('/g)].length,
        0,
      );
    assert.ok(calls('src/extension') > 100, `host calls: ${calls('src/extension')}`);
    assert.ok(calls('src/webview') >= 1, `webview calls: ${calls('src/webview')}`);
  });
});
