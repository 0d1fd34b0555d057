import type { types } from '@slack/bolt';
import type { KeyStatus } from '../../../src/keys/key-service.ts';
import { VENDORS, type Vendor } from '../../../src/shared/provider-spec.ts';
import { VENDOR_INFO } from '../../../src/models/vendor-info.ts';
import { safeText } from './mrkdwn.ts';

/** The modal's callback id, matched by the view_submission listener. */
export const KEY_VIEW_ID = 'hive_keys';

/** What the modal carries between open and submit: where to confirm. Never the key. */
export interface KeyFormMeta {
  channel: string;
}

const plain = (text: string): types.PlainTextElement => ({ type: 'plain_text', text });
const section = (text: string): types.SectionBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });

/** The add/rotate form: each vendor's status, a vendor picker and one key input. */
export function keyFormView(statuses: readonly KeyStatus[], meta: KeyFormMeta, notice?: string): types.ModalView {
  const options = VENDORS.map((v) => ({ text: plain(VENDOR_INFO[v].label), value: v }));
  return {
    type: 'modal',
    callback_id: KEY_VIEW_ID,
    private_metadata: JSON.stringify(meta),
    title: plain('Hive keys'),
    submit: plain('Verify and save'),
    close: plain('Cancel'),
    blocks: [
      ...(notice ? [section(`:warning: ${safeText(notice)}`)] : []),
      section(`*Keys of this workspace*\n${VENDORS.map((v) => statusLine(v, statuses)).join('\n')}`),
      {
        type: 'input',
        block_id: 'vendor',
        label: plain('Vendor'),
        element: { type: 'static_select', action_id: 'vendor', placeholder: plain('Choose a vendor'), options },
      },
      {
        type: 'input',
        block_id: 'key',
        label: plain('API key'),
        element: { type: 'plain_text_input', action_id: 'key', placeholder: plain('Paste the key') },
        hint: plain('Adds the key, or replaces the current one. It is verified with the vendor, stored encrypted, and never shown again.'),
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: VENDORS.map((v) => `${VENDOR_INFO[v].label}: ${VENDOR_INFO[v].keysUrl}`).join(' · ') }] },
    ],
  };
}

function statusLine(v: Vendor, statuses: readonly KeyStatus[]): string {
  const s = statuses.find((k) => k.vendor === v);
  const label = `*${VENDOR_INFO[v].label}*`;
  if (!s) return `${label}: not set`;
  const health = s.health === 'unhealthy' ? `unhealthy (${safeText(s.healthReason ?? 'rejected')})` : s.health;
  const source = s.source === 'env' ? 'from environment' : `added ${s.addedAt.slice(0, 10)}`;
  return `${label}: ${s.masked} · ${source} · ${health}`;
}

/** Shown while a slow vendor verifies the key (the submit had to be answered within 3 s). */
export function verifyingView(vendor: Vendor | undefined): types.ModalView {
  const who = vendor ? VENDOR_INFO[vendor].label : 'the vendor';
  return {
    type: 'modal',
    callback_id: KEY_VIEW_ID,
    title: plain('Hive keys'),
    close: plain('Close'),
    blocks: [section(`:hourglass_flowing_sand: Verifying the key with ${who}…`)],
  };
}

/** The final state after a verification that outlasted the submit's deadline. */
export function doneView(message: string): types.ModalView {
  return {
    type: 'modal',
    callback_id: KEY_VIEW_ID,
    title: plain('Hive keys'),
    close: plain('Done'),
    blocks: [section(`:white_check_mark: ${safeText(message)}`)],
  };
}

/** Reads the submitted vendor and key from the view state. */
export function readKeyInput(
  values: Record<string, Record<string, { value?: unknown; selected_option?: { value?: unknown } | null } | null | undefined> | null | undefined>,
): { vendor: Vendor | undefined; key: string } {
  const picked = values.vendor?.vendor?.selected_option?.value;
  const vendor = VENDORS.find((v) => v === picked);
  const key = values.key?.key?.value;
  return { vendor, key: typeof key === 'string' ? key : '' };
}

/** Parses the modal's metadata, tolerating anything unexpected. */
export function parseMeta(raw: string | undefined): KeyFormMeta | undefined {
  try {
    const m = JSON.parse(raw ?? '') as Partial<KeyFormMeta>;
    return typeof m.channel === 'string' ? { channel: m.channel } : undefined;
  } catch {
    return undefined;
  }
}
