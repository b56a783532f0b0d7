"""User-study mode below the UI: study files, condition assignment, the participant flow, a durable log,
exports and analysis.

Nothing here imports gradio or is called by the recommender core: the web page drives a
:class:`~mmrec.study.participation.Participation`, whose recommender sessions log their own turns
through a listener (:meth:`mmrec.study.store.StudyStore.log_turn`).
"""

from .spec import Study, load_study
from .store import StudyStore, open_store

__all__ = ["Study", "StudyStore", "load_study", "open_store"]
