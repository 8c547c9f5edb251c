#!/usr/bin/env python3
"""Runs the ```sh blocks of README.md and docs/**/*.md, so a page that drifts fails the build.

Conventions (for page authors)
------------------------------
* Every ```sh block of a page runs, in order, in ONE bash shell per page started with
  `set -Eeuo pipefail`, from the root of a fresh scratch copy of the repository: the files
  `git ls-files` lists (a fresh clone: commit or `git add` a new example file before testing),
  plus `build/release`, a symbolic link to the real build tree. Commands are written relative to
  the repository root (build/release/bin/holon ..., docs/examples/...).
* A page writes only under `scratch/` (git-ignored). Writing anywhere else in the copy (a new file,
  a changed committed file) fails the page, naming the paths. Never /tmp, never a path outside
  the repository.
* `<!-- doc-test: skip (reason) -->` on the line before a ```sh block (blank lines between are
  allowed) keeps that block from running: a foreground server, installing packages, sudo, a
  placeholder a reader must fill in. The reason is required.
* Other fences (```text, ```json, ```yaml, ```python, ```cpp, ...) never run. A Python example
  that must run goes in a ```sh block as `python3 - <<'EOF' ... EOF`.
* A server: the page starts `build/release/bin/holon serve` in the background itself, on port
  `${HOLON_DOCS_PORT:-8080}` with its data folder under scratch/, waits for it with
  `curl -sS --fail-with-body --retry 30 --retry-connrefused --retry-delay 1 .../readyz`, and stops it
  (`kill $SERVER`) in its last block. This script exports HOLON_DOCS_PORT, a port that was free
  when the page started, and kills every process the page left behind (its process group) when
  the page ends, whether it passed or not. A method page's REST example can start all of it in
  one line: `. docs/examples/rest-session.sh` (sets HOLON, WS, TOKEN, SERVER and DATA).
* The environment is a reader's: HOLON_* variables of the caller are removed (HOLON_DOCS_PORT
  is the only one set); `python3` is the interpreter running this script (CTest uses Debian's
  /usr/bin/python3, which has python3-requests and python3-pandas); HOME is an empty folder
  outside the copy.

A failure names the page, the line of the block and of the failing command in the page, the
command, and the last lines of what the page printed. Usage:

  run_doc_blocks.py --source REPO --build BUILD_TREE [--work DIR] [--timeout S] PAGE...

PAGE is relative to REPO (README.md, docs/rest.md, ...). Exit status 0 when every page passed.
In the build: `ctest -L docs` runs every page (one test per page), `ctest -R docs.blocks.docs/rest`
one of them; a failed page's copy stays in BUILD/doc-blocks/ (--keep keeps passed ones too).
`run_doc_blocks.py --check-paths --source REPO` instead fails when a doc names a path outside the
repository (../shared, /work/, /home/, /tmp/), or when a block marked
`<!-- doc-test: same-as (PATH) -->` differs from the repository file PATH it shows.
"""

import argparse
import glob
import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

FENCE = re.compile(r"^(\s*)```+\s*([A-Za-z0-9_+-]*)")
SKIP = re.compile(r"^\s*<!--\s*doc-test:\s*skip\s*\((.+)\)\s*-->\s*$")
SAME_AS = re.compile(r"^\s*<!--\s*doc-test:\s*same-as\s*\((.+)\)\s*-->\s*$")
BAD_SKIP = re.compile(r"<!--\s*doc-test")


class Block:
    def __init__(self, line, lines, skip, lang="sh", same_as=None):
        self.line = line          # 1-based line of the first command (after the fence)
        self.lines = lines
        self.skip = skip          # reason, or None
        self.lang = lang
        self.same_as = same_as    # a repository file the block must equal, or None


