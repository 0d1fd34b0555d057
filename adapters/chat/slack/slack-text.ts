/**
 * Incoming Slack message text to plain text for a model: mentions, channel links and URLs become
 * readable words, and the bot's own mention is dropped, so nothing Slack-specific reaches the prompt.
 */
export function slackToPlain(text: string, botUserId?: string): string {
  let t = text;
  if (botUserId) t = t.replace(new RegExp(`<@${botUserId}(\\|[^>]*)?>`, 'g'), '');
  t = t
    .replace(/<@([UW][A-Z0-9]+)\|([^>]+)>/g, '@$2')
    .replace(/<@([UW][A-Z0-9]+)>/g, '@$1')
    .replace(/<#(C[A-Z0-9]+)\|([^>]*)>/g, (_m, id: string, name: string) => `#${name || id}`)
    .replace(/<#(C[A-Z0-9]+)>/g, '#$1')
    .replace(/<!subteam\^[A-Z0-9]+\|([^>]+)>/g, '$1')
    .replace(/<!(channel|here|everyone)(\|[^>]*)?>/g, '@$1')
    .replace(/<!date\^[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<!([^>|]+)(\|[^>]*)?>/g, '$1')
    .replace(/<((?:https?|mailto):[^>|]+)\|([^>]+)>/g, (_m, url: string, label: string) => (label === url ? url : `${label} (${url})`))
    .replace(/<((?:https?|mailto):[^>]+)>/g, '$1');
  return t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').trim();
}
