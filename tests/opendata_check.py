"""Reads what the server gives others with the tools they would use, and prints what they found
as JSON, for server/tests/opendata.rs to check: the DCAT catalogue with rdflib (as data.gouv.fr's
harvester does), the Atom feed with feedparser, the sitemap with Python's XML parser, a CSV table
as a spreadsheet takes it in (openpyxl, which reads a text starting with "=" as a formula, as
spreadsheets importing a CSV do), and our own .xlsx as openpyxl opens it.

usage: opendata_check.py catalog|feed|sitemap|spreadsheet|workbook URL
"""

import csv
import io
import json
import sys
import urllib.request
import xml.etree.ElementTree as ElementTree


def catalog(url):
    from rdflib import Graph, Namespace, RDF

    dcat = Namespace("http://www.w3.org/ns/dcat#")
    dct = Namespace("http://purl.org/dc/terms/")
    graph = Graph()
    graph.parse(url, format="json-ld")
    datasets = []
    for dataset in graph.subjects(RDF.type, dcat.Dataset):
        distributions = [
            {
                "download": str(graph.value(distribution, dcat.downloadURL) or ""),
                "media_type": str(graph.value(distribution, dcat.mediaType) or ""),
            }
            for distribution in graph.objects(dataset, dcat.distribution)
        ]
        datasets.append(
            {
                "identifier": str(graph.value(dataset, dct.identifier) or ""),
                "title": str(graph.value(dataset, dct.title) or ""),
                "license": str(graph.value(dataset, dct.license) or ""),
                "rights": str(graph.value(dataset, dct.rights) or ""),
                "modified": str(graph.value(dataset, dct.modified) or ""),
                "keywords": sorted(str(keyword) for keyword in graph.objects(dataset, dcat.keyword)),
                "distributions": distributions,
            }
        )
    catalogs = list(graph.subjects(RDF.type, dcat.Catalog))
    listed = [str(dataset) for catalog in catalogs for dataset in graph.objects(catalog, dcat.dataset)]
    return {"catalogs": len(catalogs), "listed": len(listed), "datasets": sorted(datasets, key=lambda d: d["identifier"])}


def feed(url):
    import feedparser

    parsed = feedparser.parse(url)
    return {
        "bozo": bool(parsed.bozo),
        "bozo_exception": str(parsed.get("bozo_exception", "")),
        "version": parsed.version,
        "title": parsed.feed.get("title", ""),
        "entries": [
            {
                "title": entry.get("title", ""),
                "link": entry.get("link", ""),
                "updated": entry.get("updated", ""),
                "authors": [author.get("name", "") for author in entry.get("authors", [])],
                "tags": [tag.get("term", "") for tag in entry.get("tags", [])],
                "rights": entry.get("rights", ""),
            }
            for entry in parsed.entries
        ],
    }


def sitemap(url):
    with urllib.request.urlopen(url) as answer:
        root = ElementTree.fromstring(answer.read())
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    return {
        "root": root.tag.replace(namespace, ""),
        "urls": [
            {"loc": url.findtext(f"{namespace}loc"), "lastmod": url.findtext(f"{namespace}lastmod")}
            for url in root.iter(f"{namespace}url")
        ],
    }


def spreadsheet(url):
    from openpyxl import Workbook, load_workbook

    with urllib.request.urlopen(url) as answer:
        rows = list(csv.reader(io.StringIO(answer.read().decode("utf-8"))))
    book = Workbook()
    for row in rows:
        book.active.append(row)
    saved = io.BytesIO()
    book.save(saved)
    sheet = load_workbook(saved).active
    formulas = [cell.value for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    return {"cells": sum(len(row) for row in rows), "formulas": formulas}


def workbook(url):
    from openpyxl import load_workbook

    with urllib.request.urlopen(url) as answer:
        book = load_workbook(io.BytesIO(answer.read()))
    sheet = book.active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    formulas = [cell.value for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    return {
        "sheets": book.sheetnames,
        "headings": rows[0],
        "rows": [dict(zip(rows[0], row)) for row in rows[1:]],
        "formulas": formulas,
        "frozen": sheet.freeze_panes,
        "filter": sheet.auto_filter.ref,
    }


if __name__ == "__main__":
    what, url = sys.argv[1], sys.argv[2]
    readers = {"catalog": catalog, "feed": feed, "sitemap": sitemap, "spreadsheet": spreadsheet, "workbook": workbook}
    print(json.dumps(readers[what](url)))
