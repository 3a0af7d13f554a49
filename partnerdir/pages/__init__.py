"""Which pages the site has and every value they show, prepared so templates compute nothing.

`planner` decides which pages exist; `context` holds what every page is planned from; each
page kind has its module (`home`, `profile`, `countries`, `level`, `program`, `stats`,
`not_found`); `views` holds the records the templates read.
"""

from .planner import Planner, plan_pages
from .views import Page

__all__ = ["Page", "Planner", "plan_pages"]
