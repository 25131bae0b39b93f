/** Settings checks: what each command accepts, and the one-line reason and setting it points to otherwise. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { COMPRESSIONS, LAYOUT_NAMES, SAMPLE_FORMATS } from '../../src/codec';
import {
  datasetSettings,
  decodeSettings,
  encodeSettings,
  samplesSettings,
  SETTING,
  type SettingName,
} from '../../src/extension/settings';

/** The contributed defaults (package.json), overridden per test. */
const DEFAULTS: Record<SettingName, unknown> = {
  width: 768,
  height: 768,
  pixelExpansion: 1,
  compression: 'default',
  layout: 'bytes',
  reducer: 'auto',
  outputFolder: '',
  ifOutputExists: 'ask',
  'assume.sampleRate': 44100,
  'assume.channels': 2,
  'assume.sampleFormat': 's16',
  'assume.layout': 'bytes',
  'dataset.size': 256,
  'dataset.expansion': 1,
  'dataset.layout': 'planes',
  'dataset.sampleFormat': 'auto',
  'dataset.sampleRate': 0,
  'dataset.channels': 0,
  'dataset.tail': 'pad',
  'dataset.validation': 0,
  'samples.raw': false,
};

const reader = (overrides: Partial<Record<SettingName, unknown>> = {}) => (name: SettingName) => ({ ...DEFAULTS, ...overrides })[name];

interface Contributed {
  default: unknown;
  enum?: unknown[];
}

const packageJson = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
  publisher: string;
  name: string;
  contributes: { configuration: { properties: Record<string, Contributed> } };
};

describe('contributed settings', () => {
  test('the query for all settings, given with a problem of several, names this extension as package.json does', () => {
    const checked = datasetSettings(reader({ 'dataset.size': 100, 'dataset.expansion': 3 }));
    assert.equal(checked.ok ? undefined : checked.problem.settingsQuery, `@ext:${packageJson.publisher}.${packageJson.name}`);
  });

  test('package.json contributes every setting read here, with the defaults these tests use, and no other', () => {
    const contributed = packageJson.contributes.configuration.properties;
    assert.deepEqual(Object.keys(contributed).sort(), Object.values(SETTING).map((name) => `resonance.${name}`).sort());
    for (const name of Object.values(SETTING)) assert.deepEqual(contributed[`resonance.${name}`].default, DEFAULTS[name], name);
  });

  test('the enums offered are the values accepted', () => {
    const enumOf = (name: SettingName) => packageJson.contributes.configuration.properties[`resonance.${name}`].enum;
    // What a check accepts, as its refusal of anything else lists it; and it does accept each of those.
    const acceptedBy = (check: (read: (name: SettingName) => unknown) => { ok: boolean; problem?: { message: string } }, name: SettingName) => {
      const refused = check(reader({ [name]: 'not-a-choice' }));
      const listed = /must be one of (.+), not "not-a-choice"\.$/.exec(refused.problem?.message ?? '')?.[1].split(', ');
      assert.ok(listed, `${name}: ${refused.problem?.message}`);
      for (const value of listed) assert.equal(check(reader({ [name]: value })).ok, true, `${name}: ${value}`);
      return listed;
    };
    const REDUCER_CHOICES = acceptedBy(decodeSettings, SETTING.reducer);
    const OUTPUT_POLICIES = acceptedBy(encodeSettings, SETTING.ifOutputExists);
    const DATASET_SAMPLE_FORMATS = acceptedBy(datasetSettings, SETTING.datasetSampleFormat);
    const DATASET_TAILS = acceptedBy(datasetSettings, SETTING.datasetTail);
    assert.deepEqual(enumOf(SETTING.layout), [...LAYOUT_NAMES]);
    assert.deepEqual(enumOf(SETTING.assumeLayout), [...LAYOUT_NAMES]);
    assert.deepEqual(enumOf(SETTING.reducer), [...REDUCER_CHOICES]);
    assert.deepEqual(enumOf(SETTING.compression), [...COMPRESSIONS]);
    assert.deepEqual(enumOf(SETTING.ifOutputExists), [...OUTPUT_POLICIES]);
    assert.deepEqual(enumOf(SETTING.assumeSampleFormat), [...SAMPLE_FORMATS]);
    assert.deepEqual(enumOf(SETTING.datasetLayout), [...LAYOUT_NAMES]);
    assert.deepEqual(enumOf(SETTING.datasetSampleFormat), [...DATASET_SAMPLE_FORMATS]);
    assert.deepEqual(enumOf(SETTING.datasetTail), [...DATASET_TAILS]);
  });
});

