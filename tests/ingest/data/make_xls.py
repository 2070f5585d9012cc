"""How ``annuaire-excel97.xls`` and ``annuaire-merged97.xls`` were made (Excel 97–2003
workbooks, as an old Excel writes them): ``pip install xlwt`` then
``python tests/ingest/data/make_xls.py OUT.xls`` (and ``--merged OUT.xls``). Kept as files:
the tests read it with the product's reader (xlrd), never with this writer."""

import sys
from datetime import date


def main(path: str) -> None:
    import xlwt  # not a dependency of the project: only to make the file

    book = xlwt.Workbook(encoding="utf-8")
    actors = book.add_sheet("Acteurs")
    day = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    actors.write(0, 0, "Annuaire du quartier Clemenceau — mise à jour de novembre")  # a title row
    header = ["Nom", "Type", "Quartier", "Thèmes", "Téléphone", "Depuis", "Latitude", "Longitude"]
    for col, text in enumerate(header):
        actors.write(2, col, text)
    rows = [
        [
            "Maison médicale Le Noyer",
            "acteur de santé",
            "Cureghem",
            "santé|santé mentale",
            "02/520 12 34",
            date(2023, 3, 1),
            50.8387,
            4.3165,
        ],
        [
            "Épicerie Chez Fatima",
            "commerçant",
            "Cureghem",
            "aide alimentaire",
            "",
            date(2024, 5, 15),
            None,
            None,
        ],
    ]
    for r, row in enumerate(rows, start=3):
        for col, value in enumerate(row):
            if isinstance(value, date):
                actors.write(r, col, value, day)
            elif value is not None and value != "":
                actors.write(r, col, value)
    links = book.add_sheet("Liens")
    for col, text in enumerate(["De", "Vers", "Type de lien", "Force"]):
        links.write(0, col, text)
    for col, value in enumerate(
        ["Maison médicale Le Noyer", "Épicerie Chez Fatima", "se connaissent", 2]
    ):
        links.write(1, col, value)
    book.save(path)


def merged(path: str) -> None:
    """A header "Téléphones" merged over two columns."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    actors = book.add_sheet("Acteurs")
    for col, text in enumerate(["Nom", "Type", "Quartier"]):
        actors.write(0, col, text)
    actors.write_merge(0, 0, 3, 4, "Téléphones")  # rows 0–0, columns D–E
    row = ["Maison médicale Le Noyer", "acteur de santé", "Cureghem", "02 520 12 34",
           "0470 12 34 56"]  # fmt: skip
    for col, value in enumerate(row):
        actors.write(1, col, value)
    book.save(path)


if __name__ == "__main__":
    if sys.argv[1] == "--merged":
        merged(sys.argv[2])
    else:
        main(sys.argv[1])
