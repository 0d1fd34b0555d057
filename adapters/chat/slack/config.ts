import type { SlackConfig } from '../../../src/app/config.ts';

/** The Slack adapter's settings: the `SLACK_*` variables plus the port and admin ids. */
export interface SlackAdapterConfig extends SlackConfig {
  port: number;
  adminUserIds: string[];
}