describe('encode settings', () => {

  test('the defaults give 768 × 768 frames at expansion 1, beside the input, asking before replacing', () => {
    assert.deepEqual(encodeSettings(reader()), {
      ok: true,
      settings: { geometry: { width: 768, height: 768, expansion: 1 }, compression: 'default', layout: 'bytes', outputFolder: '', ifOutputExists: 'ask' },
    });
  });

  test('a non-square geometry that the expansion divides is accepted', () => {
    const checked = encodeSettings(
      reader({ width: 64, height: 32, pixelExpansion: 4, compression: 'small', layout: 'planes', outputFolder: ' frames/ ', ifOutputExists: 'newName' }),
    );
    assert.deepEqual(checked, {
      ok: true,
      settings: {
        geometry: { width: 64, height: 32, expansion: 4 },
        compression: 'small',
        layout: 'planes',
        outputFolder: 'frames/',
        ifOutputExists: 'newName',
      },
    });
  });

  test('a frame larger than 4,194,304 pixels is refused before any work, pointing at the size settings', () => {
    const checked = encodeSettings(reader({ width: 16384, height: 16384, pixelExpansion: 1 }));
    assert.equal(checked.ok, false);
    if (checked.ok) return;
    assert.match(checked.problem.message, /a frame of 16384 × 16384 pixels is larger than Resonance handles: at most 4,194,304 pixels/);
    assert.deepEqual(checked.problem.settings, ['resonance.width', 'resonance.height', 'resonance.pixelExpansion']);
  });

  test('width and height that are not multiples of the expansion are refused, pointing at all three settings', () => {
    const checked = encodeSettings(reader({ width: 100, height: 768, pixelExpansion: 3 }));
    assert.equal(checked.ok, false);
    if (checked.ok) return;
    assert.match(checked.problem.message, /width 100 and height 768 must both be multiples of the pixel expansion 3/);
    assert.deepEqual(checked.problem.settings, ['resonance.width', 'resonance.height', 'resonance.pixelExpansion']);
    assert.equal(checked.problem.settingsQuery, '@ext:resonance.resonance');
    assert.doesNotMatch(checked.problem.message, /\n/);
  });

  const badValues: Array<[SettingName, unknown, RegExp]> = [
    ['width', 0, /resonance\.width must be a whole number from 1 to 16384, not 0/],
    ['width', 16385, /resonance\.width must be a whole number from 1 to 16384, not 16385/],
    ['height', 50.5, /resonance\.height must be a whole number from 1 to 16384, not 50\.5/],
    ['height', '768', /resonance\.height must be a whole number from 1 to 16384, not "768"/],
    ['pixelExpansion', 257, /resonance\.pixelExpansion must be a whole number from 1 to 256, not 257/],
    ['pixelExpansion', null, /resonance\.pixelExpansion must be a whole number from 1 to 256, not null/],
    ['compression', 'tiny', /resonance\.compression must be one of fast, default, small, not "tiny"/],
    ['layout', 'rows', /resonance\.layout must be one of bytes, planes, not "rows"/],
    ['layout', undefined, /resonance\.layout must be one of bytes, planes, not nothing/],
    ['outputFolder', 3, /resonance\.outputFolder must be a path, not 3/],
    ['ifOutputExists', 'replace', /resonance\.ifOutputExists must be one of ask, overwrite, newName, not "replace"/],
  ];
  for (const [name, value, message] of badValues) {
    test(`${name} = ${JSON.stringify(value)} is refused with the setting to open`, () => {
      const checked = encodeSettings(reader({ [name]: value }));
      assert.equal(checked.ok, false);
      if (checked.ok) return;
      assert.match(checked.problem.message, message);
      assert.deepEqual(checked.problem.settings, [`resonance.${name}`]);
      assert.equal(checked.problem.settingsQuery, `resonance.${name}`);
    });
  }

  test('an unset output folder means beside the input', () => {
    const checked = encodeSettings(reader({ outputFolder: undefined }));
    assert.equal(checked.ok && checked.settings.outputFolder, '');
  });
});

describe('decode settings', () => {
  test('the defaults assume 16-bit stereo at 44.1 kHz in the bytes layout at the pixel expansion, and leave the reducer to the codec', () => {
    assert.deepEqual(decodeSettings(reader({ pixelExpansion: 2 })), {
      ok: true,
      settings: { assume: { sampleRate: 44100, channels: 2, sampleFormat: 's16', expansion: 2, layout: 'bytes' }, outputFolder: '', ifOutputExists: 'ask' },
    });
  });

  for (const reducer of ['mean', 'median', 'center'] as const) {
    test(`reducer ${reducer} is passed on as chosen`, () => {
      const checked = decodeSettings(reader({ reducer }));
      assert.equal(checked.ok && checked.settings.reducer, reducer);
    });
  }

  test('the layout to assume for frames without metadata is its own setting, apart from the one encoding uses', () => {
    const checked = decodeSettings(reader({ layout: 'bytes', 'assume.layout': 'planes' }));
    assert.equal(checked.ok && checked.settings.assume.layout, 'planes');
    assert.equal(decodeSettings(reader({ layout: 'rows' })).ok, true, 'decoding does not read resonance.layout');
  });

  test('a geometry that encoding would refuse does not stop a decode: frames carry their own', () => {
    assert.equal(decodeSettings(reader({ width: 100, pixelExpansion: 3 })).ok, true);
  });

  const badValues: Array<[SettingName, unknown, RegExp]> = [
    ['assume.sampleRate', 0, /resonance\.assume\.sampleRate must be a whole number from 1 to 4294967295, not 0/],
    ['assume.channels', 1.5, /resonance\.assume\.channels must be a whole number from 1 to 65535, not 1\.5/],
    ['assume.sampleFormat', 's12', /resonance\.assume\.sampleFormat must be one of u8, s16, s24, s32, f32, f64, alaw, mulaw, not "s12"/],
    ['ifOutputExists', undefined, /resonance\.ifOutputExists must be one of ask, overwrite, newName, not nothing/],
    ['assume.layout', 'rows', /resonance\.assume\.layout must be one of bytes, planes, not "rows"/],
    ['reducer', 'max', /resonance\.reducer must be one of auto, mean, median, center, not "max"/],
    ['reducer', 'Center', /resonance\.reducer must be one of auto, mean, median, center, not "Center"/],
  ];
  for (const [name, value, message] of badValues) {
    test(`${name} = ${JSON.stringify(value)} is refused`, () => {
      const checked = decodeSettings(reader({ [name]: value }));
      assert.equal(checked.ok, false);
      if (checked.ok) return;
      assert.match(checked.problem.message, message);
      assert.deepEqual(checked.problem.settings, [`resonance.${name}`]);
      assert.equal(checked.problem.settingsQuery, `resonance.${name}`);
    });
  }
});

