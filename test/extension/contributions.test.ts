/**
 * What package.json contributes, checked against the code and against itself: every user-visible
 * string comes from package.nls.json, every command a menu or the walkthrough names is contributed
 * and registered by the extension, and every command has a Command Palette when-clause.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { COMMAND } from '../../src/extension/commandIds';
import { PALETTE_ACTIONS, SEQUENCE_EDITOR_ACTIVE } from '../../src/shared/protocol';
import { PROJECT_ROOT } from '../helpers/paths';

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string };
  completionEvents?: string[];
}
interface Manifest {
  activationEvents: string[];
  contributes: {
    commands: Array<{ command: string; title: string; category: string }>;
    menus: Record<string, Array<{ command: string; when?: string }>>;
    walkthroughs: Array<{ id: string; title: string; description: string; steps: Step[] }>;
  };
}

const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as Manifest;
const nls = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
/** The manifest fields VS Code shows to users. */
const SHOWN = new Set([
  'displayName',
  'description',
  'markdownDescription',
  'enumDescriptions',
  'markdownEnumDescriptions',
  'title',
  'category',
  'label',
  'altText',
]);

/** Every shown string of the manifest, with its path. */
function shownStrings(value: unknown, path: string[] = [], shown = false): Array<{ path: string; text: string }> {
  if (typeof value === 'string') return shown ? [{ path: path.join('.'), text: value }] : [];
  if (Array.isArray(value)) return value.flatMap((each, index) => shownStrings(each, [...path, String(index)], shown));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, each]) => shownStrings(each, [...path, key], shown || SHOWN.has(key)));
  return [];
}

/** Commands a walkthrough step's description links to: `[text](command:id)` or `command:id?args`. */
function linkedCommands(markdown: string): string[] {
  return [...markdown.matchAll(/\(command:([\w.-]+)/g)].map((match) => match[1]);
}

describe('package.nls.json', () => {
  const strings = shownStrings(manifest);

  test('every string package.json shows to users is a %key% of package.nls.json', () => {
    assert.ok(strings.length > 50, `${strings.length} strings found`);
    for (const { path, text } of strings) {
      const key = /^%([^%]+)%$/.exec(text)?.[1];
      assert.ok(key, `${path} is "${text.slice(0, 60)}", not a %key%`);
      assert.equal(typeof nls[key], 'string', `${path}: ${key} is missing from package.nls.json`);
      assert.notEqual(nls[key].trim(), '', `${key} is empty`);
    }
  });

  test('package.nls.json holds no key that package.json does not use', () => {
    const used = new Set(strings.map(({ text }) => text.slice(1, -1)));
    assert.deepEqual(
      Object.keys(nls).filter((key) => !used.has(key)),
      [],
    );
  });
});

describe('commands', () => {
  const contributed = manifest.contributes.commands.map((each) => each.command).sort();

  test('the commands contributed are the commands the extension registers (commandIds.ts), each activating it', () => {
    assert.deepEqual(contributed, Object.values(COMMAND).sort());
    for (const id of contributed) assert.ok(manifest.activationEvents.includes(`onCommand:${id}`), `onCommand:${id}`);
  });

  test('every command a menu names is contributed', () => {
    for (const [menu, items] of Object.entries(manifest.contributes.menus)) {
      for (const item of items) assert.ok(contributed.includes(item.command), `${menu} names ${item.command}, which is not contributed`);
    }
  });

  test("the editor's palette actions show only while a sequence editor is the active editor", () => {
    const palette = new Map(manifest.contributes.menus.commandPalette.map((item) => [item.command, item.when]));
    for (const id of Object.values(PALETTE_ACTIONS)) assert.equal(palette.get(id), SEQUENCE_EDITOR_ACTIVE, id);
  });

  test('every command has a Command Palette entry with a when-clause', () => {
    const palette = new Map(manifest.contributes.menus.commandPalette.map((item) => [item.command, item.when]));
    for (const id of contributed) assert.ok(palette.get(id)?.trim(), `${id} has no when-clause in menus.commandPalette`);
  });
});

describe('walkthrough', () => {
  const [walkthrough, ...others] = manifest.contributes.walkthroughs;
  const steps = walkthrough.steps;

  test('one walkthrough, from a WAV to frames, to a dataset, to decoding and auditioning samples', () => {
    assert.equal(others.length, 0);
    assert.deepEqual(
      steps.map((step) => step.id),
      ['encode', 'preview', 'dataset', 'decode', 'audition'],
    );
  });

  test('every step links to a command the extension contributes, completes on one, and has its media in the package', () => {
    for (const step of steps) {
      const description = nls[step.description.slice(1, -1)];
      const linked = linkedCommands(description);
      assert.ok(linked.length > 0, `${step.id} links to no command`);
      for (const id of linked) assert.ok(contributed().includes(id), `${step.id} links to ${id}, which is not contributed`);
      for (const event of step.completionEvents ?? []) assert.ok(contributed().includes(event.replace(/^onCommand:/, '')), `${step.id} completes on ${event}`);
      const media = step.media.markdown ?? step.media.image;
      assert.ok(media && existsSync(join(PROJECT_ROOT, media)), `${step.id}: ${media} exists`);
      assert.match(media, /^media\//, 'media/ is in the .vsix (.vscodeignore)');
    }
  });

  const contributed = () => manifest.contributes.commands.map((each) => each.command);
});
