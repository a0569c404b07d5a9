// Text from an input (a file name, a CSV header, a value quoted by an issue) goes to a
// terminal or a cron mail only through here: control characters become \xNN, so an input
// cannot move the cursor, retitle the window, recolour the screen or hide a line.

/** C0 controls, DEL, C1 controls, and the bidirectional overrides that reorder a line's text. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function escapeTerminal(text: string): string {
  return text.replace(CONTROL, (ch) => {
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
