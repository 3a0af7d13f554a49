"""What the rules files dated after the build date change, in words, for /program/ and for
each level's page."""

from __future__ import annotations

from ..levels import level_difference, rules_differences
from ..wording import rules_date_heading, rules_difference_texts
from .context import Context
from .views import DateText, RulesChangeView


def upcoming_rules(ctx: Context, level: str | None = None) -> tuple[RulesChangeView, ...]:
    """The rules files dated after the build date, each with what it changes against the rules
    in force the day before (issue 13: upcoming rules are public); with `level`, only what
    they change for that level, and only the files that change it."""
    program, today = ctx.program, ctx.evaluation.today
    differences = [d for d in rules_differences(program) if d.date > today]
    if level is not None:
        differences = [level_difference(program, d, level) for d in differences]
    views = (
        RulesChangeView(
            DateText.of(difference.date),
            rules_date_heading(difference.date),
            rules_difference_texts(program, difference),
        )
        for difference in differences
    )
    return tuple(view for view in views if view.changes or level is None)
