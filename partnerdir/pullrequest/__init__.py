"""The pull-request tools, apart from the pipeline: what a change does compared with its base
(`comparison`, over `git`), who may make it (`ownership`, `codeowners`), and how GitHub shows
the verdict (`github`). They call the check; nothing in the pipeline calls them."""
