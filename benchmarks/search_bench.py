"""Search benchmark: 100,000 publications and 20,000 datasets in six languages.

    .venv/bin/python benchmarks/search_bench.py [--publications 100000] [--datasets 20000]
        [--only CLASS ...]

Uses its own database (``--database``, default ``neaspec_bench``), fills it with generated
documents through SQL (named words at the document frequencies docs/performance.md gives, see
``TARGETS``), then prints p50/p95 of ``search.selectors.search`` for a visitor and for a focal
point with 5,000 grants, for each query class, beside:

- "naive SQL": every match ranked, ``WHERE meta @@ q ORDER BY ts_rank_cd(meta, q) LIMIT 20``
  (``q`` the portal's own tsquery, so since ``search_tsquery`` without repeated readings);
- "raw SQL": the visitor's one statement of ``search`` (``search_statement``: candidates,
  count, the page's documents with their snippets, facets), sent bare through the cursor;
  "ratio" is the visitor's p95 over it, what the portal's own work adds; "fp raw" and its
  ratio the same for the focal point;
- "top-1/top-20": the visitor's first page compared with the exact order of every match
  (``ts_rank`` on the title, then the newest), ranked the slow way once.

Beside them, "hybrid" and "hybrid fp": the same search across languages
(``cross_language=True``: the words, the nearest vectors and the names, fused), after the
documents' vectors are computed from their titles (``_fill_vectors``; the summaries are
left out to keep the one-off generation within minutes: the cost of a search depends on
the number of codes scanned, not on what they encode).

The generated database is kept: later runs skip the generation.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "neaspec_portal.settings")
# Generating the data runs statements far longer than a web request may.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT_MS", "0")
# DEBUG off by default: with it on, Django records every query and the figures include that.
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "localhost")

QUERIES = {
    "very rare word": "zyxwvrare",
    "rare word": "spoonbill",
    "CJK bigrams": "东北虎",
    "CJK one character": "虎",
    "common (tiger)": "tiger",
    "very common (species)": "species",
    "two common words": "species data",
    "species or data": "species or data",
    "phrase": '"camera trap"',
    "Mongolian prefix": "ирвэс",
    "Korean, across languages": "호랑이 카메라 트랩",
}

#: Matching documents per query class in the measured realistic corpus (docs/performance.md), per
#: 120,000 documents; the generator injects the named words into exactly this many documents
#: (scaled to the corpus size) and keeps them out of the background vocabulary.
TARGETS = {
    "zyxwvrare": 20,
    "spoonbill": 205,
    "东北虎": 760,
    "tiger": 8_573,
    "species": 45_212,
    "species or data": 66_095,
    "camera trap": 169,  # adjacent; "camera" and "trap" are common apart (below)
    "camera and trap apart": 3_000,
    "camera only": 5_000,
    "trap only": 3_000,
    "ирвэс": 1_200,  # not in docs/performance.md: Mongolian snow-leopard texts
}
#: Share of documents per primary language; the rest of the non-English documents carry an
#: English title and abstract too (BILINGUAL), as most of the hub's reports do.
LANGUAGES = {"en": 0.45, "ru": 0.13, "zh": 0.13, "ja": 0.10, "ko": 0.10, "mn": 0.09}
BILINGUAL = 0.6
#: Words (by their first four letters, or CJK characters) the background vocabulary must not
#: contain, so that only the injected occurrences match the measured queries.
_FORBIDDEN_PREFIXES = ("spec", "data", "tige", "spoo", "came", "trap", "zyxw", "ирв")
_FORBIDDEN_CHARS = set("北虎东東")

_DOMAIN = {
    "en": "the of and in to a for is on with by from that are as this at be were was an which "
    "monitoring survey population habitat wetland flyway breeding wintering corridor "
    "transboundary leopard crane cranes conservation protected area biodiversity migration "
    "site sites region cooperation assessment amur northeast asia bird birds snow marine "
    "forest river steppe reserve network results analysis annual report".split(),
    "ru": "и в на по для с о вид данные мониторинг учёт популяция тигр леопард журавль колпица "
    "ирбис заповедник охрана миграция численность амурский дальневосточный".split(),
    "mn": "ба нь болон судалгаа тархалт амьтан нутаг тоо хамгаалал байгаль цоохор зээр хун "
    "тогоруу".split(),
    "zh": "的 和 在 了 与 远东豹 雪豹 黑脸琵鹭 白枕鹤 监测 种群 栖息地 保护区 迁徙 湿地 "
    "生物多样性 合作 调查 数据".split(),
    "ja": "の は を に で と が アムールトラ ナベヅル マナヅル 調査 生息地 個体数 保護 湿地 渡り "
    "東北".split(),
    "ko": "및 의 두루미 저어새 호랑이 조사 서식지 개체수 보호 습지 이동 생물다양성".split(),
}
_HAN = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工"
    "也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物"
    "现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全"
    "表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无"
    "系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基"
    "资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取"
    "据处府研鸟湿林河湖海草原保护监测调查迁徙繁殖越冬栖息种群数量分布环境生态物种野生动植"
)
_KANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン"
_LATIN = (
    "b c d f g h j k l m n p r s t v w z br cr dr fl gr pl pr sc sh st th tr ch".split(),
    "a e i o u ea io ou ai".split(),
    ["", "", "n", "r", "s", "t", "l", "m", "nd", "st", "ng", "ct"],
)
_CYRILLIC = (
    "б в г д ж з к л м н п р с т х ц ч ш".split(),
    "а е и о у ы я ө ү э".split(),
    ["", "", "н", "р", "с", "т", "л", "й", "д", "г"],
)


def _vocabulary(rng, language: str, size: int) -> tuple[list[str], list[float]]:
    """Return ``size`` words of ``language`` and their Zipf cumulative weights.

    The domain words take the first ranks (function words first), then invented words, shorter
    ones more frequent. Nothing in it starts like a measured query word.
    """

    def invented() -> str:
        if language in ("en", "ru", "mn"):
            onsets, vowels, codas = _LATIN if language == "en" else _CYRILLIC
            syllables = rng.choice([1, 2, 2, 2, 3, 3, 3, 4])
            return "".join(
                rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas)
                for _ in range(syllables)
            )
        if language == "zh":
            return "".join(rng.choice(_HAN) for _ in range(rng.choice([2, 2, 2, 3, 4])))
        if language == "ja":
            if rng.random() < 0.5:
                return "".join(rng.choice(_HAN) for _ in range(rng.choice([2, 2, 3])))
            return "".join(rng.choice(_KANA) for _ in range(rng.choice([3, 4, 5, 6])))
        return "".join(chr(0xAC00 + rng.randrange(2000)) for _ in range(rng.choice([1, 2, 2, 3])))

    words = list(_DOMAIN[language])
    seen = set(words)
    extra = []
    while len(words) + len(extra) < size:
        word = invented()
        if word in seen or word.startswith(_FORBIDDEN_PREFIXES) or _FORBIDDEN_CHARS & set(word):
            continue
        seen.add(word)
        extra.append(word)
    extra.sort(key=lambda word: len(word) + rng.random() * 4)
    words += extra
    cumulative, total = [], 0.0
    for rank in range(len(words)):
        total += 1 / (rank + 2.7)  # Zipf-Mandelbrot, exponent 1
        cumulative.append(total)
    return words, cumulative


_LENGTHS = {  # words per title and per publication abstract
    "en": ((8, 16), (120, 220)),
    "ru": ((7, 13), (100, 180)),
    "mn": ((6, 12), (90, 160)),
    "zh": ((5, 9), (80, 150)),
    "ja": ((5, 9), (80, 150)),
    "ko": ((5, 9), (70, 130)),
}


def _render(language: str, tokens: list[str], rng, sentences: bool) -> str:
    """Join ``tokens`` as text: CJK without spaces (Korean with), sentences punctuated."""
    if not tokens:
        return ""
    if language in ("zh", "ja"):
        out, since = [], 0
        for token in tokens:
            out.append(token)
            since += 1
            if sentences and since > 6 and rng.random() < 0.15:
                out.append("。" if rng.random() < 0.4 else "，")
                since = 0
        return "".join(out)
    out, since = [], 0
    for token in tokens:
        out.append(token)
        since += 1
        if sentences and since > 10 and rng.random() < 0.08:
            out[-1] += "."
            since = 0
    text = " ".join(out)
    return text[0].upper() + text[1:]


def _plan(rng, count: int, kinds: list[str], scale: float) -> dict[int, list[tuple]]:
    """Return, per document number, the (word, where) injections that hit the targets exactly.

    ``kinds`` gives each document's primary language; English words go to the documents with
    English text (``en`` or bilingual, marked by a ``+en`` suffix).
    """
    english = [n for n in range(count) if kinds[n] == "en" or kinds[n].endswith("+en")]
    chinese = [n for n in range(count) if kinds[n].startswith("zh")]
    mongolian = [n for n in range(count) if kinds[n].startswith("mn")]
    plan: dict[int, list[tuple]] = {}

    def target(name: str) -> int:
        return max(1, round(TARGETS[name] * scale))

    def add(numbers, word, title_share, language="en", repeats=(1,)):
        for n in numbers:
            for i in range(rng.choice(repeats)):
                where = "title" if i == 0 and rng.random() < title_share else "abstract"
                plan.setdefault(n, []).append((language, where, word))

    species = set(rng.sample(english, target("species")))
    rest = [n for n in english if n not in species]
    data_only = rng.sample(rest, target("species or data") - len(species))
    # "data" as likely in a "species" document as elsewhere (independent words).
    data_both = rng.sample(sorted(species), round(len(data_only) * len(species) / len(rest)))
    add(species, "species", 0.2, repeats=(1, 1, 1, 2, 2, 3, 4))
    add([*data_only, *data_both], "data", 0.15, repeats=(1, 1, 2, 3))
    add(rng.sample(english, target("tiger")), "tiger", 0.3, repeats=(1, 1, 2, 3))
    add(rng.sample(english, target("spoonbill")), "spoonbill", 0.4, repeats=(1, 1, 2))
    camera_classes = ("camera trap", "camera and trap apart", "camera only", "trap only")
    picked = rng.sample(english, sum(target(name) for name in camera_classes))
    for name in camera_classes:
        numbers, picked = picked[: target(name)], picked[target(name) :]
        for n in numbers:
            if name == "camera trap":
                add([n], "camera trap", 0.4)
            elif name == "camera and trap apart":
                plan.setdefault(n, []).append(("en", "apart", "camera trap"))
            else:
                add([n], name.split()[0], 0.2, repeats=(1, 1, 2))
    add(rng.sample(chinese, target("东北虎")), "东北虎", 0.4, "zh", repeats=(1, 1, 2, 3))
    add(rng.sample(chinese, round(len(chinese) * 0.3)), "东北亚", 0.3, "zh")
    add(rng.sample(chinese, round(len(chinese) * 0.05)), "华南虎", 0.3, "zh")
    mongolian_forms = ["ирвэс", "ирвэсийн", "ирвэсийн", "ирвэсүүд"]
    for n in rng.sample(mongolian, target("ирвэс")):
        add([n], rng.choice(mongolian_forms), 0.3, "mn", repeats=(1, 1, 2))
    return plan


def _documents(rng, count: int, kinds: list[str], plan, vocabularies, abstract_share: float):
    """Yield (title, title_en, abstract) for each document, the injections applied."""
    for n in range(count):
        language = kinds[n].split("+")[0]
        segments = {}
        for lang in dict.fromkeys([language, "en" if kinds[n].endswith("+en") else language]):
            words, cumulative = vocabularies[lang]
            (t_low, t_high), (a_low, a_high) = _LENGTHS[lang]
            size = round(rng.randint(a_low, a_high) * abstract_share)
            segments[lang] = {
                "title": rng.choices(words, cum_weights=cumulative, k=rng.randint(t_low, t_high)),
                "abstract": rng.choices(words, cum_weights=cumulative, k=size),
            }
        for lang, where, word in plan.get(n, ()):
            abstract = segments[lang]["abstract"]
            if where == "apart":  # both words, never adjacent (first half / second half)
                half = len(abstract) // 2
                abstract.insert(rng.randint(1, half - 1), "camera")
                abstract.insert(rng.randint(half + 2, len(abstract) - 1), "trap")
                continue
            tokens = segments[lang][where]
            position = rng.randint(1, len(tokens) - 1)
            tokens[position:position] = word.split() if lang == "en" else [word]
        native = segments[language]
        title = _render(language, native["title"], rng, sentences=False)
        abstract = _render(language, native["abstract"], rng, sentences=True)
        title_en = ""
        if "en" in segments and language != "en":
            title_en = _render("en", segments["en"]["title"], rng, sentences=False)
            abstract += "\n\n" + _render("en", segments["en"]["abstract"], rng, sentences=True)
        yield title[:290], title_en[:290], abstract


def _fill(publications: int, datasets: int) -> None:
    """Create the documents and their search documents, vectors built as the indexer does."""
    import csv
    import io
    import random
    from datetime import UTC, datetime

    from django.db import connection, transaction

    from accounts.models import User
    from datasets.models import Dataset
    from publications.models import Publication
    from search.text import cjk_index_text

    rng = random.Random(7)
    uploader, _ = User.objects.get_or_create(
        username="bench-uploader", defaults={"country_id": "KR", "status": "verified"}
    )
    count = publications + datasets
    names, weights = list(LANGUAGES), list(LANGUAGES.values())
    kinds = []
    for _ in range(count):
        language = rng.choices(names, weights)[0]
        bilingual = language != "en" and rng.random() < BILINGUAL
        kinds.append(language + ("+en" if bilingual else ""))
    plan = _plan(rng, count, kinds, count / 120_000)
    vocabularies = {language: _vocabulary(rng, language, 4000) for language in LANGUAGES}
    documents = _documents(rng, publications, kinds, plan, vocabularies, 1.0)
    dataset_plan = {n - publications: v for n, v in plan.items() if n >= publications}
    dataset_documents = _documents(
        rng, datasets, kinds[publications:], dataset_plan, vocabularies, 0.6
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_text (kind text, object_id bigint, title text,"
            " title_simple text, rest text, rest_simple text, date date)"
        )

    def copy(rows) -> None:
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert("COPY bench_text FROM STDIN WITH (FORMAT csv)", buffer)

    def text_row(kind, obj, published_at):
        title = " / ".join(part for part in [obj.title, obj.title_en] if part)
        return (
            kind,
            obj.pk,
            title,
            cjk_index_text(title),
            obj.abstract,
            cjk_index_text(obj.abstract),
            published_at.date().isoformat(),
        )

    batch = 5000
    with transaction.atomic():
        for first in range(0, publications, batch):
            rows = []
            for number in range(first, min(first + batch, publications)):
                title, title_en, abstract = next(documents)
                if number % 5000 == 0:
                    title += " zyxwvrare"
                year = 2000 + min(24, int(25 * rng.random() ** 0.6))  # more recent than old
                rows.append(
                    Publication(
                        type="report",
                        title=title,
                        title_en=title_en,
                        abstract=abstract,
                        year=year,
                        language=kinds[number].split("+")[0],
                        status="published",
                        visibility="public",
                        uploader=uploader,
                        published_at=datetime(
                            year, rng.randint(1, 12), rng.randint(1, 28), tzinfo=UTC
                        ),
                    )
                )
            Publication.objects.bulk_create(rows)
            copy(text_row("publication", p, p.published_at) for p in rows)
        for first in range(0, datasets, batch):
            rows = []
            for _ in range(first, min(first + batch, datasets)):
                title, title_en, abstract = next(dataset_documents)
                rows.append(
                    Dataset(
                        title=title,
                        title_en=title_en,
                        abstract=abstract,
                        method="camera_traps",
                        licence="CC0-1.0",
                        access_level=rng.choice(["public", "country", "restricted"]),
                        status="published",
                        uploader=uploader,
                        owner_country_id=rng.choice(["CN", "JP", "KR", "MN", "RU"]),
                        published_at=datetime(
                            rng.randint(2012, 2025),
                            rng.randint(1, 12),
                            rng.randint(1, 28),
                            tzinfo=UTC,
                        ),
                    )
                )
            Dataset.objects.bulk_create(rows)
            copy(text_row("dataset", d, d.published_at) for d in rows)
    print("  texts generated; building search vectors…", flush=True)
    # Index through the same vectors as search.services._VECTOR_SQL, in bulk
    # (the pairs in the same INSERT: a second UPDATE would leave every row a dead copy).
    vectors = """
        to_tsvector('simple', t.title_simple) || to_tsvector('english', t.title)
            || to_tsvector('russian', t.title),
        setweight(to_tsvector('simple', t.title_simple), 'A')
            || setweight(to_tsvector('english', t.title), 'A')
            || setweight(to_tsvector('russian', t.title), 'A')
            || setweight(to_tsvector('simple', t.rest_simple), 'B')
            || setweight(to_tsvector('english', t.rest), 'B')
            || setweight(to_tsvector('russian', t.rest), 'B'),
        ''::tsvector
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO search_searchdocument (kind, publication_id, title, summary, language,
                year, date, species, sites, countries, targets, themes, access, updated_at,
                published, head, meta, content, pairs)
            SELECT 'publication', p.id, t.title, left(p.abstract, 1000), p.language, p.year,
                t.date, '{{}}', '{{}}', '{{}}', '{{}}', '{{}}', p.visibility, now(),
                p.status = 'published',
                v.head, v.meta, v.content, search_pairs(v.meta)
            FROM publications_publication p
            JOIN bench_text t ON t.kind = 'publication' AND t.object_id = p.id,
            LATERAL (SELECT {vectors}) v(head, meta, content)
            """
        )
        cursor.execute(
            f"""
            INSERT INTO search_searchdocument (kind, dataset_id, title, summary, language,
                year, date, species, sites, countries, targets, themes, access, updated_at,
                published, head, meta, content, pairs)
            SELECT 'dataset', d.id, t.title, left(d.abstract, 1000), '',
                extract(year FROM t.date)::int - 1, t.date, '{{}}', '{{}}',
                ARRAY[d.owner_country_id], '{{}}', '{{}}', d.access_level, now(),
                d.status = 'published',
                v.head, v.meta, v.content, search_pairs(v.meta)
            FROM datasets_dataset d
            JOIN bench_text t ON t.kind = 'dataset' AND t.object_id = d.id,
            LATERAL (SELECT {vectors}) v(head, meta, content)
            """
        )
        cursor.execute("DROP TABLE bench_text")
    # What autovacuum would do soon after a bulk load: statistics and the visibility map.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _fill_vectors(batch: int = 512) -> None:
    """Compute the vectors of every document from its title, as ``search.vectors`` does."""
    from django.db import connection, transaction

    from search import semantic
    from search.models import SearchDocument

    rows = list(SearchDocument.objects.order_by("pk").values_list("pk", "title", "published"))
    started = time.perf_counter()
    for first in range(0, len(rows), batch):
        part = rows[first : first + batch]
        values = []
        for (pk, _title, published), vector in zip(
            part, semantic.embed([title for _pk, title, _p in part]), strict=True
        ):
            code, components = semantic.quantize(vector)
            values.append((pk, code, components, semantic.MODEL_NAME, published))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_searchvector (document_id, code, vector, model, published,"
                " updated_at) VALUES (%s, %s, %s, %s, %s, clock_timestamp())"
                " ON CONFLICT (document_id) DO NOTHING",
                values,
            )
        if first % (batch * 40) == 0:
            done = first + len(part)
            print(f"  {done:,} vectors, {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE search_searchvector")


def _grants(user, count: int) -> None:
    from datetime import timedelta

    from django.contrib.auth.models import Permission
    from django.utils import timezone

    from datasets.models import AccessGrant, Dataset, DatasetUserObjectPermission

    permission = Permission.objects.get(codename="download_dataset")
    datasets = list(Dataset.objects.filter(access_level="restricted")[:count])
    until = timezone.now() + timedelta(days=365)
    AccessGrant.objects.bulk_create(
        AccessGrant(dataset=d, user=user, granted_by=user, expires_at=until) for d in datasets
    )
    DatasetUserObjectPermission.objects.bulk_create(
        DatasetUserObjectPermission(content_object=d, user=user, permission=permission)
        for d in datasets
    )


def _time(function, repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--publications", type=int, default=100_000)
    parser.add_argument("--datasets", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--database", default="neaspec_bench")
    parser.add_argument(
        "--only", action="append", choices=list(QUERIES), help="run only this class (repeatable)"
    )
    args = parser.parse_args()

    import django
    from django.conf import settings

    settings_db = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/neaspec")
    os.environ["DATABASE_URL"] = settings_db.rsplit("/", 1)[0] + "/" + args.database
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts/wait_for.py"),
            "create-database",
            os.environ["DATABASE_URL"],
        ],
        check=True,
    )
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    from accounts.models import FocalPoint, User
    from search import semantic
    from search.models import SearchDocument, SearchVector
    from search.selectors import matching_documents, search, search_statement
    from search.selectors.tsquery import TSQUERY, query_params
    from search.text import clean_query

    if SearchDocument.objects.count() < args.publications + args.datasets:
        print(f"Generating {args.publications:,} publications and {args.datasets:,} datasets…")
        started = time.perf_counter()
        _fill(args.publications, args.datasets)
        print(f"  done in {time.perf_counter() - started:.0f} s")
    before = semantic.resident_megabytes()
    load_ms, _model = semantic.timed(semantic.encoder)
    print(
        f"sentence encoder: loaded in {load_ms:.0f} ms; resident memory"
        f" {before:.0f} → {semantic.resident_megabytes():.0f} MB"
    )
    if SearchVector.objects.count() < SearchDocument.objects.count():
        print("Computing the documents' vectors from their titles…")
        started = time.perf_counter()
        _fill_vectors()
        print(f"  done in {time.perf_counter() - started:.0f} s")
    focal_point, created = User.objects.get_or_create(
        username="bench-fp", defaults={"country_id": "MN", "status": "verified"}
    )
    if created:
        FocalPoint.objects.create(user=focal_point, country_id="MN")
        _grants(focal_point, 5000)
    from django.contrib.auth.models import AnonymousUser

    visitor = AnonymousUser()
    search(user=visitor, query="warm", cross_language=True)  # reads the codes once
    print(f"codes held: resident memory {semantic.resident_megabytes():.0f} MB")
    print(f"documents: {SearchDocument.objects.count():,}; settings DEBUG={settings.DEBUG}")
    print("load average (1, 5, 15 min) at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(
        f"{'query':24} {'matches':>8} {'visitor p50/p95':>17} {'fp+5k grants p50/p95':>22}"
        f" {'naive SQL p50/p95':>19} {'raw SQL p50/p95':>18} {'ratio':>5}"
        f" {'fp raw p95':>10} {'ratio':>5} {'top-1':>5} {'top-20':>6}"
        f" {'hybrid p50/p95':>17} {'hybrid fp p50/p95':>19}"
    )
    for name, query in QUERIES.items():
        if args.only and name not in args.only:
            continue
        cleaned = clean_query(query)
        raw_sql = (
            f"SELECT id FROM search_searchdocument WHERE meta @@ {TSQUERY} "
            f"ORDER BY ts_rank_cd(meta, {TSQUERY}) DESC LIMIT 20"
        )
        params = query_params(cleaned) * 2

        def raw(raw_sql=raw_sql, params=params) -> None:
            with connection.cursor() as cursor:
                cursor.execute(raw_sql, params)
                cursor.fetchall()

        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM search_searchdocument WHERE meta @@ {TSQUERY}",
                query_params(cleaned),
            )
            matches = cursor.fetchone()[0]

        def statement(user, cleaned=cleaned):
            sql, params = search_statement(user=user, query=cleaned)

            def run() -> None:
                with connection.cursor() as cursor:
                    cursor.execute(sql, params)
                    cursor.fetchall()

            return run

        visitor_times = _time(lambda q=query: search(user=visitor, query=q), args.repeat)
        fp_times = _time(lambda q=query: search(user=focal_point, query=q), args.repeat)
        hybrid_times = _time(
            lambda q=query: search(user=visitor, query=q, cross_language=True), args.repeat
        )
        hybrid_fp_times = _time(
            lambda q=query: search(user=focal_point, query=q, cross_language=True), args.repeat
        )
        raw_times = _time(raw, args.repeat)
        plan_times = _time(statement(visitor), args.repeat)
        fp_plan_times = _time(statement(focal_point), args.repeat)
        first_page = [doc.pk for doc in search(user=visitor, query=query).documents]
        exact = matching_documents(user=visitor, query=query).order_by("-rank", "-date", "-pk")
        exact_page = list(exact.values_list("pk", flat=True)[:20])
        top1 = "yes" if first_page[:1] == exact_page[:1] else "NO"
        overlap = f"{len(set(first_page) & set(exact_page))}/{len(exact_page)}"
        print(
            f"{name:24} {matches:>8,} {visitor_times[0]:7.1f}/{visitor_times[1]:7.1f} ms"
            f" {fp_times[0]:10.1f}/{fp_times[1]:7.1f} ms {raw_times[0]:8.1f}/{raw_times[1]:7.1f} ms"
            f" {plan_times[0]:7.1f}/{plan_times[1]:7.1f} ms {visitor_times[1] / plan_times[1]:5.2f}"
            f" {fp_plan_times[1]:7.1f} ms {fp_times[1] / fp_plan_times[1]:5.2f}"
            f" {top1:>5} {overlap:>6}"
            f" {hybrid_times[0]:7.1f}/{hybrid_times[1]:7.1f} ms"
            f" {hybrid_fp_times[0]:7.1f}/{hybrid_fp_times[1]:7.1f} ms",
            flush=True,
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FILTER (WHERE meta @@ phraseto_tsquery('simple', 'camera trap')),"
            " count(*) FILTER (WHERE meta @@ to_tsquery('simple', 'camera & trap'))"
            " FROM search_searchdocument"
        )
        adjacent, both = cursor.fetchone()
    print(
        f'"camera trap": {adjacent:,} documents have the words adjacent, {both:,} have both;'
        " the matches column counts what the portal's tsquery matches."
    )
    print("load average (1, 5, 15 min) at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
