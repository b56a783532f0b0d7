"""Many visitors at once: cheap events never wait behind a model call, shared caches stay right, visits stay apart.

An engine over a synthetic catalog whose text encoder can be made slow stands in for the models, so these run
in seconds; ``test_load_benchmark_short`` runs the real app (``--slow``).
"""

from __future__ import annotations

import html
import io
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

pytest.importorskip("gradio")
pytest.importorskip("gradio_client")

from mmrec.catalog import Catalog, Item
from mmrec.encoders.text import HashingTextEncoder
from mmrec.encoders.visual import VisualFeatureEncoder
from mmrec.engine import Engine, Modality
from mmrec.index import EmbeddingIndex
from mmrec.item_store import ItemStore

SLOW_S = 3.0


class SlowWhenAsked(HashingTextEncoder):
    """Hashed words; a text containing ``slow`` takes :data:`SLOW_S` (as a big model under load would)."""

    def __init__(self) -> None:
        super().__init__(reason="test encoder")
        self.slow_started = threading.Event()

    def encode(self, inputs: Sequence[str], *, batch_size: int = 32, progress: bool = False) -> np.ndarray:
        if any("slow" in text for text in inputs):
            self.slow_started.set()
            time.sleep(SLOW_S)
        time.sleep(0.001)  # lets other threads in, as a real encoder does
        return super().encode(inputs)


RGB = {"red": (200, 30, 30), "blue": (30, 50, 200), "black": (20, 20, 20), "green": (30, 160, 60)}


def photo(rgb: tuple[int, int, int]) -> bytes:
    """A 64 px PNG product shot: a block of ``rgb`` on white."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (64, 64), (245, 245, 245))
    ImageDraw.Draw(image).rectangle((16, 12, 48, 56), fill=rgb)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def engine() -> Engine:
    colors = ("red", "blue", "black", "green")
    kinds = ("Clothing/Jackets", "Clothing/Hoodies", "Shoes/Sneakers")
    items = [
        Item(f"i{n}", f"{colors[n % 4]} thing {n}", categories=(kinds[n % 3],), price=10.0 + n, color=colors[n % 4])
        for n in range(40)
    ]
    catalog = Catalog(items, name="concurrency")
    encoder = SlowWhenAsked()
    vectors = encoder.encode([item.text() for item in catalog])
    photos = VisualFeatureEncoder()
    photo_vectors = photos.encode([photo(RGB[item.color]) for item in catalog])
    modalities = {
        "text": Modality("text", EmbeddingIndex(vectors, model=encoder.name), encoder),
        "image": Modality("image", EmbeddingIndex(photo_vectors, model=photos.name), photos),
    }
    with pytest.warns(UserWarning, match="lexicon"):
        engine = Engine(catalog, modalities)
        engine.sentiment.load()
    return engine


@pytest.fixture
def url(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    from mmrec.bench.ui import served_in_process

    monkeypatch.setenv("MMREC_API_DOCS", "on")  # gradio_client reads the API schema
    with served_in_process(engine, inline_images=False) as served:
        yield served


def test_a_like_is_answered_while_another_visitors_review_is_being_encoded(engine, url):
    from gradio_client import Client

    slow, quick = (Client(url, verbose=False, download_files=False) for _ in range(2))
    try:
        review = threading.Thread(target=slow.predict, args=("", "a slow jacket"), kwargs={"api_name": "/on_review"})
        review.start()
        assert engine.modalities["text"].encoder.slow_started.wait(10)
        started = time.perf_counter()
        out = quick.predict("i3", api_name="/on_like")
        waited = time.perf_counter() - started
        review.join()
    finally:
        slow.close()
        quick.close()
    assert "Liked" in out[2]
    assert waited < SLOW_S / 2, f"the like waited {waited:.2f} s behind another visitor's review"


def test_two_events_of_one_visit_never_run_at_once(engine):
    from mmrec.ui.page import build_app

    _, app = build_app(engine)
    visit = app.start(None)[app.state]
    reviews = [f"review {n} in red" for n in range(12)]
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda text: app.on_review(visit, "", text), reviews))
    history = visit.session.history
    assert [turn.turn for turn in history] == list(range(1, len(reviews) + 1))
    assert sorted(turn.event["text"] for turn in history) == sorted(reviews)


@pytest.fixture
def busy_threads() -> Iterator[None]:
    """Threads switched every microsecond, so that an unguarded check-then-act shows up."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


def test_visitors_hammering_the_shared_caches_each_get_their_own_answers(engine, busy_threads, monkeypatch):
    monkeypatch.setattr("mmrec.engine.RECENT_QUERIES", 1)  # evictions all the time
    texts = [f"visitor {n} wants a {c} jacket" for n, c in enumerate(("red", "blue", "black", "green") * 3)]
    terms = ["red", "blue", "black", "green", "jackets", "hoodies", "sneakers"]
    expected = {text: engine.modalities["text"].encoder.encode([text])[0] for text in texts}
    fresh = ItemStore(engine.catalog, {})
    masks = {term: fresh.term_mask(term).copy() for term in terms}

    def visitor(n: int) -> None:
        for k in range(150):
            text = texts[(n + k) % len(texts)]
            assert np.array_equal(engine.encode("text", text), expected[text]), text
            term = terms[(n * 3 + k) % len(terms)]
            assert np.array_equal(engine.store.term_mask(term), masks[term]), term

    with ThreadPoolExecutor(8) as pool:
        for done in [pool.submit(visitor, n) for n in range(8)]:
            done.result()


