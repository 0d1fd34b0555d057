/** Log lines a platform may show its own way: the terminal prints them above its prompt, not through it. */
export interface LogView {
  /** Shows every later log line through `render` until the returned stop is called. */
  show(render: (line: string) => void): () => void;
}

/** A log sink a platform may take over: the logger writes here, lines go to `fallback` until one shows them. */
export interface LogOutlet extends LogView {
  write(line: string): void;
}

/** Built before the bot, so the logger and the platform that shows its lines need not know each other. */
export function createLogOutlet(fallback: (line: string) => void): LogOutlet {
  const renders: ((line: string) => void)[] = [];
  return {
    write: (line) => (renders.at(-1) ?? fallback)(line),
    show(render) {
      renders.push(render);
      return () => {
        const i = renders.indexOf(render);
        if (i >= 0) renders.splice(i, 1);
      };
    },
  };
}
