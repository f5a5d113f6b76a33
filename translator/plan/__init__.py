"""Environments, artifacts and plan resolution: what runs (artifacts) x how (environment).

Submodules are imported where they are used (``translator.plan.resolve`` and so on), so
that loading one does not build the models of the others (environment and artifacts
files need their own, only when such a file exists).
"""
