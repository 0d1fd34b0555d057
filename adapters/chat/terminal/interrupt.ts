import type readline from 'node:readline';
import type { AnswerRefs } from './answer-refs.ts';
import { LOCAL_WORKSPACE } from '../../../src/keys/key-service.ts';
import type { Screen } from './screen.ts';
import type { TerminalAdapterOptions } from './terminal-options.ts';

/** What a line typed while answers finish is told. */
export const FINISHING_NOTE = 'Hive is finishing its answers and takes no new ones. Ctrl-C again to stop them now.';

const answers = (n: number) => (n === 1 ? '1 answer' : `${n} answers`);

/**
 * Ctrl-C at the terminal: with nothing running, input ends; with answers running, the first press
 * stops reading and says what it is finishing, and a second cancels them through `/cancel` (each
 * reply then says what it spent). Input ends once the last answer is in.
 */
export function interrupt(p: { o: TerminalAdapterOptions; screen: Screen; refs: AnswerRefs; rl: readline.Interface; cancel: { byUser: boolean } }): void {
  const running = p.refs.running();
  if (running.length === 0) {
    p.cancel.byUser = true;
    p.rl.close();
    return;
  }
  if (!p.cancel.byUser) {
    p.cancel.byUser = true;
    p.screen.show(`Finishing ${answers(running.length)}… Ctrl-C again to stop now.`);
    void p.o.dispatcher.drain().then(() => p.rl.close());
    return;
  }
  const refs = running.map((n) => p.refs.refOf(n)).filter((r): r is string => r !== undefined);
  p.screen.show(
    `Stopping now: cancelling ${answers(refs.length)}${refs.length < running.length ? ` (${running.length - refs.length} not started yet, left to finish)` : ''}.`,
  );
  for (const ref of refs) {
    void p.o.dispatcher.handle({
      platform: 'terminal',
      workspaceId: LOCAL_WORKSPACE,
      channelId: 'terminal',
      userId: p.o.user ?? 'operator',
      command: 'cancel',
      text: ref,
      isAdmin: async () => true,
      respond: async () => undefined, // each cancelled answer says so itself
    });
  }
}
