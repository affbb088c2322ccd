"""A short, readable name for the browser a session came from ("Firefox on Windows").

The person reading their session list needs enough to recognise a device, not the whole
User-Agent header. ua-parser (with its compiled rules) does the parsing.
"""

from __future__ import annotations

from ua_parser import parse

MAX_LENGTH = 120


def describe(user_agent: str) -> str:
    user_agent = (user_agent or "").strip()
    if not user_agent:
        return "Unknown browser"
    result = parse(user_agent[:1000])  # longer headers are padding, not information
    browser = result.user_agent.family if result.user_agent else ""
    system = result.os.family if result.os else ""
    if browser and browser != "Other" and system and system != "Other":
        text = f"{browser} on {system}"
    elif browser and browser != "Other":
        text = browser
    elif system and system != "Other":
        text = f"A browser on {system}"
    else:
        text = user_agent
    return text[:MAX_LENGTH]
