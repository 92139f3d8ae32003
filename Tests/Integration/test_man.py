"""The manual pages: each names every option and subcommand its binary's parser knows (from
argument-parser's --experimental-dump-help), and man renders each without a warning."""
import json
import os
import re
import subprocess

import pytest

from conftest import stack

MAN = stack.REPO / "man"
PAGES = {"frames-ingest": MAN / "frames-ingest.1", "frames-admin": MAN / "frames-admin.1",
         "frames-fcgi": MAN / "frames-fcgi.8"}


def rendered(page):
    """The page as man shows it, in ASCII, on lines too wide to break, with spacing collapsed."""
    result = subprocess.run(["man", "--warnings=all", "-E", "ascii", "-l", str(page)], capture_output=True,
                            text=True, env=dict(os.environ, MANWIDTH="1000", LC_ALL="C.UTF-8", MAN_KEEP_FORMATTING=""))
    assert result.returncode == 0, result.stderr
    return result


def parser_terms(bin_dir, name):
    """Every long option, subcommand path and FRAMES_* variable the parser's help mentions."""
    dump = json.loads(subprocess.run([str(bin_dir / name), "--experimental-dump-help"], check=True,
                                     capture_output=True, text=True).stdout)
    terms = set()

    def walk(command, path):
        if path:
            terms.add(" ".join(path))
        for argument in command.get("arguments", []):
            if not argument.get("shouldDisplay", True):
                continue
            terms.update("--" + n["name"] for n in argument.get("names", []) if n["kind"] == "long")
            terms.update(re.findall(r"FRAMES_[A-Z_]+", argument.get("abstract", "")))
        for sub in command.get("subcommands", []):
            if sub["commandName"] != "help":
                walk(sub, path + [sub["commandName"]])

    walk(dump["command"], [])
    return terms


def missing_from(text, terms):
    words = " ".join(text.split())
    return sorted(t for t in terms if not re.search(r"(?<![\w-])" + re.escape(t) + r"(?![\w-])", words))


@pytest.mark.parametrize("name", PAGES)
def test_page_names_every_option_subcommand_and_variable(bin_dir, name):
    terms = parser_terms(bin_dir, name)
    assert "--help" in terms and "--version" in terms
    assert missing_from(rendered(PAGES[name]).stdout, terms) == []


def test_the_check_notices_an_option_missing_from_a_page(bin_dir):
    text = rendered(PAGES["frames-admin"]).stdout
    assert "--yes" in text
    assert missing_from(text.replace("--yes", ""), parser_terms(bin_dir, "frames-admin")) == ["--yes"]
    assert missing_from(text.replace("datasets rename", "datasets"),
                        parser_terms(bin_dir, "frames-admin")) == ["datasets rename"]


@pytest.mark.parametrize("name", PAGES)
def test_page_renders_without_warnings(name):
    assert rendered(PAGES[name]).stderr == ""
    groff = subprocess.run(["groff", "-mandoc", "-ww", "-z", str(PAGES[name])], capture_output=True, text=True)
    assert groff.returncode == 0 and groff.stderr == "", groff.stderr


@pytest.mark.parametrize("name", PAGES)
def test_page_is_in_its_section(name):
    page = PAGES[name]
    section = page.suffix[1:]
    assert re.search(rf"^\.Dt {name.upper()} {section}$", page.read_text(), re.M)
    assert rendered(page).stdout.lstrip().startswith(f"{name.upper()}({section})")