describe('dataset settings', () => {
  test('the defaults give 256 × 256 images in the planes layout, in the corpus\'s own audio format, padded, no validation split', () => {
    assert.deepEqual(datasetSettings(reader()), {
      ok: true,
      settings: {
        size: 256,
        expansion: 1,
        layout: 'planes',
        compression: 'default',
        audio: {},
        tail: 'pad',
        validation: 0,
        outputFolder: '',
        ifOutputExists: 'ask',
      },
    });
  });

  test('a target audio format given in full, and a validation fraction, are taken as they are', () => {
    const checked = datasetSettings(
      reader({ 'dataset.sampleFormat': 'f32', 'dataset.sampleRate': 16000, 'dataset.channels': 1, 'dataset.validation': 0.1, 'dataset.tail': 'drop' }),
    );
    assert.ok(checked.ok);
    assert.deepEqual(checked.settings.audio, { sampleFormat: 'f32', sampleRate: 16000, channels: 1 });
    assert.equal(checked.settings.validation, 0.1);
    assert.equal(checked.settings.tail, 'drop');
  });

  test('a size the expansion does not divide is refused, pointing at both settings', () => {
    const checked = datasetSettings(reader({ 'dataset.size': 100, 'dataset.expansion': 3 }));
    assert.equal(checked.ok, false);
    if (checked.ok) return;
    assert.match(
      checked.problem.message,
      /^Resonance cannot build a dataset with these settings: .*resonance\.dataset\.size or resonance\.dataset\.expansion\.$/,
    );
    assert.deepEqual(checked.problem.settings, ['resonance.dataset.size', 'resonance.dataset.expansion']);
    assert.equal(checked.problem.settingsQuery, `@ext:${packageJson.publisher}.${packageJson.name}`);
  });

  const refused: Array<[SettingName, unknown, RegExp]> = [
    ['dataset.size', 64.5, /^resonance\.dataset\.size must be a whole number from 1 to 16384, not 64\.5\.$/],
    ['dataset.sampleRate', -1, /^resonance\.dataset\.sampleRate must be a whole number from 0 to 4294967295, not -1\.$/],
    ['dataset.channels', '2', /^resonance\.dataset\.channels must be a whole number from 0 to 65535, not "2"\.$/],
    ['dataset.sampleFormat', 's12', /^resonance\.dataset\.sampleFormat must be one of auto, u8, .*, not "s12"\.$/],
    ['dataset.layout', 'rows', /^resonance\.dataset\.layout must be one of bytes, planes, not "rows"\.$/],
    ['dataset.tail', 'cut', /^resonance\.dataset\.tail must be one of pad, drop, not "cut"\.$/],
    ['dataset.validation', 1, /^resonance\.dataset\.validation must be a fraction from 0 up to \(not including\) 1, not 1\.$/],
  ];
  for (const [name, value, message] of refused) {
    test(`${name} set to ${JSON.stringify(value)} is refused with a one-line reason naming it`, () => {
      const checked = datasetSettings(reader({ [name]: value }));
      assert.equal(checked.ok, false);
      if (checked.ok) return;
      assert.match(checked.problem.message, message);
      assert.deepEqual(checked.problem.settings, [`resonance.${name}`]);
    });
  }
});

describe('sample decoding settings', () => {
  test('samples.raw is off by default, taken when true, and anything but a boolean is refused naming the setting', () => {
    assert.deepEqual(samplesSettings(reader()), { ok: true, settings: { raw: false } });
    assert.deepEqual(samplesSettings(reader({ 'samples.raw': true })), { ok: true, settings: { raw: true } });
    const checked = samplesSettings(reader({ 'samples.raw': 'yes' }));
    assert.equal(checked.ok, false);
    if (!checked.ok) {
      assert.deepEqual(checked.problem.settings, ['resonance.samples.raw']);
      assert.match(checked.problem.message, /resonance\.samples\.raw must be true or false, not "yes"/);
    }
  });
});
