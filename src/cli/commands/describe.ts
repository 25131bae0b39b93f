/** What decode and info both say about a folder of frames and both take from the command line. */
import type { Assumptions, LayoutName, MetadataSource, SampleFormat } from '../../codec';

export function assumptionsFrom(options: { sampleRate?: number; channels?: number; format?: SampleFormat; expansion?: number; layout?: LayoutName }): Assumptions {
  return { sampleRate: options.sampleRate, channels: options.channels, sampleFormat: options.format, expansion: options.expansion, layout: options.layout };
}

export function metadataDescription(source: MetadataSource): string {
  switch (source) {
    case 'manifest':
      return 'resonance.json';
    case 'frames':
      return "the frames' text chunks";
    case 'assumed':
      return 'the command line';
  }
}
