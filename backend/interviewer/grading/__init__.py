"""The answer grader: deterministic, explainable 0-10 scores for one answer to one question.

``grader`` puts the pieces together; the others each do one job:

    text           tokens, light stemming and fuzzy term matching (no models)
    spans          an answer's words with their place in the text; sentences and windows
    evidence       which key points an answer states, and the words that state each
    nonanswer      requests to skip and keyboard mashing, recognised before grading
    feedback       the short feedback after an answer and after a follow-up
    features       lexical evidence: key points made, precision, depth
    style          how the answer is put: hedges, structure, examples, STAR
    encoder        all-MiniLM-L6-v2 on onnxruntime (int8), built by ``encoder_graph``
    semantic       evidence from the encoder: paraphrased key points, answer vs reference
    model          the fitted logistic models and their threshold (assets/grader)
    csv_file       ``rehearse grade FILE.csv``: the grader over a CSV of answers

Import the public API from here.
"""

from backend.interviewer.grading.grader import (active_model, grade_answer, grade_turn,
                                                key_points_from_reference, prepare_grading,
                                                prepare_grading_soon)
from backend.interviewer.grading.nonanswer import classify as classify_non_answer

__all__ = ["active_model", "classify_non_answer", "grade_answer", "grade_turn",
           "key_points_from_reference", "prepare_grading", "prepare_grading_soon"]
