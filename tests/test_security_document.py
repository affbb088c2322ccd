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
