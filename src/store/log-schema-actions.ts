/** The tables of answer actions: jobs an action may name, and the actions taken on them. */
export interface ActionTables {
  /** A job an action may name by its short reference; its text and context are dropped at `expires_at`. */
  answer_jobs: {
    ref: string;
    workspace_id: string;
    platform: string;
    channel_id: string;
    thread_id: string | null;
    asker_id: string;
    command: string;
    text: string;
    context: string | null;
    /** The job's `AttachmentRef`s as a sealed JSON value (`hive-answer-files:<ref>`); null without files. */
    attachments: string | null;
    /** `running`, `held` (waiting for confirmation), `answered`, `failed` or `cancelled`. */
    state: string;
    lane: string | null;
    lane_reason: string | null;
    evidence_id: string | null;
    /** Who asked for the job to be cancelled; the process running it reads this. */
    cancel_by: string | null;
    created_at: number;
    updated_at: number;
    expires_at: number;
  };
  /** One action taken on a job: once per action (`slot` = the action) or one vote per person (`vote:<user>`). */
  answer_actions: {
    ref: string;
    slot: string;
    workspace_id: string;
    kind: string;
    user_id: string;
    at: number;
    /** The queued job that took the action, so its own resumed run goes on rather than being refused. */
    job_id: string | null;
    evidence_id: string | null;
    lane: string | null;
    lane_reason: string | null;
  };
}
