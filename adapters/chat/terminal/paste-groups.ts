import type readline from 'node:readline';

/** Asks the terminal to mark pastes (bracketed paste mode): ESC[200~ before one, ESC[201~ after. */
export const BRACKETED_PASTE_ON = '\u001b[?2004h';
/** Gives the terminal back its plain paste, for the shell and whatever runs next. */
export const BRACKETED_PASTE_OFF = '\u001b[?2004l';
/** The prompt under the first line of a paste still being held, as in a REPL. */
export const CONTINUATION_PROMPT = '... ';

/**
 * Bracketed paste mode, on while the terminal reads input, so the terminal marks each paste. Turned
 * off when intake ends, or at exit if the process ends first, leaving the terminal as it was found.
 */
export function enableBracketedPaste(output: NodeJS.WritableStream & { destroyed?: boolean; writableEnded?: boolean }): { off(): void } {
  const write = (text: string) => {
    if (output.destroyed !== true && output.writableEnded !== true) output.write(text);
  };
  const atExit = () => write(BRACKETED_PASTE_OFF);
  write(BRACKETED_PASTE_ON);
  process.once('exit', atExit);
  return {
    off() {
      process.off('exit', atExit);
      write(BRACKETED_PASTE_OFF);
    },
  };
}

/** Turns typed and pasted lines into questions. */
export interface PasteGroups {
  /** One line from readline: a question of its own, or part of a paste being held. */
  line(text: string): void;
  /** Input ended: a held paste is asked, unless the user cancelled (Ctrl-C). */
  end(cancelled: boolean): void;
}

interface PasteOptions {
  rl: readline.Interface;
  /** The input readline reads, whose `keypress` events mark where a paste starts and ends. */
  input: NodeJS.ReadableStream;
  prompt: string;
  ask(question: string): void;
  /** Shows the prompt again (after a question is asked, or under a held line). */
  reprompt(): void;
}

/**
 * At an interactive terminal, a multi-line paste is one question: lines between the terminal's
 * paste marks are held and asked together. A paste that ends with a line break is asked at once;
 * one that does not stays on the prompt line, to be completed and sent with Enter.
 */
export function createPasteGroups(o: PasteOptions): PasteGroups {
  let pasting = false;
  let held: string[] = [];
  const askHeld = () => {
    const question = held.join('\n');
    held = [];
    o.rl.setPrompt(o.prompt);
    o.ask(question);
  };
  // readline handles each key before this listener sees it: its `line` for a pasted Enter comes first.
  const onKey = (_s: string | undefined, key: { name?: string } | undefined) => {
    if (key?.name === 'paste-start') pasting = true;
    if (key?.name !== 'paste-end') return;
    pasting = false;
    if (held.length > 0 && o.rl.line === '') {
      askHeld();
      o.reprompt();
    }
  };
  o.input.on('keypress', onKey);
  return {
    line(text) {
      if (pasting || held.length > 0) held.push(text);
      if (pasting) {
        o.rl.setPrompt(CONTINUATION_PROMPT);
      } else if (held.length > 0) askHeld();
      else o.ask(text);
      o.reprompt();
    },
    end(cancelled) {
      o.input.off('keypress', onKey);
      if (held.length > 0 && !cancelled) askHeld();
    },
  };
}