def extract_blocks(path, every_fence=False):
    """Every fenced block tagged sh of a Markdown file (every block with every_fence), with its
    skip or same-as marker."""
    with open(path, encoding="utf-8") as f:
        text = f.read().split("\n")
    blocks, i = [], 0
    pending_skip = pending_same = None
    while i < len(text):
        line = text[i]
        m_skip = SKIP.match(line)
        if m_skip:
            pending_skip = m_skip.group(1).strip()
            i += 1
            continue
        m_same = SAME_AS.match(line)
        if m_same:
            pending_same = m_same.group(1).strip()
            i += 1
            continue
        if BAD_SKIP.search(line):
            raise SystemExit(f"{path}:{i + 1}: malformed doc-test marker (write "
                             f"'<!-- doc-test: skip (reason) -->' or "
                             f"'<!-- doc-test: same-as (path) -->'): {line.strip()}")
        m = FENCE.match(line)
        if m:
            indent, lang = m.group(1), m.group(2)
            fence = line.strip()[:3]
            body, j = [], i + 1
            while j < len(text) and not text[j].strip().startswith(fence):
                body.append(text[j][len(indent):] if text[j].startswith(indent) else text[j])
                j += 1
            if lang == "sh" or every_fence:
                blocks.append(Block(i + 2, body, pending_skip, lang, pending_same))
            if pending_skip is not None and lang != "sh":
                raise SystemExit(f"{path}:{i + 1}: a doc-test skip marker stands before a "
                                 f"```{lang} block; it only applies to ```sh blocks")
            pending_skip = pending_same = None
            i = j + 1
            continue
        if line.strip() and (pending_skip is not None or pending_same is not None):
            raise SystemExit(f"{path}:{i + 1}: a doc-test marker must stand right before "
                             "a fenced block")
        i += 1
    return blocks


def tracked_files(source):
    try:
        out = subprocess.run(["git", "-C", source, "ls-files", "-z"], check=True,
                             capture_output=True).stdout
        return [p for p in out.decode().split("\0") if p]
    except (OSError, subprocess.CalledProcessError):
        # Not a git checkout (an exported tarball): everything but build output and scratch.
        files = []
        for root, dirs, names in os.walk(source):
            rel = os.path.relpath(root, source)
            dirs[:] = [d for d in dirs if not (rel == "." and d in ("build", "scratch", "var", ".git"))]
            files += [os.path.normpath(os.path.join(rel, n)) for n in names]
        return files


