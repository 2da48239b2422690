"""UI string catalogs, one YAML file per language (`zh` default, `en`)."""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

from safedossier.format.schema import TABLE_BY_NAME

LANGS = ("zh", "en")


@cache
def catalog(lang: str) -> dict[str, str]:
    """The strings of one language; unknown languages fall back to Chinese."""
    lang = lang if lang in LANGS else "zh"
    text = resources.files(__package__).joinpath(f"{lang}.yml").read_text(encoding="utf-8")
    return {str(k): str(v) for k, v in yaml.safe_load(text).items()}


def column(table: str, key: str, lang: str) -> str:
    """A table column's display name: the schema's Chinese label, or its English label."""
    f = TABLE_BY_NAME[table].field(key)
    if f is None:
        return key
    return f.label if lang == "zh" else f.label_en
