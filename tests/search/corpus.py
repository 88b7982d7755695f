"""A small multilingual corpus with the queries that must and must not find each document."""

from publications.models import Publication
from search import services

#: key → (language, title, abstract)
DOCUMENTS = {
    "zh_tiger": (
        "zh",
        "东北虎种群监测报告",
        "利用红外相机在珲春保护区监测东北虎和东北豹的种群动态。",
    ),
    "ja_leopard": (
        "ja",
        "アムールヒョウの生息地利用",
        "ロシア沿海地方におけるアムールヒョウの行動圏を調べた。",
    ),
    "ko_crane": (
        "ko",
        "철원 두루미 월동 현황",
        "철원평야에서 두루미와 재두루미의 월동 개체수를 조사하였다.",
    ),
    "ru_irbis": ("ru", "Ирбис на Алтае", "Учёт снежного барса (ирбиса) фотоловушками в Аргуте."),
    "mn_irves": ("mn", "Ирвэсийн тархалт", "Алтай Таван Богдод ирвэсийн камерын судалгаа хийв."),
    "en_spoonbill": (
        "en",
        "Black-faced spoonbill census",
        "Counting black-faced spoonbills in Mai Po wetlands.",
    ),
    "en_energy": (
        "en",
        "Wind farms and migratory birds",
        "Energy infrastructure siting on the flyway.",
    ),
    "ru_leopard": (
        "ru",
        "Дальневосточные леопарды",
        "Мониторинг леопардов на юго-западе Приморья.",
    ),
    "zh_leopard": ("zh", "东北豹栖息地评估", "吉林珲春东北豹的栖息地质量与生态廊道。"),
    "zh_crane": ("zh", "鄱阳湖越冬白鹤", "鄱阳湖越冬白鹤的数量与分布调查。"),
    "ja_tiger": ("ja", "アムールトラの分布", "沿海地方のアムールトラを自動撮影カメラで調査した。"),
    "ja_crane": ("ja", "出水のナベヅル", "出水平野で越冬するナベヅルとマナヅルを数えた。"),
    "ko_spoonbill": ("ko", "저어새 번식지 조사", "강화도 갯벌에서 저어새 둥지를 확인하였다."),
    "ko_tiger": ("ko", "백두산 호랑이 복원", "한국 호랑이 서식지 복원 계획과 주민 인식."),
    "en_tiger": (
        "en",
        "Amur tiger (Panthera tigris altaica) prey base",
        "Ungulate densities in tiger habitat of Primorye.",
    ),
    "en_leopard_code": (
        "en",
        "Snow leopard survey at MN-ALT-01",
        "Camera trapping of Panthera uncia in the Altai.",
    ),
}

#: query → the documents it must find (and no others from the corpus).
QUERIES = {
    "東北虎": {"zh_tiger"},
    "东北虎": {"zh_tiger"},
    "アムールヒョウ": {"ja_leopard"},
    "두루미": {"ko_crane"},
    "ирбис": {"ru_irbis"},
    "ирвэс": {"mn_irves"},
    "black-faced spoonbill": {"en_spoonbill"},
    "spoonbills": {"en_spoonbill"},
    "леопард": {"ru_leopard"},
    "migratory": {"en_energy"},
    # "Camera trapping" is the phrase too, through the English stemmer.
    '"camera trap"': {"en_leopard_code"},
    '"trap camera"': set(),
    "kangaroo": set(),
    "东北豹": {"zh_tiger", "zh_leopard"},
    "白鹤": {"zh_crane"},
    "華南虎": set(),
    "雪豹": set(),
    "豹": {"zh_tiger", "zh_leopard"},
    "アムールトラ": {"ja_tiger"},
    "ナベヅル": {"ja_crane"},
    "マナヅル": {"ja_crane"},
    "저어새": {"ko_spoonbill"},
    "호랑이": {"ko_tiger"},
    "Panthera tigris": {"en_tiger"},
    "Panthera uncia": {"en_leopard_code"},
    "MN-ALT-01": {"en_leopard_code"},
    "tigers": {"en_tiger"},
    "снежного барса": {"ru_irbis"},
}


def index_corpus(uploader) -> dict[str, int]:
    """Create and index a published report per document; return its pk by key."""
    documents = {}
    for key, (language, title, abstract) in DOCUMENTS.items():
        publication = Publication.objects.create(
            type="report",
            title=title,
            abstract=abstract,
            year=2024,
            language=language,
            status="published",
            uploader=uploader,
        )
        services.publication_index(publication)
        documents[key] = publication.pk
    return documents
