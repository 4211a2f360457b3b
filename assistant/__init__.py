"""Answers that cite and verify.

from assistant import CaseAssistant
answer = CaseAssistant.open(Settings()).ask("Who is the judge?")
"""

from assistant.answering import CaseAssistant
from casefile.kernel.records import Answer, AnswerSentence, Citation, Passage

__all__ = ["Answer", "AnswerSentence", "CaseAssistant", "Citation", "Passage"]