def test_visitors_sending_the_same_photo_at_once_are_all_served(url, tmp_path):
    # The framework stores an upload under its content's hash: visitors sending the same photo share one
    # folder and path, so one visitor's photo is read (and deleted) while others store the same bytes there.
    import httpx
    from gradio_client import Client, handle_file

    shared = tmp_path / "shared.png"
    shared.write_bytes(photo(RGB["red"]))
    statuses: Counter[str] = Counter()
    answers: list[str] = []
    stop = threading.Event()

    def uploader() -> None:
        with httpx.Client(timeout=60) as client:
            while not stop.is_set():
                try:
                    r = client.post(f"{url}gradio_api/upload", files={"files": (shared.name, shared.read_bytes())})
                    statuses[str(r.status_code)] += 1
                except httpx.HTTPError as e:
                    statuses[type(e).__name__] += 1

    def visitor(n: int) -> None:
        client = Client(url, verbose=False, download_files=False)
        try:
            for _ in range(12):
                client.reset_session()
                try:
                    out = client.predict("", handle_file(str(shared)), api_name="/on_photo_more")
                    answers.append("".join(m for m in out[6:10] if m) or out[2])
                except Exception as e:  # a failed upload or call is what this test looks for
                    answers.append(f"{type(e).__name__}: {e}")
        finally:
            client.close()

    uploaders = [threading.Thread(target=uploader) for _ in range(4)]
    for t in uploaders:
        t.start()
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(visitor, range(4)))
    stop.set()
    for t in uploaders:
        t.join()
    assert set(statuses) == {"200"}, statuses
    failed = [a for a in answers if "📷 Photo: more like this" not in html.unescape(a)]
    assert len(answers) == 48 and not failed, failed[:3]


@pytest.mark.slow
def test_load_benchmark_short(tmp_path):
    from mmrec.bench import load

    result = load.run(load.options(["--short", "--out", str(tmp_path / "load.json")]))
    checks = result["checks"]
    assert checks["errors"] == 0 and checks["refusals"] == 0 and checks["cross_session_leaks"] == 0, checks
    assert {row["action"] for row in result["rows"]} >= {"review", "like"}


def test_the_server_keeps_the_most_recent_visits_and_a_forgotten_one_starts_again(engine, monkeypatch):
    from gradio_client import Client

    from mmrec.bench.load import LATEST_TURN
    from mmrec.bench.ui import served_in_process

    monkeypatch.setenv("MMREC_API_DOCS", "on")
    monkeypatch.setenv("MMREC_MAX_VISITS", "2")
    with served_in_process(engine, inline_images=False) as url:
        first, *others = clients = [Client(url, verbose=False, download_files=False) for _ in range(3)]
        try:
            first.predict("", "a red jacket", api_name="/on_review")
            kept = first.predict("", "a blue one", api_name="/on_review")
            for other in others:  # two visits more recent than the first: it is the one forgotten
                other.predict("i3", api_name="/on_like")
            again = first.predict("", "a green one", api_name="/on_review")
        finally:
            for client in clients:
                client.close()
    assert LATEST_TURN.search(kept[2]).group(1) == "2"
    assert LATEST_TURN.search(again[2]).group(1) == "1" and "a green one" in again[2]


def test_an_action_without_a_visit_says_a_new_session_starts_and_a_page_load_does_not(engine, capsys):
    from mmrec.ui.page import NEW_VISIT, build_app

    _, app = build_app(engine)
    app.start(None)
    assert NEW_VISIT not in capsys.readouterr().out
    out = app.on_like(None, "i3")  # outside a served request, the notice is printed
    assert NEW_VISIT in capsys.readouterr().out and "Liked" in out[app.history]


def test_actions_give_every_output_a_value_so_no_visit_holds_copies_of_skipped_widgets(engine):
    # The framework keeps, for each visit, its own copy of every component an event skips (a page load skipped
    # nine of them). Only the review box is left to a review's own event (no other knows what is typed in it),
    # and the list to actions that change it (the page keeps its cards and their badges otherwise).
    from mmrec.ui.page import build_app

    _, app = build_app(engine)
    every = set(app.outputs)
    visit = app.start(None)[app.state]
    assert set(app.start(visit)) == every
    assert set(app.on_review(visit, "", "a red thing")) == every
    for out in (app.on_like(visit, "i3"), app.on_focus(visit, "i5"), app.on_reset(visit)):
        assert set(out) == every - {app.review}
    for refused in (app.on_like(visit, ""), app.on_photo_more(visit, "", None)):  # nothing in focus; no photo
        assert set(refused) == every - {app.review, app.gallery}
