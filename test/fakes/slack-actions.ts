/** A `block_actions` payload as Slack sends it when someone presses a button on a message. */
export interface PressFields {
  teamId: string;
  userId: string;
  channelId: string;
  /** The pressed message: its ts, and its thread's when it is a reply. */
  messageTs: string;
  threadTs?: string;
  /** The element pressed: a Hive button (`hive.action.<kind>`) or its feedback buttons (`hive.feedback`). */
  actionId: string;
  value: string;
  triggerId: string;
  responseUrl?: string;
  ephemeral?: boolean;
}

export function blockActionsPayload(f: PressFields): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: f.userId, team_id: f.teamId },
    team: { id: f.teamId, domain: 'hive' },
    api_app_id: 'AHIVE',
    token: 'legacy',
    trigger_id: f.triggerId,
    container: { type: 'message', channel_id: f.channelId, message_ts: f.messageTs, ...(f.ephemeral ? { is_ephemeral: true } : {}) },
    channel: { id: f.channelId },
    ...(f.ephemeral ? {} : { message: { ts: f.messageTs, ...(f.threadTs ? { thread_ts: f.threadTs } : {}), type: 'message' } }),
    ...(f.responseUrl ? { response_url: f.responseUrl } : {}),
    actions: [
      {
        type: f.actionId === 'hive.feedback' ? 'feedback_buttons' : 'button',
        action_id: f.actionId,
        block_id: 'hive.actions',
        value: f.value,
        action_ts: '1700000009.000001',
      },
    ],
  };
}

/** Every Hive button value on the blocks given (actions rows and feedback buttons). */
export function buttonValues(blocks: unknown): { actionId: string; value: string }[] {
  const out: { actionId: string; value: string }[] = [];
  for (const b of (Array.isArray(blocks) ? blocks : []) as { type: string; elements?: Record<string, unknown>[] }[]) {
    for (const e of b.elements ?? []) {
      if (e.type === 'button') out.push({ actionId: String(e.action_id), value: String(e.value) });
      if (e.type === 'feedback_buttons') {
        const pos = e.positive_button as { value: string };
        const neg = e.negative_button as { value: string };
        out.push({ actionId: String(e.action_id), value: pos.value }, { actionId: String(e.action_id), value: neg.value });
      }
    }
  }
  return out;
}