def make_copy(source, build, work, files):
    if os.path.exists(work):
        shutil.rmtree(work)
    os.makedirs(work)
    for rel in files:
        src = os.path.join(source, rel)
        if not os.path.lexists(src):
            continue  # deleted in the working tree but not yet committed
        dst = os.path.join(work, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(src, dst, follow_symlinks=False)
    os.makedirs(os.path.join(work, "build"), exist_ok=True)
    os.symlink(os.path.abspath(build), os.path.join(work, "build", "release"))


def snapshot(work):
    """Hash of every file of the copy outside build/ and scratch/."""
    state = {}
    for root, dirs, names in os.walk(work):
        rel_root = os.path.relpath(root, work)
        if rel_root == ".":
            dirs[:] = [d for d in dirs if d not in ("build", "scratch")]
        for n in names:
            p = os.path.join(root, n)
            rel = os.path.normpath(os.path.join(rel_root, n))
            if os.path.islink(p):
                state[rel] = "link:" + os.readlink(p)
            else:
                with open(p, "rb") as f:
                    state[rel] = hashlib.sha1(f.read()).hexdigest()
    return state


def before_tops(state):
    """The top-level names of a snapshot (folders and files of the repository itself)."""
    return {p.split(os.sep)[0] for p in state}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def page_script(page, blocks, status_file):
    """The bash script of a page, and for each of its lines the page line it came from."""
    head = [
        "set -Eeuo pipefail",
        f"__doc_status={sh_quote(status_file)}",
        "trap 'printf \"%s\\t%s\\n\" \"$LINENO\" \"$BASH_COMMAND\" > \"$__doc_status\"' ERR",
    ]
    lines, origin = list(head), [0] * len(head)
    for b in blocks:
        if b.skip is not None:
            continue
        lines.append(f": doc-block {page}:{b.line}")
        origin.append(b.line)
        for k, text in enumerate(b.lines):
            lines.append(text)
            origin.append(b.line + k)
    lines.append(": doc-blocks-done")
    origin.append(0)
    return "\n".join(lines) + "\n", origin


def sh_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


def reader_environment(port, home):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOLON_")}
    env["HOME"] = home  # a fresh user: nothing of the caller's home is read or written
    env["HOLON_DOCS_PORT"] = str(port)
    # python3 in a page is the interpreter running this script (CTest picks Debian's).
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    env["LC_ALL"] = "C.UTF-8"
    return env


def run_page(page, source, build, work_root, timeout, files):
    path = os.path.join(source, page)
    blocks = extract_blocks(path)
    runnable = [b for b in blocks if b.skip is None]
    if not runnable:
        return [], "", 0.0, 0, len(blocks)
    name = re.sub(r"[^A-Za-z0-9]+", "_", page)
    work = os.path.join(work_root, name)
    make_copy(source, build, work, files)
    before = snapshot(work)
    meta = os.path.join(work_root, name + ".meta")
    os.makedirs(meta, exist_ok=True)
    status_file = os.path.join(meta, "failed")
    if os.path.exists(status_file):
        os.remove(status_file)
    home = os.path.join(meta, "home")
    shutil.rmtree(home, ignore_errors=True)
    os.makedirs(home)
    script, origin = page_script(page, blocks, status_file)
    script_path = os.path.join(meta, "page.sh")
    with open(script_path, "w", encoding="utf-8") as f:
        f.write(script)
    log_path = os.path.join(meta, "output.log")
    started = time.monotonic()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(["bash", script_path], cwd=work, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL,
                                env=reader_environment(free_port(), home),
                                start_new_session=True)
        timed_out = False
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out, rc = True, -1
        # Whatever the page left running (a server, its runners) goes with it.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
    elapsed = time.monotonic() - started
    with open(log_path, encoding="utf-8", errors="replace") as f:
        output = f.read()
    problems = []
    if timed_out:
        problems.append(f"{page}: did not finish within {timeout} s")
    elif rc != 0:
        where = ""
        if os.path.exists(status_file):
            with open(status_file, encoding="utf-8") as f:
                lineno, _, command = f.read().rstrip("\n").partition("\t")
            n = int(lineno) if lineno.isdigit() else 0
            page_line = origin[n - 1] if 0 < n <= len(origin) else 0
            block = max((b.line for b in runnable if b.line <= page_line), default=0)
            where = (f"{page}:{page_line}: the command `{command.strip()}` "
                     f"(block starting at line {block}) failed")
        problems.append((where or f"{page}: the page's shell exited with status {rc}") +
                        f", exit status {rc}")
    after = snapshot(work)
    changed = sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))
    if changed:
        # A new folder is named once with its file count, not file by file.
        groups = {}
        for p in changed:
            top = p.split(os.sep)[0]
            key = top + "/" if os.sep in p and top not in before_tops(before) else p
            groups[key] = groups.get(key, 0) + 1
        shown = [k if n == 1 or not k.endswith("/") else f"{k} ({n} files)" for k, n in sorted(groups.items())]
        problems.append(f"{page}: wrote outside scratch/ (only scratch/ is git-ignored): " +
                        ", ".join(shown[:20]) + (" ..." if len(shown) > 20 else ""))
    return problems, output, elapsed, len(runnable), len(blocks) - len(runnable)


# A path a fresh clone does not have: a sibling folder, a development machine's folders, /tmp.
OUTSIDE = re.compile(r"(\.\./shared|/work/|/home/|/tmp/|/Users/)")


