import { Writable } from 'node:stream';

/**
 * C1 controls and bidirectional controls: readline passes them through when it echoes a typed or
 * pasted line (it turns ESC sequences into keys, but not these), and some terminals act on them.
 */
const INVISIBLE_CONTROLS = /[\u0080-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The output readline echoes the line being typed to: the real terminal, minus those characters.
 * readline counts them as zero width, so dropping them keeps its cursor arithmetic right; the
 * numbered echo above each answer still shows them, escaped.
 */
export function createEchoOutput(out: NodeJS.WritableStream & { columns?: number; rows?: number }): NodeJS.WritableStream {
  const echo = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _enc, cb) {
      out.write(String(chunk).replace(INVISIBLE_CONTROLS, ''));
      cb();
    },
  });
  // readline wraps long lines by the terminal's width and redraws on resize.
  Object.defineProperties(echo, {
    isTTY: { get: () => (out as { isTTY?: boolean }).isTTY === true },
    columns: { get: () => out.columns },
    rows: { get: () => out.rows },
  });
  out.on('resize', () => echo.emit('resize'));
  return echo;
}
