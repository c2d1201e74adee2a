import type { IncomingMessage, ServerResponse } from 'node:http';

/** MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, no CRC: 417 bytes a frame. */
const FRAME_HEADER = Buffer.from([0xff, 0xfb, 0x90, 0x64]);
const FRAME_BYTES = 417;

/**
 * About a second of silent MP3: frames whose side information and main data are all zero decode
 * to silence, so a browser's <audio> can load and play it.
 */
export const FAKE_RECORDING_MP3: Buffer = Buffer.concat(
  Array.from({ length: 38 }, () => Buffer.concat([FRAME_HEADER, Buffer.alloc(FRAME_BYTES - 4)])),
);

/**
 * Answers a recording's media request as Twilio does for `Recordings/{Sid}.mp3`: the whole file, or
 * one `bytes=` range with 206 (416 when it lies outside the file).
 */
export function sendRecordingMedia(request: IncomingMessage, response: ServerResponse, audio: Buffer): void {
  const headers = { 'content-type': 'audio/mpeg', 'accept-ranges': 'bytes' };
  const range = /^bytes=(\d*)-(\d*)$/.exec(request.headers.range ?? '');
  if (!range || (range[1] === '' && range[2] === '')) {
    response.writeHead(200, { ...headers, 'content-length': audio.length }).end(audio);
    return;
  }
  const [, from, to] = range;
  const start = from === '' ? Math.max(0, audio.length - Number(to)) : Number(from);
  const end = from === '' || to === '' ? audio.length - 1 : Math.min(Number(to), audio.length - 1);
  if (start > end || start >= audio.length) {
    response.writeHead(416, { 'content-range': `bytes */${audio.length}` }).end();
    return;
  }
  response
    .writeHead(206, {
      ...headers,
      'content-length': end - start + 1,
      'content-range': `bytes ${start}-${end}/${audio.length}`,
    })
    .end(audio.subarray(start, end + 1));
}
