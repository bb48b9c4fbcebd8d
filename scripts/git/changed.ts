// Which files changed since a git ref: `--changed-since <ref>` limits per-file work to them.

import { execFileSync } from "node:child_process";

export class GitError extends Error {}

function git(args: string[], cwd: string): string {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new GitError((e.stderr || e.message).trim().split("\n")[0]);
  }
}

/**
 * Repository-relative paths changed between `ref` (its merge base with HEAD) and the working
 * tree, plus untracked files: what a pull request or a local edit touches.
 */
export function changedFiles(ref: string, cwd: string): Set<string> {
  const top = git(["rev-parse", "--show-toplevel"], cwd).trim();
  const prefix = git(["rev-parse", "--show-prefix"], cwd).trim();
  let base: string;
  try {
    base = git(["merge-base", ref, "HEAD"], cwd).trim();
  } catch (err) {
    throw new GitError(`cannot compare with '${ref}': ${(err as Error).message}`);
  }
  const diff = git(["diff", "--name-only", "--no-renames", base, "--"], top);
  const untracked = git(["ls-files", "--others", "--exclude-standard"], top);
  const out = new Set<string>();
  for (const line of `${diff}\n${untracked}`.split("\n")) {
    const p = line.trim();
    if (!p) continue;
    // Paths relative to where the command runs (the repository root in practice).
    out.add(prefix && p.startsWith(prefix) ? p.slice(prefix.length) : p);
  }
  return out;
}

/** The content of a file at a ref, or undefined when it did not exist there. */
export function fileAtRef(ref: string, relPath: string, cwd: string): string | undefined {
  try {
    return git(["show", `${ref}:./${relPath}`], cwd);
  } catch {
    return undefined;
  }
}
