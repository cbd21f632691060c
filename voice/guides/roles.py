"""Section roles: what a heading above the howto marker is for, judged by its words.

Guides name the same thing many ways ("Setup", "Set Up", "Starting Position",
"Positioning"; "Tips", "Key Points", "Tips for Proper Form"), so the role comes from
keywords, checked in order of how decisive they are: a heading that mentions
mistakes is about mistakes even if it also says "form"; "Steps for Proper Form" is
the movement, "Tips for Proper Form" is advice.
"""

from __future__ import annotations

import re

from voice.guides.model import Role
from voice.words import letter_words

_RULES: tuple[tuple[Role, re.Pattern[str]], ...] = (
    (Role.MISTAKES, re.compile(r"\b(mistakes?|errors?|avoid|pitfalls?|don'?ts?|faults?)\b")),
    (Role.KEY_POINTS, re.compile(r"\b(tips?|key points?|pointers?|cues?|reminders?|notes?)\b")),
    (Role.MOVEMENT, re.compile(r"\breturn\w*\b")),  # "Return to Start" is not the setup
    (
        Role.SETUP,
        re.compile(
            r"\b(set ?up|starting|start|initial|prepar\w*|positioning|stance|grip|"
            r"foot placement|feet placement|equipment|get(?:ting)? into position|unrack\w*)\b"
        ),
    ),
    (
        Role.MOVEMENT,
        re.compile(
            r"\b(execution|movement|motion|steps?|instructions?|how to|phase|perform\w*|"
            r"lower\w*|lift\w*|rais\w*|press\w*|pull\w*|push\w*|descen\w*|ascen\w*|"
            r"rising|return\w*|finish\w*|final|top|peak|extension|contraction|depth|"
            r"squat\w*|curl\w*|row\w*|drive|transition|hold\w*|the clean|the snatch)\b"
        ),
    ),
    (Role.KEY_POINTS, re.compile(r"\b(form|technique|focus|safety)\b")),
)


def role_of(title: str) -> Role:
    """The role of a section titled `title`; OTHER where no rule claims it."""
    words = " ".join(letter_words(title))
    for role, pattern in _RULES:
        if pattern.search(words):
            return role
    return Role.OTHER
