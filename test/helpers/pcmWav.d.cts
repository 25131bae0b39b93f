export interface PcmFormat {
  sampleRate: number;
  channels: number;
  /** Default 16. */
  bitsPerSample?: number;
}
export function pcmWavHeader(dataLength: number, format: PcmFormat): Buffer;
export function pcmWav(data: Buffer, format: PcmFormat): Buffer;
export function sawtoothWav(dataLength: number): Buffer;
