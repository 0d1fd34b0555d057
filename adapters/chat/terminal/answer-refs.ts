import { ACTION_VERBS, type ActionOffer } from '../../../src/chat/answer-actions.ts';

/** The verbs the terminal types for answer actions (`/deeper 3`), from the core's own table. */
const ACTION_VERB_SET: ReadonlySet<string> = new Set(Object.values(ACTION_VERBS));

/**
 * What the terminal knows of its answers' actions: each numbered line's job reference, learned from
 * the offers on its progress notes and reply, so `/deeper 3` names answer [3]. Lines still running
 * are counted, so Ctrl-C can say how many answers it is finishing, and cancel them on a second press.
 */
export interface AnswerRefs {
  /** Line `n` started. */
  begin(n: number): void;
  /** Line `n` was offered actions (a progress note or its reply). */
  offered(n: number, offers: readonly ActionOffer[] | undefined): void;
  /** Line `n` answered. */
  end(n: number): void;
  /** Lines still running. */
  running(): number[];
  /** Line `n`'s job reference, if it offered any action. */
  refOf(n: number): string | undefined;
  /** `/deeper 3` → `/deeper <ref>`; other lines unchanged; an unknown number gets a refusal to show. */
  resolve(p: { command: string; text: string }): { command: string; text: string } | { refusal: string };
}

export function createAnswerRefs(): AnswerRefs {
  const refs = new Map<number, string>();
  const live = new Set<number>();
  return {
    begin: (n) => void live.add(n),
    offered(n, offers) {
      const ref = offers?.[0]?.ref;
      if (ref !== undefined) refs.set(n, ref);
    },
    end: (n) => void live.delete(n),
    running: () => [...live],
    refOf: (n) => refs.get(n),
    resolve(p) {
      if (!ACTION_VERB_SET.has(p.command)) return p;
      const m = /^\[?(\d{1,9})\]?$/.exec(p.text.trim());
      if (!m) return p; // a job reference typed as it is, or nothing: the command says what it needs
      const ref = refs.get(Number(m[1]));
      if (ref === undefined)
        return { refusal: `Answer [${m[1]}] has no actions in this session: type the number shown before an answer, e.g. /${p.command} 3.` };
      return { command: p.command, text: ref };
    },
  };
}

/** How a reply's offers read at the terminal: the verbs to type with its number. */
export function offersLine(offers: readonly ActionOffer[] | undefined, n: number): string | undefined {
  if (!offers || offers.length === 0) return undefined;
  return offers.map((o) => `/${ACTION_VERBS[o.kind]} ${n}`).join(' · ');
}
