"""Benchmark and fixture generator for cross-release linking (issue 8).

Generates pairs of born-digital releases of the same records: release B is
re-laid out (other font size, margins and line width, so other line and page
breaks), its documents reordered, a cover letter added, another Bates prefix;
some names hidden in both, some only in A (revealed in B), some only in B
(new). Optional "scan noise" garbles a share of B's word characters the way
OCR would. Words are read back from the PDFs' text layers and redactions from
the drawn boxes, then ``link_releases`` is scored against the generator's
truth: link precision and recall, and the time to link (OCR excluded).

    .venv/bin/python bench/compare_bench.py [--pages 30 100 500] [--noise 0 0.02]

From 200 pages on (``--direct-from``) the pair is built straight as page
contents (``make_content_pair``): same records, same layouts, no PDF to write
and read back, so the 500-page run times the linker, not PyMuPDF.

The tests import ``make_release_pair`` and ``read_release`` from here.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pymupdf

from redactview.analysis.compare import CompareResult, PageContent, link_releases
from redactview.core.geometry import Box, union_all
from redactview.core.model import (
    Fill,
    LinkStatus,
    Redaction,
    RedactionKind,
    RedactionLink,
    Word,
)
from redactview.pdf.document import opened_pdf
from redactview.pdf.textlayer import extract_words

PAGE_W, PAGE_H = 612.0, 792.0
_SYLLABLES = ("ka", "lo", "mi", "ren", "tas", "vor", "pel", "dun", "sar", "bis", "tem", "gol",
              "rak", "fen", "nor", "ist", "ul", "ame")  # fmt: skip
_CODE = re.compile(r"^\(b\)\(\d\)(\([A-F]\))?;?$")


@dataclass
class Item:
    """A phrase that some release hides."""

    key: str
    words: list[str]
    in_a: bool
    in_b: bool
    codes_a: tuple[str, ...] = ("(b)(6)",)
    codes_b: tuple[str, ...] = ("(b)(6)",)


Token = str | Item


@dataclass
class Layout:
    font_size: float
    margin: float
    leading: float
    bates: str
    hidden: dict[str, list[tuple[int, Box, str]]] = field(default_factory=dict)  # key -> boxes
    printed: dict[str, list[tuple[int, Box]]] = field(default_factory=dict)  # key -> words


@dataclass
class ReleasePair:
    path_a: Path
    path_b: Path
    items: list[Item]
    truth_a: Layout
    truth_b: Layout


# -- content --------------------------------------------------------------------------
def make_vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 3))))
    return sorted(words)


def make_item(rng: random.Random, key: str, vocab: list[str]) -> Item:
    roll = rng.random()
    in_a, in_b = (True, True) if roll < 0.6 else (True, False) if roll < 0.85 else (False, True)
    if rng.random() < 0.3:
        words = [f"555-{rng.randint(1000, 9999)}"]
    else:
        words = [rng.choice(vocab).capitalize() for _ in range(rng.randint(1, 3))]
    codes_b = ("(b)(6)", "(b)(7)(C)") if rng.random() < 0.2 else ("(b)(6)",)
    return Item(key, words, in_a, in_b, ("(b)(6)",), codes_b)


def make_documents(rng: random.Random, pages: int, items: list[Item]) -> list[list[list[Token]]]:
    """Documents of paragraphs; each about 1–4 pages long; an e-mail header each."""
    vocab = make_vocabulary(rng)
    docs: list[list[list[Token]]] = []
    words_left = pages * 300
    while words_left > 0:
        doc: list[list[Token]] = []
        header: list[Token] = ["From:", new_item(rng, items, vocab), "To:"]
        header += [new_item(rng, items, vocab), "Subject:", *rng.sample(vocab, 4)]
        doc.append(header)
        for _ in range(rng.randint(4, 14)):
            para: list[Token] = []
            for _ in range(rng.randint(25, 90)):
                para.append(rng.choice(vocab))
                if rng.random() < 0.035:
                    para.append(new_item(rng, items, vocab))
            doc.append(para)
            words_left -= len(para)
        docs.append(doc)
    return docs


def new_item(rng: random.Random, items: list[Item], vocab: list[str]) -> Item:
    item = make_item(rng, f"i{len(items)}", vocab)
    items.append(item)
    return item


# -- layout ---------------------------------------------------------------------------
class Writer:
    """Flows tokens onto pages, drawing a box over every phrase this release hides."""

    def __init__(self, doc: pymupdf.Document, layout: Layout, release: str) -> None:
        self.doc, self.layout, self.release = doc, layout, release
        self.page: pymupdf.Page | None = None
        self.x = self.y = 0.0
        self.space = pymupdf.get_text_length(" ", "helv", layout.font_size)

    def new_page(self) -> None:
        self.page = self.doc.new_page(width=PAGE_W, height=PAGE_H)
        number = self.doc.page_count
        self.page.insert_text((PAGE_W - 170, PAGE_H - 24), f"{self.layout.bates}-{number:06d}",
                              fontname="helv", fontsize=8)  # fmt: skip
        self.x, self.y = self.layout.margin, self.layout.margin + self.layout.font_size

    def newline(self) -> None:
        self.x = self.layout.margin
        self.y += self.layout.leading
        if self.y > PAGE_H - self.layout.margin:
            self.new_page()

    def place(self, word: str) -> tuple[int, Box]:
        """Reserve room for one word (wrapping) and return its page and box."""
        size = self.layout.font_size
        width = pymupdf.get_text_length(word, "helv", size)
        if self.x + width > PAGE_W - self.layout.margin:
            self.newline()
        box = Box(self.x, self.y - size * 0.95, self.x + width, self.y + size * 0.25)
        assert self.page is not None
        placed = (self.page.number + 1, box)
        self.x += width + self.space
        return placed

    def write_word(self, word: str) -> None:
        _, box = self.place(word)
        assert self.page is not None
        self.page.insert_text((box.x0, self.y), word, fontname="helv",
                              fontsize=self.layout.font_size)  # fmt: skip

    def write_item(self, item: Item) -> None:
        hidden = item.in_a if self.release == "A" else item.in_b
        spots = [self.place(w) for w in item.words]
        if not hidden:
            for word, (_, box) in zip(item.words, spots, strict=True):
                assert self.page is not None
                self.page.insert_text((box.x0, box.y0 + self.layout.font_size * 0.95), word,
                                      fontname="helv", fontsize=self.layout.font_size)  # fmt: skip
            self.layout.printed[item.key] = spots
            return
        codes = item.codes_a if self.release == "A" else item.codes_b
        self.layout.hidden[item.key] = self.draw_boxes(spots, item.words, codes)

    def draw_boxes(
        self, spots: list[tuple[int, Box]], words: list[str], codes: tuple[str, ...]
    ) -> list[tuple[int, Box, str]]:
        """One box per line the phrase spans, the codes printed in white inside."""
        lines: dict[tuple[int, float], list[Box]] = {}
        texts: dict[tuple[int, float], list[str]] = {}
        for (page, box), word in zip(spots, words, strict=True):
            lines.setdefault((page, box.y0), []).append(box)
            texts.setdefault((page, box.y0), []).append(word)
        drawn = []
        for (page_no, y0), boxes in lines.items():
            rect = Box(boxes[0].x0 - 1, boxes[0].y0, boxes[-1].x1 + 1, boxes[-1].y1)
            pdf_page = self.doc[page_no - 1]
            pdf_page.draw_rect(pymupdf.Rect(rect.as_tuple()), color=None, fill=(0, 0, 0), width=0)
            label = ";".join(codes)
            if pymupdf.get_text_length(label, "helv", 5) < rect.width - 2:
                pdf_page.insert_text((rect.x0 + 1, rect.y1 - 2), label, fontname="helv", fontsize=5,
                                 color=(1, 1, 1))  # fmt: skip
            drawn.append((page_no, rect, " ".join(texts[(page_no, y0)])))
        return drawn


class ContentWriter(Writer):
    """The same layout recorded straight as page contents: no PDF is written or read.

    Writing and re-reading 2 × 500 pages through PyMuPDF takes minutes; the
    linker needs only words and boxes, which the layout already knows (the
    boxes are the layout's, within a point of what the text layer reports).
    """

    def __init__(self, layout: Layout, release: str) -> None:
        self.layout, self.release = layout, release
        self.space = pymupdf.get_text_length(" ", "helv", layout.font_size)
        self.x = self.y = 0.0
        self.contents: list[tuple[list[Word], list[Redaction]]] = []

    def new_page(self) -> None:
        self.contents.append(([], []))
        number = len(self.contents)
        bates = f"{self.layout.bates}-{number:06d}"
        self.contents[-1][0].append(Word(number, Box(PAGE_W - 170, PAGE_H - 31, PAGE_W - 80,
                                                     PAGE_H - 22), bates))  # fmt: skip
        self.x, self.y = self.layout.margin, self.layout.margin + self.layout.font_size

    def place(self, word: str) -> tuple[int, Box]:
        size = self.layout.font_size
        width = pymupdf.get_text_length(word, "helv", size)
        if self.x + width > PAGE_W - self.layout.margin:
            self.newline()
        box = Box(self.x, self.y - size * 0.95, self.x + width, self.y + size * 0.25)
        self.x += width + self.space
        return len(self.contents), box

    def write_word(self, word: str) -> None:
        page, box = self.place(word)
        self.contents[page - 1][0].append(Word(page, box, word))

    def write_item(self, item: Item) -> None:
        hidden = item.in_a if self.release == "A" else item.in_b
        if hidden:
            super().write_item(item)
            return
        spots = [self.place(w) for w in item.words]
        for word, (page, box) in zip(item.words, spots, strict=True):
            self.contents[page - 1][0].append(Word(page, box, word))
        self.layout.printed[item.key] = spots

    def draw_boxes(
        self, spots: list[tuple[int, Box]], words: list[str], codes: tuple[str, ...]
    ) -> list[tuple[int, Box, str]]:
        lines: dict[tuple[int, float], list[tuple[Box, str]]] = {}
        for (page, box), word in zip(spots, words, strict=True):
            lines.setdefault((page, box.y0), []).append((box, word))
        drawn = []
        for (page, _), parts in lines.items():
            rect = Box(parts[0][0].x0 - 1, parts[0][0].y0, parts[-1][0].x1 + 1, parts[-1][0].y1)
            reds = self.contents[page - 1][1]
            reds.append(Redaction(f"p{page}r{len(reds)}", page, rect, RedactionKind.VECTOR,
                                  Fill.BLACK, codes))  # fmt: skip
            drawn.append((page, rect, " ".join(w for _, w in parts)))
        return drawn

    def pages(self, noise: float = 0.0, seed: int = 7) -> list[PageContent]:
        rng = random.Random(seed)
        return [
            PageContent(n, tuple(garble(w, noise, rng) for w in words), tuple(reds), PAGE_W,
                        PAGE_H)
            for n, (words, reds) in enumerate(self.contents, start=1)
        ]  # fmt: skip


@dataclass
class ContentPair:
    """A release pair as page contents (``make_content_pair``), scored like a PDF pair."""

    items: list[Item]
    truth_a: Layout
    truth_b: Layout
    writer_a: ContentWriter
    writer_b: ContentWriter


def make_content_pair(pages: int = 500, seed: int = 1) -> ContentPair:
    """The records of ``make_release_pair``, laid out the same way, without PDFs."""
    rng = random.Random(seed)
    items: list[Item] = []
    docs = make_documents(rng, pages, items)
    order_b = list(range(len(docs)))
    rng.shuffle(order_b)
    truth_a = Layout(11.0, 72.0, 14.0, "AGY-2023")
    truth_b = Layout(10.0, 60.0, 13.0, "DOJ-OIP")
    writer_a, writer_b = ContentWriter(truth_a, "A"), ContentWriter(truth_b, "B")
    flow(writer_a, docs, list(range(len(docs))), rng)
    flow(writer_b, docs, order_b, rng)
    return ContentPair(items, truth_a, truth_b, writer_a, writer_b)


def flow(
    writer: Writer, docs: list[list[list[Token]]], order: list[int], rng: random.Random
) -> None:
    if writer.release == "B":
        write_cover_letter(writer, rng)
    for index in order:
        writer.new_page()
        for para in docs[index]:
            for token in para:
                if isinstance(token, Item):
                    writer.write_item(token)
                else:
                    writer.write_word(token)
            writer.newline()


def write_cover_letter(writer: Writer, rng: random.Random) -> None:
    writer.new_page()
    for line in ("Re: FOIA request 2024-00917, supplemental release",
                 "Dear requester, after review on appeal the enclosed records are released",
                 "with fewer withholdings. Remaining withholdings are marked with the",
                 "exemption applied. Sincerely, the FOIA office"):  # fmt: skip
        for word in line.split():
            writer.write_word(word)
        writer.newline()


def render_release(
    docs: list[list[list[Token]]], order: list[int], layout: Layout, release: str,
    path: Path, rng: random.Random,
) -> None:  # fmt: skip
    doc = pymupdf.open()
    writer = Writer(doc, layout, release)
    flow(writer, docs, order, rng)
    doc.save(path, garbage=3, deflate=True)
    doc.close()


def make_release_pair(folder: Path, pages: int = 12, seed: int = 1) -> ReleasePair:
    """Two re-laid-out releases of the same ~``pages`` pages of records, with truth."""
    rng = random.Random(seed)
    items: list[Item] = []
    docs = make_documents(rng, pages, items)
    order_b = list(range(len(docs)))
    rng.shuffle(order_b)
    truth_a = Layout(11.0, 72.0, 14.0, "AGY-2023")
    truth_b = Layout(10.0, 60.0, 13.0, "DOJ-OIP")
    path_a, path_b = folder / "gen_a.pdf", folder / "gen_b.pdf"
    render_release(docs, list(range(len(docs))), truth_a, "A", path_a, rng)
    render_release(docs, order_b, truth_b, "B", path_b, rng)
    return ReleasePair(path_a, path_b, items, truth_a, truth_b)


# -- reading back ---------------------------------------------------------------------
def read_release(path: Path, noise: float = 0.0, seed: int = 7) -> list[PageContent]:
    """Words from the text layer, redactions from the drawn black boxes."""
    rng = random.Random(seed)
    pages = []
    with opened_pdf(path) as doc:
        for number in range(1, doc.page_count + 1):
            page = doc[number - 1]
            words = [garble(w, noise, rng) for w in extract_words(page, number)]
            boxes = [Box.from_seq(d["rect"]) for d in page.get_drawings() if d.get("fill")]
            reds = tuple(make_redaction(number, i, box, words) for i, box in enumerate(boxes))
            pages.append(PageContent(number, tuple(words), reds, PAGE_W, PAGE_H))
    return pages


def garble(word: Word, noise: float, rng: random.Random) -> Word:
    """OCR-like damage: a character swapped for a look-alike now and then."""
    if noise <= 0 or rng.random() > noise * len(word.text):
        return word
    chars = list(word.text)
    i = rng.randrange(len(chars))
    chars[i] = {"l": "1", "o": "0", "e": "c", "a": "o", "i": "l"}.get(chars[i], "~")
    return Word(word.page, word.box, "".join(chars), 80.0, word.block, word.line, "ocr")


def make_redaction(page: int, i: int, box: Box, words: list[Word]) -> Redaction:
    codes = tuple(
        c for w in words if box.contains_point(*w.box.center)
        for c in w.text.split(";") if _CODE.match(c)
    )  # fmt: skip
    return Redaction(f"p{page}r{i}", page, box, RedactionKind.VECTOR, Fill.BLACK, codes)


# -- scoring --------------------------------------------------------------------------
@dataclass(frozen=True)
class Score:
    expected: int
    predicted: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 0.0


def score_links(
    pair: ReleasePair | ContentPair, result: CompareResult, *, text: bool = True
) -> Score:
    """A link is correct if its status, its counterpart's page and box, and the text agree;
    each expected link is credited once. ``text=False`` scores the links alone (with
    OCR noise a revealed word is reported as OCR garbled it, right link or not)."""
    truth = truth_links(pair)
    used: set[int] = set()
    for link in result.links:
        index = matching_truth(link, truth, used, text)
        if index is not None:
            used.add(index)
    return Score(len(truth), len(result.links), len(used))


@dataclass(frozen=True)
class TruthLink:
    status: LinkStatus
    a: list[tuple[int, Box]]
    b: list[tuple[int, Box]]
    text: str


def truth_links(pair: ReleasePair | ContentPair) -> list[TruthLink]:
    """One expected link per hidden box (a phrase split over two lines has two)."""
    links = []
    for item in pair.items:
        a_boxes = pair.truth_a.hidden.get(item.key, [])
        b_boxes = [(p, b) for p, b, _ in pair.truth_b.hidden.get(item.key, [])]
        if item.in_a and item.in_b:
            links += both_links([(p, a) for p, a, _ in a_boxes], b_boxes)
        elif item.in_a:
            printed = pair.truth_b.printed.get(item.key, [])
            links += [TruthLink(LinkStatus.REVEALED, [(p, a)], printed, text)
                      for p, a, text in a_boxes]  # fmt: skip
        else:
            printed = pair.truth_a.printed.get(item.key, [])
            links += [TruthLink(LinkStatus.NEW, printed, [b], "") for b in b_boxes]
    return links


def both_links(a_boxes: list[tuple[int, Box]], b_boxes: list[tuple[int, Box]]) -> list[TruthLink]:
    """Boxes pair line by line; a phrase on one line in A and two in B gives two links."""
    if len(a_boxes) == len(b_boxes):
        return [
            TruthLink(LinkStatus.BOTH, [a], [b], "") for a, b in zip(a_boxes, b_boxes, strict=True)
        ]
    if len(a_boxes) > len(b_boxes):
        return [TruthLink(LinkStatus.BOTH, [a], b_boxes, "") for a in a_boxes]
    return [TruthLink(LinkStatus.BOTH, a_boxes, [b], "") for b in b_boxes]


def overlaps(ref_page: int, ref_box: Box, spots: list[tuple[int, Box]]) -> bool:
    """The link's box and the truth's boxes on that page overlap (IoU ≥ 0.3)."""
    boxes = [b for p, b in spots if p == ref_page]
    if not boxes:
        return False
    return max(ref_box.iou(b) for b in [*boxes, union_all(boxes)]) >= 0.3


def matching_truth(
    link: RedactionLink, truth: list[TruthLink], used: set[int], text: bool = True
) -> int | None:
    for index, t in enumerate(truth):
        if index in used or link.status is not t.status or link.a is None or link.b is None:
            continue
        if not (overlaps(link.a.page, link.a.box, t.a) and overlaps(link.b.page, link.b.box, t.b)):
            continue
        if (
            text
            and t.status is LinkStatus.REVEALED
            and words_of(link.revealed_text or "") != words_of(t.text)
        ):
            continue
        return index
    return None


def words_of(text: str) -> str:
    return " ".join(text.split())


# -- main -----------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[30, 100, 500])
    parser.add_argument("--noise", type=float, nargs="+", default=[0.0, 0.02])
    parser.add_argument("--folder", type=Path, default=Path("/tmp/compare_bench"))
    parser.add_argument(
        "--direct-from", type=int, default=200, help="from this many pages on, no PDFs"
    )
    args = parser.parse_args(argv)
    args.folder.mkdir(parents=True, exist_ok=True)
    print(f"{'pages':>6} {'noise':>6} {'source':>6} {'A/B pages':>10} {'links':>6} {'truth':>6} "
          f"{'precision':>9} {'recall':>7} {'links P/R':>11} "
          f"{'read s':>7} {'link s':>7}")  # fmt: skip
    for pages in args.pages:
        direct = pages >= args.direct_from
        start = time.perf_counter()
        pair = make_content_pair(pages, seed=pages) if direct else make_release_pair(
            args.folder, pages, seed=pages)  # fmt: skip
        made_s = time.perf_counter() - start
        for noise in args.noise:
            start = time.perf_counter()
            if isinstance(pair, ContentPair):
                pages_a, pages_b = pair.writer_a.pages(), pair.writer_b.pages(noise)
            else:
                pages_a, pages_b = read_release(pair.path_a), read_release(pair.path_b, noise)
            read_s = time.perf_counter() - start + (made_s if direct else 0.0)
            start = time.perf_counter()
            result = link_releases(pages_a, pages_b)
            link_s = time.perf_counter() - start
            score = score_links(pair, result)
            bare = score_links(pair, result, text=False)
            print(f"{pages:>6} {noise:>6.2f} {'direct' if direct else 'pdf':>6} "
                  f"{len(pages_a):>4}/{len(pages_b):<5} {score.predicted:>6} {score.expected:>6} "
                  f"{score.precision:>9.3f} {score.recall:>7.3f} "
                  f"{bare.precision:>5.3f}/{bare.recall:<5.3f} "
                  f"{read_s:>7.1f} {link_s:>7.2f}")  # fmt: skip
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
