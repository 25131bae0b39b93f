/** Where a folder's parameters came from, in the words decode and info both print. */
import type { MetadataSource } from '../../codec';

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
