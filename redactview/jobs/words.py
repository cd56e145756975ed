"""``page_words``: the words of any page of a release, whatever kind of page it is.

Born-digital pages give their text-layer words; scanned pages give OCR words
(from the case's OCR cache, or read now and cached); mixed pages give both,
merged. This is what the viewer, detection context, width estimates and the
release comparison call, so none of them cares how a page was made.
"""

from __future__ import annotations

import dataclasses

from redactview.core.model import Release, TextStatus, Word
from redactview.jobs.executor import SerialExecutor
from redactview.jobs.ocr_run import OcrOptions, ocr_key, run_ocr, select_ocr_pages
from redactview.jobs.page_index import merge_words, read_text_layer
from redactview.store.case import Case


def page_words(
    case: Case,
    release: Release,
    page: int,
    options: OcrOptions | None = None,
    *,
    allow_ocr: bool = True,
) -> list[Word]:
    """Words of 1-based ``page`` in unrotated page points, in reading order.

    With ``allow_ocr=False`` a scanned page that is not in the cache yet gives
    only its (possibly empty) text layer instead of running Tesseract: for
    callers on a UI thread. ``OcrUnavailableError`` is raised only when OCR is
    actually needed and Tesseract or the language is missing.
    """
    options = options or OcrOptions()
    status = page_status(case, release, page)
    pdf_path = case.locate_release(release)
    text = read_text_layer(pdf_path, [page], options.password)[page]
    if status in (TextStatus.TEXT, TextStatus.EMPTY) and not options.force:
        return text
    ocr = cached_ocr_words(case, release, page, options)
    if ocr is None and allow_ocr:
        serial = _one_job(options)
        run_ocr(case, release, serial, executor_factory=lambda _: SerialExecutor(), pages=[page])
        ocr = cached_ocr_words(case, release, page, options)
    if ocr is None:
        return text if status is TextStatus.MIXED else []
    return merge_words(text, ocr) if status is TextStatus.MIXED else ocr


def page_status(case: Case, release: Release, page: int) -> TextStatus:
    for info in case.pages(release.id):
        if info.number == page:
            return info.text_status
    raise ValueError(f"release {release.id} has no page {page}")


def cached_ocr_words(
    case: Case, release: Release, page: int, options: OcrOptions
) -> list[Word] | None:
    cached = case.ocr_cache.get(ocr_key(release, options), page)
    return None if cached is None else list(cached.words)


def _one_job(options: OcrOptions) -> OcrOptions:
    # One page is read in this process: starting a pool would cost more.
    return dataclasses.replace(options, jobs=1)


def release_words(
    case: Case, release: Release, options: OcrOptions | None = None
) -> dict[int, list[Word]]:
    """Words of every page, opening the PDF once; never runs OCR.

    Pages that need OCR and have none cached yet come back with their text
    layer only (usually empty): run ``run_ocr`` first for complete words.
    """
    options = options or OcrOptions()
    infos = case.pages(release.id)
    text = read_text_layer(
        case.locate_release(release), [p.number for p in infos], options.password
    )
    wants_ocr = set(select_ocr_pages(infos, options.force))
    cached = (
        case.ocr_cache.get_many(ocr_key(release, options), sorted(wants_ocr)) if wants_ocr else {}
    )
    found: dict[int, list[Word]] = {}
    for info in infos:
        page = info.number
        if page not in cached:
            found[page] = (
                [] if page in wants_ocr and info.text_status is TextStatus.NEEDS_OCR else text[page]
            )
        elif info.text_status is TextStatus.NEEDS_OCR:
            found[page] = list(cached[page].words)
        else:
            found[page] = merge_words(text[page], cached[page].words)
    return found


def index_text_pages(case: Case, release: Release, password: str | None = None) -> int:
    """Put born-digital pages not yet indexed into the case's search index."""
    indexed = case.search.indexed_pages(release.id)
    pages = [
        p.number
        for p in case.pages(release.id)
        if p.text_status is TextStatus.TEXT and p.number not in indexed
    ]
    for page, words in read_text_layer(case.locate_release(release), pages, password).items():
        case.search.index_page(release.id, page, "text", words)
    return len(pages)
