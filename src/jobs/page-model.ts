/** A table as a page shows it: the first cell of each row names the row (a row header). */
export interface PageTable {
  caption: string;
  head: string[];
  rows: string[][];
}

/** One part of a page under its own heading: facts, texts shown as written, and tables, in that order. */
export interface PageSection {
  heading: string;
  facts?: [string, string][];
  texts?: { label: string; text: string }[];
  tables?: PageTable[];
  notes?: string[];
}

/**
 * What an evidence page shows, as plain strings: every value here may come from a user, a model or
 * a platform, so whatever renders it escapes all of it. Only what the record holds is shown.
 */
export interface EvidencePageModel {
  title: string;
  summary: [string, string][];
  sections: PageSection[];
}
