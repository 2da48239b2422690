"""The mark a suppressed count shows instead of its value (its own module: the charts' drawing
child imports it without pandas)."""

MARK = "*"
