"""The ad platforms: one module each (``meta.py``, ``google.py``, ``tiktok.py``) holding all
adloop knows of it (copy limits, export sheet, report-row mapping, webhook and its signature,
labels), declared as one :class:`~shared.platforms.platform.Platform`, and the registry
(``registry.py``) every list of platforms reads.

The modules beside them hold what the platforms share: ``limits`` (counting and checking copy),
``sheets`` (what an export is built from), ``reports`` (a normalised report row), ``webhook``
(signature checks and body readers), ``tracking`` (the code that ties an ad to its creative)
and ``lint_copy`` (the ``adloop lint-copy`` verdicts).
"""
