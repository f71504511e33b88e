"""The five seed pages end to end: what issue 2 says they must show."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, S000, S001, S002, S003, S004, clean_texts, cli, read_jsonl

Records = dict[str, dict[str, Any]]


def body(record: dict[str, Any]) -> list[str]:
    """What a reader of the article sees: title, lead, paragraphs."""
    return [p for p in (record["title"], record["lead"], *record["paragraphs"]) if p]


def test_five_records_no_rejects_and_valid(seeds_out: Path, records: Records) -> None:
    assert sorted(records) == [S000, S001, S002, S003, S004]
    assert (seeds_out / "rejects.jsonl").read_text() == ""
    result = cli("validate", str(seeds_out / "corpus.jsonl"))
    assert result.returncode == 0, result.stderr
    stats = json.loads((seeds_out / "stats.json").read_text())
    assert stats["inputs"] == 5 and stats["records"] == 5 and stats["rejects"] == 0
    assert set(stats["stages"]["glue"]) == {"seen", "changed", "rejected", "edits", "seconds"}


def test_languages(records: Records) -> None:
    assert {k: r["lang"] for k, r in records.items()} == {S000: "fr", S001: "fr", S002: "fr", S003: "zh", S004: "en"}


SIDEBAR_HEADLINES = {
    S000: [
        "Le Vietnam transmet à l’APEC son message de vision",
        "Le président vietnamien Luong Cuong rencontre le maire de Busan",
    ],
    S001: [
        "Entretien téléphonique entre le leader du Parti To Lam",
        "Le Vietnam prêt à contribuer au processus de paix",
    ],
    S003: ["越南加强与中国、马来西亚的城市发展合作", "第四届越南—印度尼西亚国防政策对话正式开幕"],
    S004: [],
}


@pytest.mark.parametrize("seed", [S000, S001, S003, S004])
def test_sidebar_gone_and_listed(records: Records, seed: str) -> None:
    record = records[seed]
    sidebar = [r for r in record["removed"] if r["kind"] == "sidebar"]
    assert sidebar and sidebar[0]["role"] == "marker"
    assert sidebar[0]["text"] in ("Voir plus", "更多", "Latest")
    headlines = [r["text"] for r in sidebar if r["role"] == "headline"]
    assert headlines, "the removed headlines are listed"
    text = "\n".join(body(record) + [c["text"] for c in record["captions"]])
    for removed in sidebar[1:]:
        assert removed["text"] not in record["paragraphs"] and removed["text"] != record["lead"]
        if removed["text"] != record["title"]:  # 004 lists its own headline under "Latest"
            assert removed["text"] not in text
    for headline in SIDEBAR_HEADLINES[seed]:
        assert headline not in text
        assert any(h.startswith(headline) for h in headlines)


EXPECTED_CAPTIONS = {
    S000: [
        (1, "Le ministre et président du Bureau du gouvernement, Mai Tien Dung (gauche) à la conférence.", "VNA", "fr"),
        (2, "Vue générale de la conférence.", "VNA", "fr"),
    ],
    S001: [
        (
            1,
            "Le ministre et président du bureau du gouvernement, Mai Tien Dung reçoit l'équipement japonais pour "
            "le système d'information du gouvernement.",
            "VNA",
            "fr",
        )
    ],
    S002: [(None, "Colloque sur la promotion de l’édification de l'e-gouvernement.", "VNA", "fr")],
    S003: [
        (1, "越南政府办公厅主任梅进勇和日本驻越南大使山田贵雄(左)。", "越通社", "zh"),
        (2, "研讨会场景。", "越通社", "zh"),
    ],
    S004: [
        (None, "Quang cảnh điểm cầu Hà Nội.", "Chinhphu.vn", "vi"),
        (None, "View of Hanoi bridge.", "Chinhphu.vn", "en"),
        (None, "Japanese enterprises survey investment in VSIP Nghe An Industrial Park.", "Thanh Le", "en"),
        (None, "Quang cảnh tại điểm cầu Nghệ An.", "Thanh Lê", "vi"),
        (None, "Scene at Nghe An bridge.", "Thanh Le", "en"),
        (
            None,
            "Cán bộ Văn phòng Đăng ký đất đai tỉnh ứng dựng công nghệ thông tin quản lý đất lý đất đai.",
            "Thanh Lê",
            "vi",
        ),
        (
            None,
            "Officials of the Provincial Land Registration Office apply information technology to land management.",
            "Thanh Le",
            "en",
        ),
    ],
}


@pytest.mark.parametrize("seed", sorted(EXPECTED_CAPTIONS))
def test_captions_lifted(records: Records, seed: str) -> None:
    record = records[seed]
    got = [(c["n"], c["text"], c["credit"], c["lang"]) for c in record["captions"]]
    assert got == EXPECTED_CAPTIONS[seed]
    text = "\n".join(body(record))
    for marker in ("ảnh 1", "ảnh 2", "Photo:", "Photo :", "图自", "Ảnh:"):
        assert marker not in text
    for caption in record["captions"]:
        assert caption["text"] not in text
    if record["title"]:  # the alt-text copy of the headline is gone: the title appears once
        assert text.count(record["title"]) == 1
        assert any(r["kind"] == "alt_text" and r["text"] == record["title"] for r in record["removed"]) or seed == S004


def test_004_byline_date_boilerplate(records: Records) -> None:
    record = records[S004]
    assert record["published"] == "2021-01-08T10:55:00+07:00"
    assert record["byline"] == "Thanh Le"
    assert record["dateline"] == "(Baonghean.vn)"
    text = "\n".join(body(record))
    for boilerplate in ("Featured Nghe An Newspaper", "POWERED BY", "Latest", "./."):
        assert boilerplate not in text
    kinds = {(r["kind"], r["text"]) for r in record["removed"]}
    assert ("boilerplate", "Featured Nghe An Newspaper") in kinds
    assert ("boilerplate", "POWERED BYONECMS- A PRODUCT OFNEKO") in kinds


def test_no_placeholder_anywhere(seeds_out: Path) -> None:
    assert "DNUM_" not in (seeds_out / "corpus.jsonl").read_text().replace('"before":"DNUM_', "")


@pytest.mark.parametrize(
    ("seed", "signoff"),
    [(S000, "-VNA"), (S001, "- VNA"), (S002, "-VNA"), (S003, "(完)"), (S003, "越通社"), (S004, "/.")],
)
def test_signoffs_removed(records: Records, seed: str, signoff: str) -> None:
    record = records[seed]
    assert ("signoff", signoff) in {(r["kind"], r["text"]) for r in record["removed"]}
    assert not record["paragraphs"][-1].endswith(signoff)


# Written from reading seed 001 line by line: each glued join and its repair.
REPAIRED_001 = [
    "Hanoï, 17 mars (VNA)",
    "marquer la réception",
    "le système d'information du gouvernement du Vietnam.",
    "Le ministre et président",
    "a déclaré que le 9 janvier",
    "au Vietnam ont signé",
    "la fourniture de matériel",
    "Tout l'équipement",
    "avant la date prévue",
    "notification du gouvernement",
    "54 localités de niveau",
    "Il a attribué",
    "de l'ambassade du Japon",
    "des ministères et agences",
    "du Groupe des postes",
    "par actions du commerce",
    "Mai Tien Dung a également",
    "des plates-formes d'administration",
    "à savoir la plate-forme",
    "le système de cabinet",
    "le centre de pilotage",
    "qui a permis",
    "un environnement de travail électronique",
    "pour concrétiser l'engagement",
    "sa conviction qu'avec",
    "le Premier ministre, les ministères",
    "ainsi que le soutien du Japon, le Vietnam obtiendra",
    "d'un gouvernement électronique",
    "une économie numérique",
    "Pour sa part",
    "c’était un honneur pour",
    "fabriqués au Japon pour le système",
    "et le centre d’information",
    "la confiance du gouvernement vietnamien",
    "L'application d'e-gouvernement",
    "efforts de réforme du gouvernement",
    "une publication plus rapides",
    "le gouvernement japonais faisait",
    "Passant en revue",
    "de l'e-gouvernement, l'ambassadeur",
    "avec le Vietnam dans les affaires",
    "Dans la période",
    "entreprises japonaises choisissent",
    "ce qui contribue",
    "dans le domaine numérique",
    "Selon le diplomate",
    "les technologies de pointe",
    "de ressources humaines talentueuses",
]
GLUED_001 = [
    "Leministre",
    "quele",
    "Vietnamont",
    "dematériel",
    "Toutl'",
    "dateprévue",
    "dugouvernement",
    "localitésde",
    "Ila ",
    "ambassadedu",
    "desministères",
    "Groupedes",
    "ducommerce",
    "MaiTien",
    "formesd'",
    "laplate",
    "decabinet",
    "depilotage",
    "apermis",
    "detravail",
    "concrétiserl'",
    "convictionqu'",
    "lesministères",
    "leVietnam",
    "gouvernementélectronique",
    "économienumérique",
    "Poursa",
    "honneurpour",
    "Japonpour",
    "centred’",
    "dugouvernement",
    "applicationd'",
    "réformedu",
    "plusrapides",
    "japonaisfaisait",
    "Passanten",
    "gouvernement,l'",
    "dansles",
    "Dansla",
    "japonaiseschoisissent",
    "quicontribue",
    "domainenumérique",
    "Selonle",
    "depointe",
    "ressourceshumaines",
    "laréception",
    "systèmed'",
    "Hanoï,17",
]


def test_001_every_glued_word_repaired(records: Records) -> None:
    record = records[S001]
    text = "\n".join(body(record))
    missing = [phrase for phrase in REPAIRED_001 if phrase not in text]
    assert not missing, f"not repaired: {missing}"
    left = [glued for glued in GLUED_001 if glued in text]
    assert not left, f"still glued: {left}"
    assert "Vietcombank" in text and "e-gouvernement" in text
    glue_edits = [e for e in record["edits"] if e["stage"] == "glue"]
    assert 45 <= len(glue_edits) <= 60
    # A glue edit only inserts a space, and says how sure it was.
    assert all("score" in e and e["after"].replace(" ", "") == e["before"] for e in glue_edits)


def test_004_english_glue_repaired(records: Records) -> None:
    text = "\n".join(body(records[S004]))
    for phrase in (
        "contribution of Embassy of Japan in Vietnam",
        "Chairman Government Office Mai Tien Dung",
        "implementing e-Government,",
    ):
        assert phrase in text
    for glued in ("ofEmbassy", "Japanin", "ChairmanGovernment", "OfficeMai", "implementinge-"):
        assert glued not in text
    # Correct English next to the repairs is untouched.
    for kept in ("Baonghean.vn", "Covid-19", "15,000 billion VND/year", "Nghe An", "e-Government"):
        assert kept in text


@pytest.mark.parametrize("seed", [S000, S002, S003])
def test_clean_seeds_get_no_glue_edit(records: Records, seed: str) -> None:
    assert [e for e in records[seed]["edits"] if e["stage"] == "glue"] == []


def test_002_has_no_headline(records: Records) -> None:
    record = records[S002]
    assert record["title"] is None and record["lead"] is None
    assert record["captions"][0]["text"].startswith("Colloque sur la promotion")
    assert record["paragraphs"][0].startswith("Hanoï (VNA) –")
    assert record["dateline"] == "Hanoï (VNA)"


def test_001_repeated_standfirst_kept_as_lead_and_paragraph(records: Records) -> None:
    record = records[S001]
    assert record["lead"].startswith("Une cérémonie a eu lieu le 17 mars")
    assert record["paragraphs"][0].startswith("Hanoï, 17 mars (VNA) - Une cérémonie a eu lieu le 17 mars")
    assert record["dateline"] == "Hanoï, 17 mars (VNA)"


def test_whitespace_repaired(records: Records) -> None:
    for record in records.values():
        for para in body(record) + [c["text"] for c in record["captions"]]:
            assert "\u00a0" not in para and "  " not in para and para == para.strip()


def test_idempotent_on_seed_text(records: Records, tmp_path: Path) -> None:
    again = clean_texts({k: r["text"] for k, r in records.items()}, tmp_path)
    for id_, record in records.items():
        assert again[id_]["text"] == record["text"], id_
        assert again[id_]["paragraphs"] == record["paragraphs"]
        assert [e for e in again[id_]["edits"] if e["stage"] != "decode"] == [], id_


def test_two_runs_byte_identical(tmp_path: Path) -> None:
    outs = []
    for name in ("a", "b"):
        out = tmp_path / name
        assert cli("clean", "seeds", "--out", str(out), "--no-timings").returncode == 0
        outs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outs[0] == outs[1]
    assert sorted(outs[0]) == ["corpus.jsonl", "rejects.jsonl", "stats.json"]


def test_timings_are_the_only_difference(seeds_out: Path, tmp_path: Path) -> None:
    assert cli("clean", "seeds", "--out", str(tmp_path), "--no-timings").returncode == 0
    assert (tmp_path / "corpus.jsonl").read_bytes() == (seeds_out / "corpus.jsonl").read_bytes()
    timed = json.loads((seeds_out / "stats.json").read_text())
    for stage in timed["stages"].values():
        assert stage.pop("seconds") >= 0
    assert timed == json.loads((tmp_path / "stats.json").read_text())


def test_seeds_are_the_shared_seeds_byte_for_byte() -> None:
    shared = ROOT.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    assert sorted(p.name for p in (ROOT / "seeds").iterdir()) == sorted(p.name for p in shared.iterdir())
    for path in shared.iterdir():
        assert (ROOT / "seeds" / path.name).read_bytes() == path.read_bytes()


def test_records_roundtrip_schema_fields(seeds_out: Path) -> None:
    for record in read_jsonl(seeds_out / "corpus.jsonl"):
        assert record["text"] == "\n\n".join(body(record))
        assert record["source"]["path"].startswith("seeds/")
        assert len(record["source"]["sha256"]) == 64
