import readline from 'node:readline';

/** Where the terminal adapter writes; at an interactive terminal, output goes above the prompt. */
export interface Screen {
  /** Shows a block of text; the prompt and whatever the user was typing are redrawn below it. */
  show(text: string, to?: NodeJS.WritableStream): void;
  prompt(): void;
  /** After input ends: no prompt to keep. */
  close(): void;
}

/**
 * Prints without garbling the line being typed: at an interactive terminal it erases the prompt
 * (and the rows the typed line wraps onto), prints, then lets readline redraw prompt and input.
 */
export function createScreen(output: NodeJS.WritableStream, rl: readline.Interface | undefined, onError: (err: unknown) => void): Screen {
  let open = rl !== undefined;
  const write = (text: string, to = output) => {
    try {
      to.write(text.endsWith('\n') ? text : `${text}\n`);
    } catch (err) {
      onError(err);
    }
  };
  return {
    show(text, to) {
      if (!open || !rl) return write(text, to);
      readline.moveCursor(output, 0, -rl.getCursorPos().rows);
      readline.cursorTo(output, 0);
      readline.clearScreenDown(output);
      write(text, to);
      rl.prompt(true);
    },
    prompt() {
      if (open) rl?.prompt();
    },
    close() {
      // Leave the prompt's line, so answers still in flight and the shell's prompt start on their own.
      if (open) write('');
      open = false;
    },
  };
}
