"""lint-copy: one verdict per JSON line, never an exception, exit codes a shell can use."""

from __future__ import annotations

import io
import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from shared.platforms.lint_copy import lint_lines, main


def _line(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False)


def test_clean_copy_is_ok_in_both_languages() -> None:
    lines = [
        _line(id="a1", text="Glow in 7 days. Try GlowDrop today.", platform="meta", language="en"),
        _line(
            id="a2", text="Brilla en 7 días. Prueba GlowDrop hoy.", platform="tiktok", language="es"
        ),
    ]
    assert list(lint_lines(lines)) == [
        {"id": "a1", "ok": True, "findings": []},
        {"id": "a2", "ok": True, "findings": []},
    ]


def test_a_lines_category_says_what_its_words_leave_out() -> None:
    text = "Cool mint and berry ice pods just dropped."
    lines = [
        _line(id="v", text=text, platform="tiktok", language="en", category="vape"),
        _line(id="c", text=text, platform="tiktok", language="en", category="coffee"),
        _line(id="n", text=text, platform="tiktok", language="en"),
    ]
    vape, coffee, plain = lint_lines(lines)
    assert [(f["rule"], f["span"]) for f in vape["findings"]] == [("restricted_category", text)]
    assert coffee == {"id": "c", "ok": True, "findings": []}
    assert plain == {"id": "n", "ok": True, "findings": []}


def test_a_category_that_is_not_text_is_an_input_finding() -> None:
    [verdict] = lint_lines(
        [_line(id="x", text="Hi there", platform="meta", language="en", category=3)]
    )
    assert verdict["ok"] is False
    [finding] = verdict["findings"]
    assert finding["rule"] == "input" and "category" in finding["reason"]


def test_policy_findings_carry_rule_span_and_reason() -> None:
    text = "¿Tienes sobrepeso? Resultados garantizados!!"
    [verdict] = lint_lines([_line(id=7, text=text, platform="meta", language="es")])
    assert verdict["id"] == 7 and verdict["ok"] is False
    assert [(f["rule"], f["span"]) for f in verdict["findings"]] == [
        ("personal_attributes", "¿Tienes sobrepeso"),
        ("guaranteed_results", "Resultados garantizados"),
        ("excessive_punctuation", "!!"),
    ]
    assert all(set(f) == {"rule", "span", "reason"} for f in verdict["findings"])


def test_platform_limit_errors_but_not_warnings() -> None:
    long_text = "Glow in 7 days with GlowDrop vitamin C serum, made for busy mornings and " * 2
    [tiktok] = lint_lines([_line(id="t", text=long_text, platform="tiktok", language="en")])
    assert [f["rule"] for f in tiktok["findings"]] == ["tiktok.primary_text"]
    [meta] = lint_lines([_line(id="m", text=long_text, platform="meta", language="en")])
    assert meta["ok"] is True  # over Meta's recommended 125, under its 2,200 maximum
    [google] = lint_lines([_line(id="g", text=long_text, platform="google", language="en")])
    assert [f["rule"] for f in google["findings"]] == ["google.description"]


def test_declared_language_is_checked_by_the_detector() -> None:
    text = "Get 20% off your first order today"
    [verdict] = lint_lines([_line(id="x", text=text, platform="meta", language="es")])
    assert [(f["rule"], f["span"]) for f in verdict["findings"]] == [("language", text)]
    assert "reads as 'en'" in verdict["findings"][0]["reason"]


def test_too_short_to_judge_the_language() -> None:
    [verdict] = lint_lines([_line(id="x", text="GlowDrop", platform="meta", language="es")])
    assert verdict["ok"] is True


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("not json", "line 1: not JSON"),
        ("[1, 2]", "expected a JSON object"),
        (_line(id="a", text="x", platform="fb", language="en"), "platform"),
        (_line(id="a", text="x", platform="meta"), "language: Field required"),
        (_line(text="x", platform="meta", language="en"), "id: Field required"),
    ],
)
def test_bad_lines_yield_an_input_finding_not_an_exception(raw: str, says: str) -> None:
    [verdict] = lint_lines([raw])
    assert verdict["ok"] is False
    [finding] = verdict["findings"]
    assert finding["rule"] == "input"
    assert says in finding["reason"]
    assert finding["span"] in raw


def test_blank_lines_are_skipped_and_line_numbers_kept() -> None:
    verdicts = list(
        lint_lines(
            ["", _line(id="a", text="Shop now", platform="meta", language="en"), "  ", "{oops"]
        )
    )
    assert [v["id"] for v in verdicts] == ["a", None]
    assert verdicts[1]["findings"][0]["reason"].startswith("line 4:")


