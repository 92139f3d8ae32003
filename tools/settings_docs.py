#!/usr/bin/env python3
"""Writes the settings' documentation from their declarations, which each binary prints with its hidden
`--dump-settings`: the ENVIRONMENT section of each man page, docs/settings.md and systemd/frames.env.
`make settings` runs it; with --check it writes nothing and exits 1 with a diff when a file has drifted
(Tests/Integration/test_settings.py runs that)."""
import argparse
import difflib
import json
import pathlib
import re
import subprocess
import sys
import textwrap

REPO = pathlib.Path(__file__).resolve().parent.parent
# Each binary and its page, in the order the docs list them; frames.env takes the first declaration of
# a variable that two binaries read.
BINARIES = {"frames-fcgi": "man/frames-fcgi.8", "frames-ingest": "man/frames-ingest.1",
            "frames-admin": "man/frames-admin.1"}
ENV_FILE = "systemd/frames.env"
DOCS = "docs/settings.md"
WIDTH = 104


def declarations(bin_dir):
    return {name: json.loads(subprocess.run([str(bin_dir / name), "--dump-settings"], check=True,
                                            capture_output=True, text=True).stdout) for name in BINARIES}


# groff reads bytes: what the declarations write beyond ASCII, as groff's own escapes.
ROFF_CHARACTERS = {"±": r"\(+-", "–": r"\(en", "—": r"\(em", "…": r"\&..."}


def roff_text(text):
    """Prose as mdoc lines: one sentence a line, `code` as quoted literals, nothing a request could mistake."""
    text = text.replace("\\", r"\e")
    for character, escape in ROFF_CHARACTERS.items():
        text = text.replace(character, escape)
    if not text.isascii():
        raise SystemExit(f"settings_docs: add an escape for {sorted(set(c for c in text if not c.isascii()))}")
    text = re.sub(r"`([^`]+)`", r"\\(lq\1\\(rq", text)
    # A word wider than a line (a URI) may break after its punctuation, or groff cannot fill the line.
    text = re.sub(r"\S{40,}", lambda word: re.sub(r"([,/?&])", r"\1\\:", word.group()), text)
    sentences = re.split(r"(?<=[.;:])(?<!e\.g\.)\s+(?=[A-Z`])", text)
    return [r"\&" + line if line[:1] in ".'" else line for line in sentences]


def man_environment(settings):
    lines = [".Sh ENVIRONMENT", ".Bl -tag -width Ds"]
    for setting in settings:
        lines.append(f".It Ev {setting['variable']}")
        lines += roff_text(setting["summary"])
        if setting["default"]:
            lines += roff_text(f"Unset: {setting['default']}.")
        lines += roff_text(setting["details"])
        if setting["flag"]:
            lines += ["The option", f".Fl {setting['flag'][1:]}", "wins over the variable."]
    return "\n".join(lines + [".El"]) + "\n"


def with_environment_section(page, section):
    start = page.index(".Sh ENVIRONMENT\n")
    end = page.index("\n.Sh ", start) + 1
    return page[:start] + section + page[end:]


def markdown_text(text):
    """Prose as Markdown shows it: `<dir>` is no HTML tag."""
    return text.replace("<", "&lt;").replace(">", "&gt;")


def markdown_cell(text):
    return markdown_text(text).replace("|", r"\|")


def docs_page(by_binary):
    lines = ["# Settings", "",
             "Every setting of the three binaries: its option, its `FRAMES_*` variable (an option given wins over",
             "its variable), what it is when neither is set, and the value that the installed",
             "`/etc/frames/frames.env` gives it. The services read that file (`EnvironmentFile=`); the man pages",
             "say the rest of each command line.", "",
             "This page, the man pages' ENVIRONMENT sections, `systemd/frames.env` and each binary's `--help` come",
             "from one declaration per setting (the `SettingTable`s in `Sources/`): `make settings` writes the",
             "files, and the tests fail when one of them differs from the declarations.", ""]
    notes = {}
    for name, settings in by_binary.items():
        lines += [f"## {name}", "", "| Variable | Option | Unset | frames.env | What it sets |",
                  "|---|---|---|---|---|"]
        for s in settings:
            option = f"`{s['flag']} <{s['value_name']}>`" if s["flag"] else "(none)"
            installed = "(not set)" if s["installed"] is None else f"`{s['installed']}`" if s["installed"] else "(empty)"
            lines.append(f"| `{s['variable']}` | {option} | {markdown_cell(s['default'] or 'none')} | "
                         f"{installed} | {markdown_cell(s['summary'])} |")
            notes.setdefault(s["variable"], s["details"])
        lines.append("")
    lines += ["## Notes", ""]
    for variable, details in notes.items():
        lines += [f"### `{variable}`", "", *textwrap.wrap(markdown_text(details), WIDTH, break_long_words=False,
                                                           break_on_hyphens=False), ""]
    return "\n".join(lines)


def environment_file(header, by_binary):
    """The file's opening comment as it is, then each variable the installed file sets, with its comment."""
    blocks, seen = [header.rstrip("\n") + "\n"], set()
    for settings in by_binary.values():
        for s in settings:
            if s["installed"] is None or s["variable"] in seen:
                continue
            seen.add(s["variable"])
            unset = f" Unset: {s['default']}." if s["default"] else ""
            comment = textwrap.wrap(f"{s['summary']} {s['details']}{unset}", WIDTH - 2, break_long_words=False,
                                    break_on_hyphens=False)
            blocks.append("\n".join(["# " + line for line in comment] + [f"{s['variable']}={s['installed']}"]) + "\n")
    return "\n".join(blocks)


def opening_comment(text):
    lines = text.splitlines(keepends=True)
    count = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    return "".join(lines[:count])


def expected_files(root, by_binary):
    files = {page: with_environment_section((root / page).read_text(), man_environment(by_binary[name]))
             for name, page in BINARIES.items()}
    files[DOCS] = docs_page(by_binary)
    files[ENV_FILE] = environment_file(opening_comment((root / ENV_FILE).read_text()), by_binary)
    return files


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bin-dir", type=pathlib.Path, required=True, help="where the three binaries are")
    parser.add_argument("--root", type=pathlib.Path, default=REPO, help="the tree whose files to write or check")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 naming each file that drifted")
    args = parser.parse_args()
    drifted = []
    for path, text in expected_files(args.root, declarations(args.bin_dir)).items():
        target = args.root / path
        current = target.read_text() if target.exists() else ""
        if current == text:
            continue
        if args.check:
            drifted.append(path)
            sys.stdout.writelines(difflib.unified_diff(current.splitlines(True), text.splitlines(True), path,
                                                       path + " (from the declarations)"))
        else:
            target.write_text(text)
            print(f"wrote {path}")
    if drifted:
        print(f"\nout of step with the declarations: {', '.join(drifted)} (make settings rewrites them)")
        sys.exit(1)


if __name__ == "__main__":
    main()
