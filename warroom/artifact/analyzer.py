"""An offline presidio AnalyzerEngine: no spaCy model download, no public-suffix-list fetch.

A real English spaCy model is used when one is installed as a package; otherwise a blank
English pipeline whose lemmas are the lower-cased words (so in-text context still matches).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from warroom.errors import WarroomError

MODELS = ("en_core_web_trf", "en_core_web_lg", "en_core_web_md", "en_core_web_sm")


@dataclass(frozen=True)
class Analyzer:
    engine: Any          # presidio_analyzer.AnalyzerEngine
    nlp: str             # which pipeline, said in every scan's output
    model: bool = False  # a real NER model: its PERSON spans are names in prose


def _offline_tldextract() -> None:
    """The e-mail recognizer calls tldextract, whose default extractor fetches the public
    suffix list. Give it one that uses only the snapshot bundled with tldextract."""
    import tldextract
    from presidio_analyzer.predefined_recognizers.generic import email_recognizer

    extractor = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

    class _Offline:
        extract = staticmethod(extractor)

    email_recognizer.tldextract = _Offline


def installed_model() -> str | None:
    """$WARROOM_SPACY_MODEL (an installed package name or a folder), else the first English
    model installed as a package. Never a download."""
    import os
    from pathlib import Path

    import spacy.util

    chosen = os.environ.get("WARROOM_SPACY_MODEL")
    if chosen:
        if spacy.util.is_package(chosen) or Path(chosen).is_dir():
            return chosen
        raise WarroomError(f"WARROOM_SPACY_MODEL={chosen!r} is neither an installed spaCy"
                           " package nor a folder holding a pipeline")
    return next((m for m in MODELS if spacy.util.is_package(m)), None)


def _engine(model: str | None):
    import spacy
    from presidio_analyzer.nlp_engine import SpacyNlpEngine
    from spacy.language import Language

    if not Language.has_factory("warroom_lower_lemma"):
        @Language.component("warroom_lower_lemma")
        def lower_lemma(doc):
            for token in doc:
                token.lemma_ = token.lower_
            return doc

    class OfflineSpacyEngine(SpacyNlpEngine):
        def load(self) -> None:  # never spacy.cli.download
            if model:
                self.nlp = {"en": spacy.load(model)}
            else:
                nlp = spacy.blank("en")
                nlp.add_pipe("warroom_lower_lemma")
                self.nlp = {"en": nlp}

    engine = OfflineSpacyEngine(models=[{"lang_code": "en", "model_name": model or "blank"}])
    engine.load()
    return engine


@lru_cache(maxsize=1)
def analyzer() -> Analyzer:
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
    from presidio_analyzer.predefined_recognizers import (
        CreditCardRecognizer,
        EmailRecognizer,
        IpRecognizer,
        PhoneRecognizer,
        SpacyRecognizer,
        UsSsnRecognizer,
    )

    from warroom.artifact import recognizers

    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    _offline_tldextract()
    model = installed_model()
    registry = RecognizerRegistry(supported_languages=["en"])
    for recognizer in recognizers.build():
        registry.add_recognizer(recognizer)
    # presidio's own, chosen: US_DRIVER_LICENSE claims A-numbers, UK_NHS claims US phone
    # numbers, URL claims parts of e-mails; the phone recognizer is limited to the US
    for recognizer in (EmailRecognizer(), PhoneRecognizer(supported_regions=("US",)),
                       UsSsnRecognizer(), CreditCardRecognizer(), IpRecognizer()):
        registry.add_recognizer(recognizer)
    if model:
        registry.add_recognizer(SpacyRecognizer(supported_entities=["PERSON"]))
    engine = AnalyzerEngine(
        nlp_engine=_engine(model), registry=registry, supported_languages=["en"],
        context_aware_enhancer=LemmaContextAwareEnhancer(context_matching_mode="whole_word"))
    nlp = f"spaCy model {model}" if model else "blank spaCy pipeline (no NER model installed)"
    return Analyzer(engine, nlp, model=bool(model))
