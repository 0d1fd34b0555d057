/**
 * The one escape every value on a page goes through: a question, a model's answer, a file name or
 * a platform id may hold markup, so each is shown as text, in element content and in attributes.
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
