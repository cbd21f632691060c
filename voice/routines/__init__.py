"""Routines: several exercises in order, with sets, reps or holds, and rest between.

A routine file is markdown with YAML front matter whose `exercises:` list names
guides of the library (voice.guides). `model` holds what a routine is once read,
`parse` reads and checks a file, and `plan` lays a routine out as the sets the
coach runs one after another. All pure: the coaching session runs the plan.
"""
