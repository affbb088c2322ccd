"""Every URL the project serves, as an example path, found by walking the URL resolver.

Tests that must cover every page (sign-in required, access matrix) take their
list from here, so a page added later is covered without anyone remembering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter, PathConverter, SlugConverter, UUIDConverter
from django.urls.resolvers import RegexPattern, RoutePattern

from send_portal.converters import IdConverter

_SAMPLE_BY_CONVERTER = {
    IdConverter: "1",
    IntConverter: "1",
    SlugConverter: "sample",
    UUIDConverter: "00000000-0000-0000-0000-000000000001",
    PathConverter: "sample",
}
_NAMED_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^()]*(?:\([^()]*\)[^()]*)*)\)")


@dataclass(frozen=True)
class ExampleUrl:
    path: str
    name: str  # "namespace:name", or the pattern text when unnamed


def _regex_example(regex: str) -> str:
    def group_sample(match: re.Match) -> str:
        body = match.group("body")
        # An alternation of plain words, e.g. the admin's (?P<app_label>roles|ehcp): take one.
        if re.fullmatch(r"[\w-]+(\|[\w-]+)*", body):
            return body.split("|")[0]
        if "\\d" in body:
            return "1"
        return "sample"

    text = _NAMED_GROUP.sub(group_sample, regex)
    return text.lstrip("^").rstrip("$").replace("\\", "")


def _route_example(pattern: RoutePattern) -> str:
    route = str(pattern._route)
    for name, converter in pattern.converters.items():
        sample = _SAMPLE_BY_CONVERTER.get(type(converter), "sample")
        route = re.sub(rf"<(?:\w+:)?{name}>", sample, route)
    return route


def _example(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return _route_example(pattern)
    if isinstance(pattern, RegexPattern):
        return _regex_example(pattern._regex)
    raise TypeError(f"Unknown URL pattern type {type(pattern)!r}")


def walk(patterns=None, prefix: str = "/", namespace: str = "") -> list[ExampleUrl]:
    patterns = get_resolver().url_patterns if patterns is None else patterns
    found: list[ExampleUrl] = []
    for entry in patterns:
        path = prefix + _example(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            found.extend(walk(entry.url_patterns, path, ns))
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else str(entry.pattern)
            found.append(ExampleUrl(path=path, name=name))
    return found
