import type { Vendor } from '../shared/provider-spec.ts';

/** Human facts about each vendor, used in messages that tell an admin how to fix a key. */
export interface VendorInfo {
  label: string;
  keysUrl: string;
  billingUrl: string;
  /** Key shapes, used only to catch a key pasted under the wrong vendor. */
  keyPattern: RegExp;
}

export const VENDOR_INFO: Record<Vendor, VendorInfo> = {
  anthropic: {
    label: 'Anthropic',
    keysUrl: 'https://console.anthropic.com/settings/keys',
    billingUrl: 'https://console.anthropic.com/settings/billing',
    keyPattern: /^sk-ant-/,
  },
  openai: {
    label: 'OpenAI',
    keysUrl: 'https://platform.openai.com/api-keys',
    billingUrl: 'https://platform.openai.com/settings/organization/billing',
    keyPattern: /^sk-(?!ant-)/,
  },
  google: {
    label: 'Google Gemini',
    keysUrl: 'https://aistudio.google.com/apikey',
    billingUrl: 'https://aistudio.google.com/usage',
    keyPattern: /^AIza/,
  },
};
