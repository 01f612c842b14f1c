"""What an edit of the plan changes: two check results side by side."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from zoning.check import VERDICTS

__all__ = ["CheckComparison", "compare_checks"]

_KEEP = ("id", "name_zh", "name_en", "segment")


@dataclass(frozen=True)
class CheckComparison:
    """Verdict counts before and after, and the enterprises whose verdict changed.

    Attributes
    ----------
    counts : pandas.DataFrame
        Indexed by verdict (all six, in :data:`zoning.VERDICTS` order), columns
        ``before``, ``after`` and ``change`` (after - before).
    changed : pandas.DataFrame
        The rows whose verdict or area changed, with the inputs' index: ``id``,
        ``name_zh``, ``name_en``, ``segment`` (those present), ``verdict_before``,
        ``verdict_after``, ``area_before``, ``area_after``, ``reason_zh``,
        ``reason_en`` (the reasons after the edit).
    """

    counts: pd.DataFrame
    changed: pd.DataFrame


def compare_checks(before: pd.DataFrame, after: pd.DataFrame) -> CheckComparison:
    """Compare two results of :func:`zoning.check` on the same enterprises.

    Parameters
    ----------
    before, after : pandas.DataFrame
        ``zoning.check`` results for the same enterprises (same index), e.g. against the
        plan's zones and against a redrawn zone.

    Returns
    -------
    CheckComparison
        Counts per verdict and the enterprises whose verdict or area changed.

    Raises
    ------
    ValueError
        If the two results do not cover the same enterprises.

    Examples
    --------
    >>> import layers, zoning
    >>> firms = layers.enterprises()
    >>> result = zoning.check(firms)
    >>> same = compare_checks(result, result)
    >>> int(same.counts["change"].abs().sum()), len(same.changed)
    (0, 0)
    """
    if not before.index.equals(after.index):
        msg = (
            "`before` and `after` must be check results for the same enterprises "
            "(the same index); run zoning.check on one table against both plans"
        )
        raise ValueError(msg)
    vb = before["verdict"].astype(str)
    va = after["verdict"].astype(str)
    counts = pd.DataFrame(
        {
            "before": vb.value_counts().reindex(VERDICTS, fill_value=0),
            "after": va.value_counts().reindex(VERDICTS, fill_value=0),
        }
    ).astype("int64")
    counts["change"] = counts["after"] - counts["before"]
    counts.index.name = "verdict"
    ab = before["area"].map(tuple)
    aa = after["area"].map(tuple)
    moved = (vb != va) | (ab.map(",".join) != aa.map(",".join))
    keep = [c for c in _KEEP if c in after.columns]
    changed = pd.DataFrame(after.loc[moved, keep]).assign(
        verdict_before=vb[moved],
        verdict_after=va[moved],
        area_before=ab[moved],
        area_after=aa[moved],
        reason_zh=after.loc[moved, "reason_zh"].astype(str),
        reason_en=after.loc[moved, "reason_en"].astype(str),
    )
    return CheckComparison(counts=counts, changed=changed)
