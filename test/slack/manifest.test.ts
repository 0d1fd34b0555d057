import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BOT_SCOPES } from '../../adapters/chat/slack/app.ts';
import { createCommands } from '../../commands/index.ts';

interface Manifest {
  features: { slash_commands: { command: string; url?: string; should_escape: boolean }[] };
  oauth_config: { redirect_urls?: string[]; scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url?: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url?: string };
    socket_mode_enabled: boolean;
  };
}

const read = (name: string) => JSON.parse(readFileSync(new URL(`../../adapters/chat/slack/${name}`, import.meta.url), 'utf8')) as Manifest;

describe('app manifests', () => {
  for (const [name, socket] of [
    ['manifest.json', false],
    ['manifest.socket-mode.json', true],
  ] as const) {
    it(`${name} declares every command, the scopes the installer asks for, the events and interactivity`, () => {
      const m = read(name);
      const commands = m.features.slash_commands.map((c) => c.command.slice(1)).sort();
      expect(commands).toEqual(
        createCommands()
          // Answer actions are buttons on Slack, not slash commands.
          .filter((c) => !c.action)
          .map((c) => c.name)
          .sort(),
      );
      expect(m.features.slash_commands.every((c) => !c.should_escape)).toBe(true);
      expect(m.oauth_config.scopes.bot.sort()).toEqual([...BOT_SCOPES].sort());
      expect(m.settings.event_subscriptions.bot_events.sort()).toEqual([
        'app_context_changed',
        'app_home_opened',
        'app_mention',
        'app_uninstalled',
        'message.channels',
        'message.groups',
        'message.im',
        'tokens_revoked',
      ]);
      expect(m.settings.interactivity.is_enabled).toBe(true);
      expect(m.settings.socket_mode_enabled).toBe(socket);
      if (!socket) {
        const urls = [...m.features.slash_commands.map((c) => c.url), m.settings.event_subscriptions.request_url, m.settings.interactivity.request_url];
        expect(urls.every((u) => u?.endsWith('/slack/events'))).toBe(true);
        expect(m.oauth_config.redirect_urls?.[0]).toMatch(/\/slack\/oauth_redirect$/);
      }
    });
  }
});
