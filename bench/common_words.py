"""Write the list of common short words the capitals rule reads (shared/creative/policy/style.py).

    .venv/bin/python bench/common_words.py      # writes shared/creative/policy/common_words.txt.gz

A word of four or five capitals is shouting when it is a word ("GRATIS", "FREE") and an acronym
when it is not ("CFDI", "SPEI", "ITIN"). Which short words are words comes from the word
frequencies spaCy publishes in spacy-lookups-data (``<lang>_lexeme_prob``, log probabilities
over a large web corpus): the English and Spanish words of four or five letters more frequent
than MIN_LOG_PROB. The tables take over a second each to read, so the short list is stored.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import spacy_lookups_data
import srsly

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "shared" / "creative" / "policy" / "common_words.txt.gz"
MIN_LOG_PROB = -16.0
LENGTHS = (4, 5)


def common_words() -> list[str]:
    data = Path(spacy_lookups_data.__file__).parent / "data"
    words: set[str] = set()
    for language in ("en", "es"):
        probs: dict[str, float] = srsly.read_gzip_json(data / f"{language}_lexeme_prob.json.gz")
        words.update(
            word
            for word, prob in probs.items()
            if prob > MIN_LOG_PROB and len(word) in LENGTHS and word.isalpha() and word.islower()
        )
    return sorted(words)


def main() -> int:
    words = common_words()
    # mtime=0: the same words give the same bytes, so a rebuild leaves no diff
    OUT.write_bytes(gzip.compress("\n".join(words).encode() + b"\n", 9, mtime=0))
    print(f"{len(words)} words -> {OUT.relative_to(ROOT)} ({OUT.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
