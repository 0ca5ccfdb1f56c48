import type { LocalFile } from "./local-files.ts";

/** What a publish changes in the repository, paths relative to the repository root. */
export interface ChangeSet {
  added: string[];
  modified: string[];
  deleted: string[];
  unchanged: number;
}

/** Repository path of a tree path under prefix ("" = the repository root). */
export function repoPath(prefix: string, rel: string): string {
  return prefix === "" ? rel : `${prefix}/${rel}`;
}

/**
 * The export tree is the desired state of prefix/: files to add or modify (blob ids differ),
 * files to delete (in the repository under prefix, not in the tree). remote maps repository
 * paths under prefix to blob ids.
 */
export function changeSet(local: Map<string, LocalFile>, remote: Map<string, string>, prefix: string): ChangeSet {
  const added: string[] = [];
  const modified: string[] = [];
  let unchanged = 0;
  const wanted = new Set<string>();
  for (const [rel, file] of local) {
    const path = repoPath(prefix, rel);
    wanted.add(path);
    const sha = remote.get(path);
    if (sha === undefined) added.push(path);
    else if (sha !== file.sha1) modified.push(path);
    else unchanged += 1;
  }
  const deleted = [...remote.keys()].filter((p) => !wanted.has(p));
  const sort = (a: string[]) => a.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  return { added: sort(added), modified: sort(modified), deleted: sort(deleted), unchanged };
}

export function isEmpty(c: ChangeSet): boolean {
  return c.added.length === 0 && c.modified.length === 0 && c.deleted.length === 0;
}
