"""A small multilingual corpus with the queries that must and must not find each document."""

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
    '"camera trap"': set(),
    "kangaroo": set(),
}
