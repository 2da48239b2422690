"""`dossier diff`: two versions, checked on two cores, compared by id."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safedossier.commands.common import print_diagnostics

if TYPE_CHECKING:
    from safedossier.format.model import Dossier
    from safedossier.format.validate import CheckResult


def _check_and_count(root: Path) -> tuple[CheckResult, tuple[Any, ...]]:
    """One side of `dossier diff`: the check, and the statistics the change report reads of it."""
    from safedossier.analyse.stats import accident_stats, injury_stats
    from safedossier.format.validate import check

    result = check(root)
    if result.dossier is None:
        return result, ()
    return result, (injury_stats(result.dossier), accident_stats(result.dossier))


def _prime(d: Dossier, counted: tuple[Any, ...]) -> None:
    from safedossier.analyse import memo
    from safedossier.analyse.stats import accident_stats, injury_stats

    for fn, value in zip((injury_stats, accident_stats), counted, strict=False):
        memo.prime(fn, d, value)


def cmd_diff(args: argparse.Namespace) -> int:
    import tempfile

    from safedossier.forked import Forked

    with tempfile.TemporaryDirectory(prefix="dossier-diff-") as tmp:
        roots = []
        for n, ref in enumerate((args.old, args.new)):
            src = Path(ref)
            if not src.is_dir():
                from safedossier.archive.versions import GitError, snapshot

                try:
                    src = snapshot(Path(args.repo), ref, Path(tmp) / str(n))
                except GitError as exc:
                    print(f"{ref}：既不是目录也不是 git 引用 / neither a directory nor a git ref ({exc})",
                          file=sys.stderr)
                    return 2
            roots.append(src)
        # the two sides are independent: one on each core, forked before pandas is imported
        with Forked(_check_and_count, roots[0]) as old:
            sides = [_check_and_count(roots[1])]
            sides.insert(0, old.result())
        dossiers = []
        for ref, (result, counted) in zip((args.old, args.new), sides, strict=True):
            if result.dossier is None:
                print(f"{ref}：档案有错误，无法比较 / the dossier has errors", file=sys.stderr)
                print_diagnostics(result.diagnostics, args.lang, "text", quiet_info=True)
                return 1
            _prime(result.dossier, counted)
            dossiers.append(result.dossier)
        from safedossier.archive.changes import to_json
        from safedossier.archive.changes_render import render_markdown, render_text
        from safedossier.archive.diff import diff_dossiers

        report = diff_dossiers(dossiers[0], dossiers[1])
    if args.format == "json":
        print(to_json(report))
    elif args.format == "md":
        print(render_markdown(report, args.lang))
    else:
        print(render_text(report, args.lang))
    return 0
