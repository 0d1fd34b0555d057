import type { types } from '@slack/bolt';
import { ACTION_LABELS, decodeAction, encodeAction, VOTE_ACTIONS, type ActionOffer } from '../../../src/chat/answer-actions.ts';

/** The action id of Hive's buttons (`hive.action.<kind>`) and of its feedback buttons: what the press listener matches. */
export const ACTION_ID = /^hive\.(action\.[a-z]+|feedback)$/;

/** The block id prefix of Hive's action rows, so a press is known to come from one of them. */
const BLOCK_ID = 'hive.actions';

/**
 * The blocks that carry a reply's offers: one `actions` row of buttons (re-run, consensus, confirm,
 * cancel) and, when both votes are offered, a `context_actions` block with Slack's feedback buttons.
 * Values are `encodeAction(offer)`; nothing else about the job rides on the button.
 */
export function actionBlocks(offers: readonly ActionOffer[] | undefined): types.KnownBlock[] {
  if (!offers || offers.length === 0) return [];
  const helpful = offers.find((o) => o.kind === 'helpful');
  const unhelpful = offers.find((o) => o.kind === 'unhelpful');
  const votes = helpful && unhelpful;
  const buttons = offers.filter((o) => !votes || !VOTE_ACTIONS.includes(o.kind)).map(button);
  const out: types.KnownBlock[] = [];
  if (buttons.length > 0) out.push({ type: 'actions', block_id: `${BLOCK_ID}.${offers[0]!.ref}`, elements: buttons.slice(0, 25) });
  if (votes) out.push(feedback(helpful, unhelpful));
  return out;
}

function button(offer: ActionOffer): types.Button {
  return {
    type: 'button',
    action_id: `hive.action.${offer.kind}`,
    text: { type: 'plain_text', text: ACTION_LABELS[offer.kind] },
    value: encodeAction(offer),
    ...(offer.kind === 'confirm' ? { style: 'primary' as const } : offer.kind === 'cancel' ? { style: 'danger' as const } : {}),
  };
}

function feedback(helpful: ActionOffer, unhelpful: ActionOffer): types.ContextActionsBlock {
  return {
    type: 'context_actions',
    block_id: `${BLOCK_ID}.feedback.${helpful.ref}`,
    elements: [
      {
        type: 'feedback_buttons',
        action_id: 'hive.feedback',
        positive_button: { text: { type: 'plain_text', text: ACTION_LABELS.helpful }, value: encodeAction(helpful) },
        negative_button: { text: { type: 'plain_text', text: ACTION_LABELS.unhelpful }, value: encodeAction(unhelpful) },
      },
    ],
  };
}

/** The offer a pressed element carries, or undefined for anything Hive did not write (tampered, another app's). */
export function pressedOffer(action: unknown): ActionOffer | undefined {
  if (typeof action !== 'object' || action === null) return undefined;
  const a = action as { action_id?: unknown; value?: unknown };
  if (typeof a.action_id !== 'string' || !ACTION_ID.test(a.action_id) || typeof a.value !== 'string' || a.value.length > 200) return undefined;
  const offer = decodeAction(a.value);
  if (!offer) return undefined;
  // A button's id names its kind: a value moved onto another button is refused.
  if (a.action_id.startsWith('hive.action.') && a.action_id !== `hive.action.${offer.kind}`) return undefined;
  if (a.action_id === 'hive.feedback' && !VOTE_ACTIONS.includes(offer.kind)) return undefined;
  return offer;
}