def test_main_exit_codes_and_output(tmp_path: Path) -> None:
    clean = tmp_path / "clean.jsonl"
    clean.write_text(
        _line(id="a", text="Try GlowDrop today.", platform="meta", language="en") + "\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    assert main(str(clean), out) == 0
    assert json.loads(out.getvalue()) == {"id": "a", "ok": True, "findings": []}

    dirty = tmp_path / "dirty.jsonl"
    dirty.write_text(
        "\n".join(
            [
                _line(id="a", text="Try GlowDrop today.", platform="meta", language="en"),
                _line(id="b", text="Gana $5000 al mes", platform="meta", language="es"),
            ]
        ),
        encoding="utf-8",
    )
    out = io.StringIO()
    assert main(str(dirty), out) == 1
    lines = out.getvalue().splitlines()
    assert [json.loads(line)["ok"] for line in lines] == [True, False]
    assert "Gana $5000 al mes" in lines[1]  # written as UTF-8 text, not \u escapes


def test_main_unreadable_file_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = io.StringIO()
    assert main(str(tmp_path / "missing.jsonl"), out) == 2
    assert out.getvalue() == ""
    assert "cannot read" in capsys.readouterr().err
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    assert main(str(binary), io.StringIO()) == 2


def test_line_separator_inside_a_json_string_does_not_split_the_line(tmp_path: Path) -> None:
    path = tmp_path / "u2028.jsonl"
    text = "Glow in 7 days.\u2028Try GlowDrop today."
    path.write_text(_line(id="a", text=text, platform="meta", language="en"), encoding="utf-8")
    out = io.StringIO()
    assert main(str(path), out) == 0
    assert out.getvalue().count("\n") == 1
    assert json.loads(out.getvalue()) == {"id": "a", "ok": True, "findings": []}


def _strict(line: str) -> dict[str, object]:
    """A verdict parsed as strict JSON: a bare NaN or Infinity in the output fails here."""

    def refuse(literal: str) -> None:
        raise AssertionError(f"{literal} is not JSON")

    verdict = json.loads(line, parse_constant=refuse)
    assert isinstance(verdict, dict)
    return verdict


GOOD = _line(id="good", text="Try GlowDrop today.", platform="meta", language="en")


def _good(n: int) -> str:
    """A clean line of its own id (a file's lines have one each)."""
    return _line(id=f"good-{n}", text="Try GlowDrop today.", platform="meta", language="en")


# Each crashed the whole run (a traceback, the lines after it never linted) or wrote bad JSON.
HOSTILE_LINES = [
    ("deep-array", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ("deep-in-text", '{"id": "d", "text": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested"),
    (
        "5000-digit-id",
        '{"id": ' + "7" * 5000 + ', "text": "x", "platform": "meta", "language": "en"}',
        "id: ",
    ),
    ("nan-id", '{"id": NaN, "text": "x", "platform": "meta", "language": "en"}', "id: 'NaN'"),
    ("1e400-id", '{"id": 1e400, "text": "x", "platform": "meta", "language": "en"}', "id: "),
    (
        "surrogate-id",
        '{"id": "\\ud800", "text": "x", "platform": "meta", "language": "en"}',
        "id: holds a lone surrogate",
    ),
    (
        "surrogate-text",
        '{"id": "s", "text": "Glow \\udfff", "platform": "meta", "language": "en"}',
        "text: holds a lone surrogate",
    ),
    ("invalid-json", "{oops", "not JSON"),
    ("non-object", "42", "expected a JSON object"),
    ("list", '["id", "text"]', "expected a JSON object"),
    (
        "repeated-key",
        '{"id": "a", "id": "b", "text": "x", "platform": "meta", "language": "en"}',
        "'id' appears twice",
    ),
]


def test_each_bad_line_gets_its_own_verdict_and_every_other_line_is_linted(
    tmp_path: Path,
) -> None:
    path = tmp_path / "hostile.jsonl"
    path.write_text(
        "\n".join(x for i, (_, raw, _) in enumerate(HOSTILE_LINES) for x in (_good(i), raw))
        + "\n"
        + GOOD,
        encoding="utf-8",
    )
    out = io.StringIO()
    assert main(str(path), out) == 1  # a line that cannot be read is a finding, not exit 2
    verdicts = [_strict(line) for line in out.getvalue().splitlines()]
    assert len(verdicts) == 2 * len(HOSTILE_LINES) + 1
    assert all(v["ok"] and v["findings"] == [] for v in verdicts[::2])
    for (name, raw, says), verdict in zip(HOSTILE_LINES, verdicts[1::2], strict=True):
        assert verdict["ok"] is False, name
        [finding] = verdict["findings"]  # type: ignore[misc]
        assert finding["rule"] == "input", name
        assert says in finding["reason"], (name, finding["reason"])
        assert raw.startswith(finding["span"]) and len(finding["span"]) <= 120


def test_one_latin1_line_is_that_lines_finding_and_the_file_is_linted(tmp_path: Path) -> None:
    # An outside attack: one line pasted from a Windows-1252 spreadsheet made the whole file
    # exit 2 with nothing written.
    latin1 = '{"id": "es-7", "text": "Env\xedo gratis", "platform": "meta", "language": "es"}'
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(GOOD.encode() + b"\n" + latin1.encode("latin-1") + b"\n" + _good(2).encode())
    out = io.StringIO()
    assert main(str(path), out) == 1
    first, bad, last = [_strict(line) for line in out.getvalue().splitlines()]
    assert first == {"id": "good", "ok": True, "findings": []}
    assert last == {"id": "good-2", "ok": True, "findings": []}
    assert bad["id"] == "es-7" and bad["ok"] is False
    [finding] = bad["findings"]  # type: ignore[misc]
    assert finding["rule"] == "input"
    assert "byte 0xED at character 28 is not UTF-8" in finding["reason"]
    assert "save the file as UTF-8" in finding["reason"]
    assert finding["span"].startswith('{"id": "es-7", "text": "Env\ufffdo')


def test_a_line_refused_whole_still_echoes_its_id() -> None:
    deep = '{"id": "deep", "text": ' + "[" * 5000 + "]" * 5000 + "}"
    surrogate = '{"id": 7, "text": "\\ud800 oferta", "platform": "meta", "language": "es"}'
    late = '{"text": ' + "[" * 5000 + "]" * 5000 + ', "id": "late"}'
    verdicts = list(lint_lines([deep, surrogate, late]))
    assert [v["id"] for v in verdicts] == ["deep", 7, None]  # only a first key is read
    assert all(v["findings"][0]["rule"] == "input" for v in verdicts)


def test_a_repeated_id_is_an_input_finding_on_the_later_line(tmp_path: Path) -> None:
    # The verdicts are matched to their ads by id: two lines with one id cannot be told apart.
    lines = [
        _line(id=1, text="Pan de masa madre cada mañana.", platform="meta", language="es"),
        _line(id="1", text="Pan de centeno los sábados.", platform="meta", language="es"),
        _line(id=1, text="Croissants de mantequilla los domingos.", platform="meta", language="es"),
    ]
    path = tmp_path / "ads.jsonl"
    path.write_text("\n\n".join(lines), encoding="utf-8")
    out = io.StringIO()
    assert main(str(path), out) == 1
    first, other, repeat = [json.loads(line) for line in out.getvalue().splitlines()]
    assert first["ok"] and other["ok"]  # 1 and "1" are different ids
    assert repeat["id"] == 1 and repeat["ok"] is False
    [finding] = repeat["findings"]
    assert finding["rule"] == "input"
    assert finding["reason"].startswith("line 5: id 1 is line 1's id too")


def test_output_is_valid_json_even_where_the_output_is_not_utf8() -> None:
    buffer = io.BytesIO()
    out = io.TextIOWrapper(buffer, encoding="ascii", newline="\n")
    stdin = io.BytesIO(
        (_line(id="ñ", text="Gana $5000 al mes", platform="meta", language="es") + "\n").encode()
    )
    assert main("-", out, stdin=stdin) == 1
    out.flush()
    [verdict] = [_strict(line) for line in buffer.getvalue().decode("ascii").splitlines()]
    assert verdict["id"] == "ñ"


def test_dash_reads_standard_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A file named "-" in the working folder must not be read instead.
    (tmp_path / "-").write_text(_line(id="file", text="x", platform="meta", language="en"))
    monkeypatch.chdir(tmp_path)
    lines = [
        _line(id="a", text="Try GlowDrop today.", platform="meta", language="en"),
        _line(id="b", text="Resultados garantizados", platform="tiktok", language="es"),
    ]
    out = io.StringIO()
    assert main("-", out, stdin=io.BytesIO("\n".join(lines).encode())) == 1
    assert [_strict(line)["id"] for line in out.getvalue().splitlines()] == ["a", "b"]


def test_unreadable_standard_input_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    out = io.StringIO()
    assert main("-", out, stdin=io.BytesIO(b"\xff\xfe\x00garbage")) == 2
    assert out.getvalue() == "" and "cannot read standard input" in capsys.readouterr().err


def test_a_text_longer_than_any_ad_is_an_input_finding_and_the_run_goes_on() -> None:
    # An outside attack crashed the whole run (no verdict at all, exit 1) with one line of a
    # million characters: spaCy refuses a text past that. No platform takes 1/1000 of it.
    lines = [
        _line(id="before", text="Hola, bienvenidos a la tienda", platform="meta", language="es"),
        _line(id="huge", text="hola " * 200_001, platform="meta", language="es"),
        _line(id="after", text="GRATIS GRATIS hoy", platform="meta", language="es"),
    ]
    before, huge, after = lint_lines(lines)
    assert before["ok"] and before["id"] == "before"
    [finding] = huge["findings"]
    assert finding["rule"] == "input" and "at most 100000 characters" in finding["reason"]
    assert after["id"] == "after" and [f["rule"] for f in after["findings"]] == ["excessive_caps"]


def test_a_long_shouted_line_is_linted_whole_with_its_findings_bounded() -> None:
    # _dedupe compared each finding with every kept one: a shouted 1 MB line took minutes; and
    # one finding per word made a 42 MB verdict line (outside attack).
    text = " ".join(f"FREE{'E' * (i % 7)}" for i in range(10_000))  # 4-10 letters, 75k chars
    [verdict] = lint_lines([_line(id="big", text=text, platform="meta", language="en")])
    caps = [f for f in verdict["findings"] if f["rule"] == "excessive_caps"]
    assert len(caps) == 7  # "FREE" ... "FREEEEEEEEE": each distinct word once
    assert "meta.primary_text" in [f["rule"] for f in verdict["findings"]]
    words = " ".join(f"WORD{chr(65 + i % 26)}{chr(65 + i // 26 % 26)}" for i in range(500))
    [verdict] = lint_lines([_line(id="many", text=words, platform="meta", language="en")])
    caps = [f for f in verdict["findings"] if f["rule"] == "excessive_caps"]
    assert len(caps) == 20 and caps[-1]["reason"].endswith("(and 480 more)")


def test_runs_of_joined_emoji_are_tokenised_in_short_pieces() -> None:
    # spaCy's suffix splitting is quadratic in a run of marks: 8,000 family emoji (joined by
    # zero-width joiners, 56k characters) stalled lint-copy for three minutes (outside attack).
    from shared.creative import nlp

    for run in ("👨\u200d👩\u200d👧\u200d👦" * 2_000, "🇪🇸" * 2_000, "a" + "\u0301" * 5_000):
        made = nlp.make_doc(f"Oferta {run} hoy", "es")
        assert max(len(t.text) for t in made) <= nlp.RUN + 1  # a letter and its accents
        assert len(made.text) == len(f"Oferta {run} hoy")  # offsets index the caller's text


def test_closed_standard_input_is_exit_2_with_a_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", None)  # what `adloop lint-copy - <&-` gives Python
    assert main("-", io.StringIO()) == 2
    assert "standard input: it is closed" in capsys.readouterr().err


def test_endless_input_is_refused_not_read_forever(capsys: pytest.CaptureFixture[str]) -> None:
    out = io.StringIO()
    assert main("/dev/zero", out) == 2
    assert out.getvalue() == ""
    assert "larger than 64 MiB" in capsys.readouterr().err


def test_a_byte_order_mark_is_not_part_of_the_first_line() -> None:
    line = {"id": "1", "text": "Fresh skin care for busy mornings", "platform": "meta"}
    stdin = io.BytesIO(b"\xef\xbb\xbf" + json.dumps({**line, "language": "en"}).encode())
    out = io.StringIO()
    main("-", out, stdin=stdin)
    assert json.loads(out.getvalue())["id"] == "1"


def test_a_long_file_is_linted_in_parallel_with_the_same_verdicts_in_order(
    tmp_path: Path,
) -> None:
    texts = [
        ("Glow in 7 days. Try GlowDrop today.", "en"),
        ("¿Tienes sobrepeso? Resultados garantizados!!", "es"),
        ("Cool mint and berry ice pods just dropped.", "en"),
    ]
    lines = [
        _line(id=n, text=f"{texts[n % 3][0]} #{n}", platform="meta", language=texts[n % 3][1])
        for n in range(2_500)
    ]
    path = tmp_path / "long.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    out = io.StringIO()

    assert main(str(path), out) == 1

    written = [json.loads(line) for line in out.getvalue().splitlines()]
    assert written == list(lint_lines(lines))
    assert [v["id"] for v in written] == list(range(2_500))


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b'{"id": 1}\x00\x00\x00\x01binary', "not text"),  # git's test: a NUL byte
        (b'{"id": "a"}\r{"id": "b"}\r', "CR alone"),  # old Mac line ends: one line, unread
    ],
)
def test_a_file_that_is_not_jsonl_text_is_exit_2_saying_why(
    data: bytes, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = io.StringIO()
    assert main("-", out, stdin=io.BytesIO(data)) == 2
    assert out.getvalue() == "" and says in capsys.readouterr().err


def test_a_findings_span_is_cut_short_not_echoed_whole() -> None:
    text = "Cure your diabetes forever. " + "Buy now and save today. " * 2000
    [verdict] = lint_lines([_line(id="long", text=text, platform="meta", language="en")])
    assert verdict["findings"]
    assert all(len(f["span"]) <= 300 for f in verdict["findings"])


def test_a_reader_that_stops_early_ends_the_run_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl"
    lines = [
        _line(id=i, text=f"Try GlowDrop day {i}.", platform="meta", language="en")
        for i in range(3000)
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    cli = "from infra.cli import main; raise SystemExit(main())"
    done = subprocess.run(
        f"{shlex.quote(sys.executable)} -c {shlex.quote(cli)} lint-copy {path} | head -1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.stdout.count("\n") == 1
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr


def test_a_long_file_linted_by_workers_gives_the_verdicts_of_one_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past PARALLEL_FROM_LINES a file is linted by forked workers, with the language of its
    last lines detected ahead while the rules load: the verdicts are those of one process, in
    order, the language findings, bad lines and repeated texts included."""
    from shared.platforms import lint_copy

    texts = [
        ("Lightweight rain jacket with taped seams and two zip pockets.", "en"),
        ("Esta crema cura la psoriasis para siempre en una semana.", "es"),
        ("Nuestra cafetería abre a las ocho con pan recién horneado.", "en"),  # declared wrong
        ("Guaranteed results or your money back, every single time.", "en"),
    ]
    lines = []
    for i in range(60):
        text, language = texts[i % len(texts)]
        line = {"id": i, "text": f"{text} Ref {i}", "platform": "meta", "language": language}
        lines.append(json.dumps(line, ensure_ascii=False))
    lines[17] = '{"id": 17, "text": '  # not JSON
    alone = [json.loads(json.dumps(v)) for v in lint_lines(lines)]
    monkeypatch.setattr(lint_copy, "PARALLEL_FROM_LINES", 10)
    monkeypatch.setattr(lint_copy, "_workers", lambda n: 2)
    forked = list(lint_copy._lint_all(lines))
    assert forked == alone
    assert [f["rule"] for f in forked[2]["findings"]] == ["language"]
    assert forked[17]["findings"][0]["rule"] == "input"
    assert lint_copy._DETECTED == {}  # nothing carried into the next run


def test_a_language_detected_ahead_is_the_verdict_the_workers_use(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The verdicts found ahead (while the rules load) are read instead of detecting again:
    one planted here, for a text the detector would call English, is the one reported."""
    from shared.platforms import lint_copy

    text = "Lightweight rain jacket with taped seams and two zip pockets."
    monkeypatch.setitem(lint_copy._DETECTED, (text, "en"), "es")
    lint_copy._findings_of.cache_clear()
    try:
        found = lint_copy._findings_of(text, "en", None, "meta")
    finally:
        lint_copy._findings_of.cache_clear()
    assert [f.rule for f in found] == ["language"]


def test_the_ahead_detector_reads_lines_last_first_and_stops_when_told() -> None:
    import multiprocessing

    from shared.platforms import lint_copy

    lines = [
        json.dumps(
            {
                "id": 1,
                "text": "Nuestra cafetería abre a las ocho.",
                "platform": "meta",
                "language": "en",
            },
            ensure_ascii=False,
        ),
        '{"id": 2, "text": ',  # not JSON: no verdict needed
        json.dumps({"id": 3, "text": "Shop now", "platform": "meta", "language": "en"}),
    ]
    receive, send = multiprocessing.Pipe(duplex=False)
    done = multiprocessing.Event()
    lint_copy._detect_ahead(list(enumerate(lines, start=1)), done, send)
    assert receive.recv() == {("Nuestra cafetería abre a las ocho.", "en"): "es"}
    receive, send = multiprocessing.Pipe(duplex=False)
    done.set()
    lint_copy._detect_ahead(list(enumerate(lines, start=1)), done, send)
    assert receive.recv() == {}
