/**
 * What the text output shows of a string that came from a host: control
 * characters escaped (`printableCapped`) and a length cap, so a hostile or broken
 * host can neither drive the terminal nor flood it with a 1 MB "name".
 * JSON output is never capped: it carries every string exactly.
 */
import { printableCapped } from '../remote/ssh.js';

/** Device-mapper names are at most 127 bytes: even all escaped (4 characters each) they fit. */
export const NAME_MAX = 512;
/** Paths: a mount point dmlens would trim is at most 1024 characters (checkMountPoint). */
export const PATH_MAX = 1100;
/** Messages, explanations, guidance, one-line command output. */
export const TEXT_MAX = 2048;

export const shownName = (s: string): string => printableCapped(s, NAME_MAX);
export const shownPath = (s: string): string => printableCapped(s, PATH_MAX);
export const shownText = (s: string): string => printableCapped(s, TEXT_MAX);
