"""Equipment: the words for what an exercise is done with, in one table.

A guide's equipment comes from its file name (`hipthrust_barbell.md`, Liftosaur's
way) or its front matter. The coach hears it in two places: as the answer to
"barbell or bodyweight?" (a grammar phrase, `voice.commands`), and inside a name
("kettlebell hip thrust", `voice.guides.library`). The grammar wants few phrases,
since each competes for every sound heard; text matching can afford every way of
saying it. So there are two sets, the second containing the first.
"""

from __future__ import annotations

EQUIPMENT: tuple[str, ...] = (
    "bodyweight",
    "barbell",
    "dumbbell",
    "kettlebell",
    "cable",
    "band",
    "machine",
)
"""The usual equipment: an answer the coach understands even where no guide in the
library uses it, so "with kettlebell" is heard and answered, not mistaken."""

RUN_TOGETHER: dict[str, str] = {
    "ezbar": "ez bar",
    "trapbar": "trap bar",
    "leveragemachine": "leverage machine",
    "smith": "smith machine",
}
"""Equipment as Liftosaur's file names write it, and as a person says it."""

OTHER_WAYS: tuple[str, ...] = (
    "body weight",
    "resistance band",
    "weighted",
    "weight",
    "no equipment",
)
"""What people also say for equipment, though no file name spells it so."""

EQUIPMENT_PHRASES: tuple[str, ...] = (*EQUIPMENT, *RUN_TOGETHER.values(), *OTHER_WAYS)
"""Every way of saying equipment: the words the library sets aside from a name
("kettlebell hip thrust" where no kettlebell variant exists)."""
