// WAV bytes with the canonical 44-byte header, for the tests that are not compiled with the unit
// tests (the VS Code harnesses in test/vscode/, the extension-host suite, the demo workspace): plain
// CommonJS, so that ES modules import it and compiled CommonJS requires it where it stands.
'use strict';

/** The 44-byte header of `dataLength` bytes of integer PCM. */
function pcmWavHeader(dataLength, { sampleRate, channels, bitsPerSample = 16 }) {
  const blockAlign = channels * (bitsPerSample / 8);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + dataLength, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(bitsPerSample, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(dataLength, 40);
  return header;
}

/** A WAV of `data`, integer PCM. */
function pcmWav(data, format) {
  return Buffer.concat([pcmWavHeader(data.length, format), data]);
}

/** A 16-bit stereo 44.1 kHz WAV of `dataLength` bytes, each byte its offset in the file modulo 256 (a sawtooth). */
function sawtoothWav(dataLength) {
  const wav = Buffer.alloc(44 + dataLength);
  pcmWavHeader(dataLength, { sampleRate: 44100, channels: 2 }).copy(wav);
  for (let i = 44; i < wav.length; i++) wav[i] = i & 0xff;
  return wav;
}

module.exports = { pcmWavHeader, pcmWav, sawtoothWav };
