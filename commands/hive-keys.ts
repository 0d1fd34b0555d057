import type { HiveContext } from '../src/command/command.ts';
import { UserError } from '../src/shared/errors.ts';
import type { Invocation, Reply } from '../src/chat/invocation.ts';
import type { KeyStatus } from '../src/keys/key-service.ts';
import { parseVendor } from '../src/shared/types.ts';
import { VENDORS, type Vendor } from '../src/shared/provider-spec.ts';
import { VENDOR_INFO } from '../src/models/vendor-info.ts';
import type { HiveVerb } from './hive-verb.ts';
import { requireAdmin } from './admin.ts';
import { term } from '../src/shared/platform-terms.ts';

const USAGE = '/hive keys [list | remove <vendor> | test <vendor>]';

/** `/hive keys`: shows key health and manages keys; a key is never accepted as chat text. */
export const keysVerb: HiveVerb = {
  name: 'keys',
  usage: USAGE,
  summary: 'Add (private form), list, test or remove vendor keys.',
  async run(inv, ctx, args) {
    const [sub = '', target] = args.split(/\s+/).filter(Boolean);
    switch (sub.toLowerCase()) {
      case '':
        return openForm(inv);
      case 'list':
        return listReply(await ctx.keys.list(inv.workspaceId));
      case 'remove':
        await requireAdmin(inv, 'manage keys');
        return removeKey(inv, ctx, vendorArg(target));
      case 'test':
        await requireAdmin(inv, 'manage keys');
        return testKey(inv, ctx, vendorArg(target));
      case 'set':
      case 'add':
        throw new UserError(
          `Keys are never accepted as chat text. Add one with ${term.addKey(parseVendor(target))}. If you pasted a key in a channel, rotate it now.`,
          'key_in_text',
        );
      default:
        throw new UserError(`Unknown keys action "${sub}".\nUsage: ${USAGE}`, 'usage');
    }
  },
};

async function openForm(inv: Invocation): Promise<Reply> {
  await requireAdmin(inv, 'manage keys');
  if (!inv.openKeyForm) {
    return { text: `Add or rotate a key with ${term.addKey()} (the key is read from standard input, never from chat).`, visibility: 'private' };
  }
  await inv.openKeyForm();
  return { text: 'Opened the key form.', visibility: 'private' };
}

function vendorArg(v: string | undefined): Vendor {
  const vendor = parseVendor(v);
  if (!vendor) throw new UserError(`Name a vendor: ${VENDORS.join(', ')}.\nUsage: ${USAGE}`, 'usage');
  return vendor;
}

async function removeKey(inv: Invocation, ctx: HiveContext, vendor: Vendor): Promise<Reply> {
  const removed = await ctx.keys.remove(inv.workspaceId, vendor);
  const label = VENDOR_INFO[vendor].label;
  return { text: removed ? `Removed the ${label} key.` : `No stored ${label} key to remove.`, visibility: 'private' };
}

async function testKey(inv: Invocation, ctx: HiveContext, vendor: Vendor): Promise<Reply> {
  const s = await ctx.keys.test(inv.workspaceId, vendor);
  return { text: `${VENDOR_INFO[vendor].label} key ${s.masked} works (verified ${s.lastVerifiedAt ?? 'now'}).`, visibility: 'private' };
}

/** One line per key: masked key, when added, last verified, health; a stored key the environment's wins over says so and how to use it. */
export function formatKeyStatus(s: KeyStatus): string {
  const health = s.shadowedBy
    ? `not used — ${s.shadowedBy} is set and wins; unset it and restart to use this stored key`
    : s.health === 'unhealthy' || s.health === 'unreadable'
      ? `${s.health} — ${s.healthReason ?? 'rejected'}`
      : s.health;
  const added = s.source === 'env' ? 'from environment' : `added ${s.addedAt.slice(0, 10)}`;
  const verified = s.lastVerifiedAt ? `verified ${s.lastVerifiedAt.slice(0, 16).replace('T', ' ')}` : 'never verified';
  return `${VENDOR_INFO[s.vendor].label}: ${s.masked} · ${added} · ${verified} · ${health}`;
}

function listReply(keys: KeyStatus[]): Reply {
  if (keys.length === 0) return { text: `No vendor keys yet. An admin can add one with ${term.addKey()}.`, visibility: 'private' };
  return { text: keys.map((k) => `• ${formatKeyStatus(k)}`).join('\n'), visibility: 'private' };
}
