"""统一社会信用代码 (Unified Social Credit Code), GB 32100-2015.

18 characters from a 31-symbol alphabet (digits and capital letters without
I, O, Z, S, V); the last is a check character over the first 17.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    """The check character for the first 17 characters of a code."""
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    if not isinstance(value, str) or len(value) != 18:
        raise ValidationError(_("统一社会信用代码应为18位。"), code="uscc_length")
    bad = sorted({char for char in value if char not in ALPHABET})
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有非法字符：%(chars)s。"), code="uscc_chars", params={"chars": "".join(bad)}
        )
    if not value[2:8].isdigit():
        raise ValidationError(_("统一社会信用代码第3至8位应为行政区划码。"), code="uscc_region")
    if check_character(value[:17]) != value[17]:
        raise ValidationError(_("统一社会信用代码校验位错误。"), code="uscc_check")


def make_uscc(body17: str) -> str:
    """Append the check character: for demo data and tests."""
    return body17 + check_character(body17)
