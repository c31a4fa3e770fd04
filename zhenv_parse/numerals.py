"""Chinese numerals to integers, through cn2an (imported on first use: it is slow to load)."""

from __future__ import annotations

from functools import lru_cache


class NumeralError(ValueError):
    """A string that is not a Chinese (or Arabic) numeral."""


@lru_cache(maxsize=4096)
def to_int(numeral: str) -> int:
    """`十一` → 11, `二〇二三` → 2023, `两` → 2, `23` → 23."""
    if numeral.isascii() and numeral.isdigit():
        return int(numeral)
    import cn2an  # deferred: ~0.2 s to import

    try:
        value = cn2an.cn2an(numeral, "smart")
    except (ValueError, KeyError, TypeError) as error:
        raise NumeralError(f"not a numeral: {numeral!r}") from error
    if value != int(value):
        raise NumeralError(f"not a whole number: {numeral!r}")
    return int(value)


def to_number(numeral: str) -> int | float:
    """A possibly mixed numeral (`3.5`, `三万`, `1.5万`) to a number; ints stay ints."""
    import cn2an  # deferred: ~0.2 s to import

    try:
        value = cn2an.cn2an(numeral, "smart")
    except (ValueError, KeyError, TypeError) as error:
        raise NumeralError(f"not a numeral: {numeral!r}") from error
    return int(value) if float(value).is_integer() else float(value)
