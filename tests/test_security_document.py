"""docs/SECURITY.md names, for each control, the test that proves it: every file and test it
names must exist, so the document cannot drift from the code."""

import re
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
DOCUMENT = PROJECT / "docs" / "SECURITY.md"
NAMED_TEST = re.compile(r"`((?:[\w./-]+/)?test_[\w]+\.py)((?:::\w+)?)`")
NAMED_FUNCTION_AFTER = re.compile(r"`::(\w+)`")


def _named_tests():
    for line in DOCUMENT.read_text().splitlines():
        current_file = None
        for token in re.finditer(r"`([^`]+)`", line):
            text = token.group(1)
            match = NAMED_TEST.fullmatch(f"`{text}`")
            if match:
                current_file, function = match.group(1), match.group(2).lstrip(":")
                yield current_file, function or None
            elif text.startswith("::") and current_file:
                yield current_file, text[2:]


def test_every_test_the_security_document_names_exists():
    missing = []
    named = list(_named_tests())
    assert len(named) > 50
    for file, function in named:
        path = PROJECT / file
        if not path.is_file():
            missing.append(file)
        elif function and not re.search(rf"^(async )?def {function}\(", path.read_text(), re.M):
            missing.append(f"{file}::{function}")
    assert missing == []


def _control_rows():
    """Each control of the document's tables: (section, control, where, proved by)."""
    section = ""
    for line in DOCUMENT.read_text().splitlines():
        if line.startswith("## "):
            section = line[3:]
        if not line.startswith("|") or set(line) <= {"|", "-", " "}:
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        if cells == ["Control", "Where", "Proved by"]:
            continue
        yield section, cells


def test_each_control_is_a_row_of_control_where_and_the_test_that_proves_it():
    rows = list(_control_rows())
    assert len(rows) > 40
    malformed = [cells[0][:60] for _, cells in rows if len(cells) != 3]
    assert malformed == []
    # Every control names at least one test file (a CI step alone does not prove it here).
    unproved = [cells[0][:60] for _, cells in rows if not NAMED_TEST.search(cells[2])]
    assert unproved == []


def test_every_test_named_is_a_test_pytest_collects():
    """A named function must be a module-level test function (pytest collects ``test_*``);
    a named file must hold at least one."""
    not_tests = []
    for file, function in set(_named_tests()):
        path = PROJECT / file
        if not path.is_file():
            continue  # reported by the test above
        source = path.read_text()
        if function is None:
            if not re.search(r"^(async )?def test_\w+\(", source, re.M):
                not_tests.append(file)
        elif not function.startswith("test_"):
            not_tests.append(f"{file}::{function}")
    assert not_tests == []
