"""Vietnamese typed in the legacy TCVN3 (ABC) or VNI fonts: detect and convert.

Before Unicode, Vietnamese was typed with 8-bit fonts (.VnTime for TCVN3,
VNI-Times for VNI) that draw Vietnamese letters at the places of Western
letters. In a workbook such text arrives as Western letters: "Hµ Néi" (TCVN3)
or "Haø Noäi" (VNI) for "Hà Nội". The tables below follow the published charts
of TCVN 5712:1993 (the VN3 font set) and of VNI for Windows.

Some of those Western letters are also Vietnamese letters in Unicode (á, ê,
ô ...), so a text is treated as legacy only when it has characters that no
Vietnamese Unicode text uses, has none of the letters only Unicode Vietnamese
uses, and converts into valid Vietnamese syllables in exactly one encoding.
Otherwise it is refused, never guessed.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

# Tone order used by both charts below: grave, hook, tilde, acute, dot below.
_TONES = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")


def _toned(base: str, tone: int) -> str:
    return unicodedata.normalize("NFC", base + _TONES[tone])


# TCVN 5712:1993, VN3 (the ABC fonts): one byte per lower-case letter; the
# upper-case font (.VnTimeH) reuses the same bytes, so only the seven
# toneless capitals below exist in the single-font set.
_TCVN3_ROWS = {
    "a": "\xb5\xb6\xb7\xb8\xb9", "ă": "\xbb\xbc\xbd\xbe\xc6",
    "â": "\xc7\xc8\xc9\xca\xcb", "e": "\xcc\xce\xcf\xd0\xd1",
    "ê": "\xd2\xd3\xd4\xd5\xd6", "i": "\xd7\xd8\xdc\xdd\xde",
    "o": "\xdf\xe1\xe2\xe3\xe4", "ô": "\xe5\xe6\xe7\xe8\xe9",
    "ơ": "\xea\xeb\xec\xed\xee", "u": "\xef\xf1\xf2\xf3\xf4",
    "ư": "\xf5\xf6\xf7\xf8\xf9", "y": "\xfa\xfb\xfc\xfd\xfe",
}
TCVN3 = {"\xa8": "ă", "\xa9": "â", "\xaa": "ê", "\xab": "ô", "\xac": "ơ",
         "\xad": "ư", "\xae": "đ", "\xa1": "Ă", "\xa2": "Â", "\xa3": "Ê",
         "\xa4": "Ô", "\xa5": "Ơ", "\xa6": "Ư", "\xa7": "Đ"}
for _base, _row in _TCVN3_ROWS.items():
    for _tone, _byte in enumerate(_row):
        TCVN3[_byte] = _toned(_base, _tone)

# VNI for Windows: a base letter followed by one or two mark characters; the
# vowels i, y and the letters đ, ơ, ư have characters of their own.
_VNI_TONE = "\xf8\xfb\xf5\xf9\xef"          # ø û õ ù ï: grave hook tilde acute dot
_VNI_CIRCUMFLEX = "\xe0\xe5\xe3\xe1\xe4"    # à å ã á ä with the circumflex
_VNI_BREVE = "\xe8\xfa\xfc\xe9\xeb"         # è ú ü é ë with the breve
VNI: dict[str, str] = {"\xf1": "đ", "\xd1": "Đ", "\xf4": "ơ", "\xd4": "Ơ",
                       "\xf6": "ư", "\xd6": "Ư", "\xe2": "\u0302",
                       "\xc2": "\u0302", "\xea": "\u0306", "\xca": "\u0306"}
for _tone in range(5):
    VNI[_VNI_TONE[_tone]] = _TONES[_tone]
    VNI[_VNI_TONE[_tone].upper()] = _TONES[_tone]
    VNI[_VNI_CIRCUMFLEX[_tone]] = "\u0302" + _TONES[_tone]
    VNI[_VNI_CIRCUMFLEX[_tone].upper()] = "\u0302" + _TONES[_tone]
    VNI[_VNI_BREVE[_tone]] = "\u0306" + _TONES[_tone]
    VNI[_VNI_BREVE[_tone].upper()] = "\u0306" + _TONES[_tone]
# i and y: ì ỉ ĩ í ị are ì æ ó í ò; ỵ is î (the other y tones use marks).
_VNI_I = "\xec\xe6\xf3\xed\xf2"
VNI_LETTERS = {_VNI_I[t]: _toned("i", t) for t in range(5)}
VNI_LETTERS.update({_VNI_I[t].upper(): _toned("I", t) for t in range(5)})
VNI_LETTERS.update({"\xee": "ỵ", "\xce": "Ỵ"})

# Characters that Vietnamese Unicode text does not use but the legacy fonts do.
_LEGACY_ONLY = set(
    "µ¶·¸¹¨©ª«¬\xad®»¼½¾ÆÇËÎÏÐÑÖ×ØÜÞßäåæçëîïñö÷øûüþ¡¢£¤¥¦§ÅÄÛ")
# Of those, the ones that also serve as symbols in ordinary text (© 2020,
# «quotes», 3×4, §2) do not by themselves make a text legacy.
_SYMBOLS = set("©®«»·×¡¢£¤¥¦§¶")
_TRIGGERS = _LEGACY_ONLY - _SYMBOLS
# Letters only Unicode Vietnamese has; their presence means the text is Unicode.
_UNICODE_ONLY = re.compile("[ăĂđĐơƠưƯĩĨũŨ\u1ea0-\u1ef9]")

_VOWELS = ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y")
_NUCLEI = {
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao",
    "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi",
    "ôi", "ơi", "oo", "ua", "uâ", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ươ",
    "ưu", "yê", "iêu", "oai", "oay", "oao", "oeo", "uây", "uôi", "uya", "uyê",
    "uyu", "ươi", "ươu", "yêu", "ueo",
}
_SYLLABLE = re.compile(
    r"^(ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdđghklmnprstvx])?"
    r"([aăâeêioôơuưy]+)(ch|ng|nh|[cmnpt])?$")


_EDGES = ".,;:!?()[]{}\"'“”‘’…"


class LegacyTextError(ValueError):
    """Text that looks legacy-encoded but cannot be converted with certainty."""


def _convert_tcvn3(text: str) -> str:
    return "".join(TCVN3.get(ch, ch) for ch in text)


_VNI_STANDALONE = set("\xf1\xd1\xf4\xd4\xf6\xd6")


def _convert_vni(text: str) -> str:
    out = []
    for ch in text:
        if ch in VNI_LETTERS:
            out.append(VNI_LETTERS[ch])
        elif ch in _VNI_STANDALONE or (ch in VNI and out and out[-1][-1:].lower()
                                       in "aeouyơư\u0302\u0306"):
            # Marks follow a vowel; đ, ơ and ư stand on their own.
            out.append(VNI[ch])
        else:
            out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def _is_syllable(word: str) -> bool:
    """Whether `word` is a well-formed Vietnamese syllable: known initial,
    vowel cluster and final, one tone at most, on the vowel that carries it."""
    letters = []
    for ch in word.lower():
        marks = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize(
            "NFC", "".join(m for m in marks if m not in _TONES))
        if len(base) != 1:
            return False  # a mark no Vietnamese letter has (ŭ with a dot ...)
        letters.append((base, any(m in _TONES for m in marks)))
    toned = [i for i, (_, tone) in enumerate(letters) if tone]
    if len(toned) > 1:
        return False
    match = _SYLLABLE.match("".join(base for base, _ in letters))
    if not match:
        return False
    initial, nucleus, final = match.group(1) or "", match.group(2), match.group(3)
    if nucleus not in _NUCLEI and initial in ("gi", "qu"):
        # gi- and qu- lend their vowel to the cluster (già, quý); the tone
        # rules below do not apply to those spellings.
        return initial[-1] + nucleus in _NUCLEI
    if nucleus not in _NUCLEI or not _spelled_right(initial, nucleus):
        return False
    if final and len(nucleus) > 1 and nucleus[-1] in "iouy" and nucleus not in (
            "uy", "oo"):
        return False  # a cluster that ends in a glide takes no final (aon, uin)
    return not toned or toned[0] - len(initial) in _tone_places(nucleus, final)


def _spelled_right(initial: str, nucleus: str) -> bool:
    """Vietnamese spelling: k, gh and ngh come before i, e, ê and y only;
    c, g and ng never before e or ê (nor c, ng before i)."""
    if initial in ("k", "gh", "ngh"):
        return nucleus[0] in "ieêy"
    if initial in ("c", "ng"):
        return nucleus[0] not in "ieêy"
    if initial == "g":
        return nucleus[0] not in "eê"
    return True


def _tone_places(nucleus: str, final: str | None) -> set[int]:
    """Where the tone mark may sit in a vowel cluster (both the old and the
    new placement are accepted for oa, oe and uy: hoà and hòa)."""
    shaped = [i for i, v in enumerate(nucleus) if v in "ăâêôơư"]
    if shaped:
        return {shaped[-1]}
    if final or len(nucleus) == 1:
        return {len(nucleus) - 1}
    if len(nucleus) == 2:
        return {0, 1} if nucleus in ("oa", "oe", "uy") else {0}
    return {1}


def _plausible(original: str, converted: str) -> bool:
    """Every word the conversion changed is a Vietnamese syllable, and no
    legacy-only character is left."""
    if any(ch in _TRIGGERS for ch in converted):
        return False
    words, new_words = original.split(), converted.split()
    if len(words) != len(new_words):
        return False
    # Each changed word, without the punctuation around it, must be one
    # syllable (hyphenated or slashed words are checked part by part).
    runs = [run for old, new in zip(words, new_words, strict=True) if old != new
            for run in re.split(r"[-/–—]", new.strip(_EDGES)) if not run.isascii()]
    return bool(runs) and all(_is_syllable(run) and not _mixed_case(run)
                              for run in runs)


def _mixed_case(word: str) -> bool:
    """A capital after a small letter ("NghƯ") is no way to write a word."""
    return any(a.islower() and b.isupper() for a, b in itertools.pairwise(word))


# Of the triggers, the letters of Western European names (Søren, Peña, Zoë):
# a text whose only triggers these are, and that converts into Vietnamese in
# neither encoding, is such a name and is kept as written.
_WESTERN = set("ñøöëäåæçßîïûüÑØÖËÄÅÆÇÎÏÛÜ") & _TRIGGERS


def legacy_letters(text: str) -> str:
    """The letters of `text` that the legacy fonts also use, in order."""
    return "".join(dict.fromkeys(ch for ch in text if ch in _TRIGGERS))


def looks_legacy(text: str) -> bool:
    """Whether `text` has characters that only the legacy fonts produce: a
    legacy-only letter, or a symbol right after a letter (TCVN3 writes "Công"
    as "C«ng" and "xã" as "x·"; «quotes» and 3×4 put no letter before one)."""
    if _UNICODE_ONLY.search(text):
        return False
    return any(ch in _TRIGGERS or (ch in _SYMBOLS and i and text[i - 1].isalpha())
               for i, ch in enumerate(text))


def convert(text: str) -> tuple[str, str | None]:
    """`text` converted to Unicode, and the encoding it was in (None: it was
    Unicode already). Raises LegacyTextError when it cannot tell for sure."""
    if not looks_legacy(text):
        return text, None
    candidates = {}
    for name, converter in (("TCVN3", _convert_tcvn3), ("VNI", _convert_vni)):
        result = unicodedata.normalize("NFC", converter(text))
        if _plausible(text, result):
            candidates[name] = result
    if len(candidates) == 1:
        name, result = next(iter(candidates.items()))
        return result, name
    if candidates:
        raise LegacyTextError(
            f"'{text}' looks typed in a legacy Vietnamese font but reads as "
            f"Vietnamese both as TCVN3 ('{candidates['TCVN3']}') and as VNI "
            f"('{candidates['VNI']}')")
    if all(ch in _WESTERN for ch in text if ch in _TRIGGERS):
        return text, None
    raise LegacyTextError(
        f"'{text}' has characters of the legacy Vietnamese fonts (TCVN3 or VNI) "
        "but does not convert into Vietnamese words in either")
