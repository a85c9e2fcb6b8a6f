/** A mistake on the command line or an unreadable input: exit 2 with one line on stderr. */
export class UsageError extends Error {}
