"""Benchmarks: ``python -m mmrec.bench NAME`` runs one, ``python -m mmrec.bench all`` every one."""

BENCHMARKS = {
    "core": "text interaction, ranking at 1k/100k/1M items, precompute, RSS",
    "sentiment_eval": "sentiment accuracy on held-out reviews",
    "understanding": "per-family accuracy of reading the phrasing corpus (filters, wants, ratings, not understood)",
    "speech": "speech-to-text latency and real-time factor per backend",
    "photo": "photo interaction latency and image precompute throughput",
    "photo_retrieval": "photo-to-item retrieval quality of the image encoder",
    "photo_robustness": "photo search under crops, rotation, lighting, blur, borders, mirroring; no-match floor",
    "study_log": "study-log write latency per event: SQLite FULL/NORMAL, PostgreSQL",
    "study_flow": "p95 per participant action, 1 vs 20 simultaneous scripted participants",
    "ui": "start-up time and per-action latency seen from a browser",
    "load": "per-action p95 on the served page, 1 vs 20 simultaneous sessions; errors, leaks, RSS",
    "limits": "cost of large and hostile inputs before they are refused or used",
    "scale": "ranking 1k..1M items exact vs through the approximate index: p95, recall@10",
    "all": "every benchmark and the evaluation: JSON, a Markdown summary, PNG plots (--full: the full form)",
}