def check_same_as(source, pages):
    """A block marked `<!-- doc-test: same-as (PATH) -->` shows exactly the file PATH."""
    found = []
    for page in pages:
        for b in extract_blocks(os.path.join(source, page), every_fence=True):
            if b.same_as is None:
                continue
            try:
                with open(os.path.join(source, b.same_as), encoding="utf-8") as f:
                    expected = f.read().rstrip("\n").split("\n")
            except OSError as e:
                found.append(f"{page}:{b.line}: same-as names a file that cannot be read: {e}")
                continue
            if b.lines != expected:
                diff = [f"{n}: page '{a}' / file '{e}'" for n, (a, e) in
                        enumerate(zip(b.lines + [""] * len(expected), expected + [""] * len(b.lines)), 1)
                        if a != e][:3]
                found.append(f"{page}:{b.line}: the block differs from {b.same_as} (first lines "
                             f"that differ, counted in the block: {'; '.join(diff)})")
    return found


def check_paths(source, pages):
    found = []
    for page in pages:
        with open(os.path.join(source, page), encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                m = OUTSIDE.search(line)
                if m:
                    found.append(f"{page}:{n}: names '{m.group(1)}', a path outside the "
                                 f"repository: {line.strip()}")
    return found


def all_pages(source):
    pages = ["README.md"] if os.path.exists(os.path.join(source, "README.md")) else []
    for root, _, names in os.walk(os.path.join(source, "docs")):
        pages += [os.path.relpath(os.path.join(root, n), source) for n in names if n.endswith(".md")]
    return sorted(pages)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", required=True, help="repository root")
    ap.add_argument("--build", help="build tree that build/release in the copy points at")
    ap.add_argument("--work", help="where the scratch copies go (default BUILD/doc-blocks)")
    ap.add_argument("--timeout", type=int, default=240, help="seconds per page")
    ap.add_argument("--check-paths", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the copy of a page that passed")
    ap.add_argument("pages", nargs="*", help="pages relative to the source (default: all)")
    args = ap.parse_args()
    source = os.path.abspath(args.source)
    pages = args.pages or all_pages(source)
    if args.check_paths:
        found = check_paths(source, pages)
        same = check_same_as(source, pages)
        for f in found + same:
            print(f)
        print(f"checked {len(pages)} pages: {len(found)} paths outside the repository, "
              f"{len(same)} blocks that differ from the file they show")
        return 1 if found or same else 0
    if not args.build:
        ap.error("--build is required to run pages")
    build = os.path.abspath(args.build)
    work_root = os.path.abspath(args.work or os.path.join(build, "doc-blocks"))
    files = tracked_files(source)
    failed = 0
    for page in pages:
        problems, output, elapsed, ran, skipped = run_page(page, source, build, work_root,
                                                           args.timeout, files)
        status = "FAILED" if problems else "ok"
        print(f"{page}: {status}: {ran} blocks run, {skipped} skipped, {elapsed:.1f} s")
        if problems:
            failed += 1
            for p in problems:
                print("  " + p)
            tail = output.splitlines()[-40:]
            print("  --- last lines of the page's output ---")
            for line in tail:
                print("  | " + line)
            # A server the page started logs into scratch/*.log: its last words explain most
            # failures of the commands that talked to it.
            scratch = os.path.join(work_root, re.sub(r"[^A-Za-z0-9]+", "_", page), "scratch")
            for log in sorted(glob.glob(os.path.join(scratch, "*.log"))):
                with open(log, encoding="utf-8", errors="replace") as f:
                    lines = f.read().splitlines()[-8:]
                print(f"  --- last lines of {os.path.relpath(log, os.path.dirname(scratch))} ---")
                for line in lines:
                    print("  | " + line[:400])
        elif not args.keep:
            shutil.rmtree(os.path.join(work_root, re.sub(r"[^A-Za-z0-9]+", "_", page)),
                          ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
