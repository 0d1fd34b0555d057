/**
 * C0 controls (except tab and newline), DEL, C1 controls and the bidirectional overrides: the
 * characters that let text move the cursor, recolour, retitle or reorder what a terminal shows.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Makes untrusted text (user input, model output, logged values) inert on a terminal: controls are shown as `\x1b`, `\u202e`. */
export function escapeControlChars(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
