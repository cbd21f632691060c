"""Things people say near a workout coach that are not meant for it.

The listener must stay quiet for all of these. Each list is split between the
dev and the test corpus (see `voice.testing.corpus`), so a rejection threshold
tuned on dev chatter is measured on sentences it has never seen.

The right answer for every sentence here is "no command", including the hard
cases that carry a command word inside ordinary speech ("I'll do it next week",
"can you stop by later"): a sentence said to someone else is not a command,
and the coach acting on it would be worse than the coach missing it. Bare
command words ("next", "stop") are deliberately absent: said alone they are
commands, whoever they were meant for.
"""

from __future__ import annotations

ROOM_TALK = (
    "did you feed the cat this morning",
    "the kids are home at four today",
    "where did I leave my water bottle",
    "could you turn the heating down a little",
    "dinner will be ready in about twenty minutes",
    "I think it is going to rain this afternoon",
    "have you seen my blue towel anywhere",
    "the parcel came while you were out",
    "we are out of milk again",
    "your mother called about the weekend",
    "I need to move the car before noon",
    "shut the window please it is freezing",
    "that is the third time the dog has barked",
    "do you want tea or coffee",
)

QUESTIONS = (
    "what time is the meeting tomorrow",
    "how was your day at work",
    "is the washing machine finished yet",
    "who is picking up the children",
    "are you coming to the party on saturday",
    "did the plumber ever ring back",
    "which train are you catching in the morning",
    "have you booked the dentist",
    "why is the light on in the hall",
    "when does the shop close tonight",
)

PHONE = (
    "hello yes speaking",
    "sorry I can't talk right now I'm exercising",
    "no no that's fine go ahead",
    "I'll call you back in ten minutes",
    "yeah I got your message earlier",
    "can you hear me now the signal is terrible",
    "right okay so Thursday at three then",
    "tell her I said hi",
    "hang on someone is at the door",
    "alright speak soon bye",
)

WORKOUT_TALK = (
    "my legs are burning already",
    "this is much harder than yesterday",
    "I really should have warmed up first",
    "my shoulder feels a bit tight today",
    "I can feel that in my lower back",
    "phew that was a tough one",
    "I'm sweating like crazy",
    "I haven't done these in a long time",
    "my knees are not happy with me",
    "this mat is too slippery",
)

# Command words inside sentences meant for someone else: the hard cases.
HARD = (
    "I'll do it next week",
    "can you stop by later",
    "we should go back to that restaurant",
    "put it back on the shelf when you're done",
    "the next bus is at half past",
    "don't stop the music yet",
    "could you repeat the address for the delivery",
    "he wants to start a new job in spring",
    "she said she needs help with her homework",
    "take a pause from your phone for once",
    "skip the bread I'm not hungry",
    "I'll quit my gym membership next month",
    "any tips for the garden",
    "we made some mistakes on the tax form",
    "let's restart the router it keeps dropping",
    "how much time is left on the oven",
    "make a list for the shopping",
    "resume the film after dinner",
    "I went back home to get my keys",
    "you can stop worrying about it",
)

FILLERS = (
    "okay",
    "hmm",
    "yeah",
    "uh huh",
    "oh well",
    "right",
    "hmm let me think",
    "wow",
    "ouch",
    "oh no",
)

COUNTING = (
    "one two three four",
    "five six seven eight",
    "nine ten eleven twelve",
    "one and two and three",
    "ten nine eight seven",
    "twenty one twenty two twenty three",
    "thirteen fourteen fifteen",
    "two more two more",
)

ALL: tuple[tuple[str, ...], ...] = (
    ROOM_TALK,
    QUESTIONS,
    PHONE,
    WORKOUT_TALK,
    HARD,
    FILLERS,
    COUNTING,
)
"""Every chatter list; each contributes to both splits."""

BABBLE = (
    "and then the weather took a turn for the worse over the weekend",
    "the committee will meet again after the summer recess",
    "scientists say the new bridge could open by the end of the year",
    "in other news the local team won their third match in a row",
    "the market closed slightly higher on thursday afternoon",
    "coming up after the break a look at the best gardens in town",
    "police have asked drivers to avoid the high street this evening",
    "the recipe calls for two cups of flour and a pinch of salt",
)
"""Sentences for the TV and background babble; never scored as chatter themselves."""
