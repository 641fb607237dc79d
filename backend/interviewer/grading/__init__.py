"""The answer grader: deterministic, explainable 0-10 scores for one answer to one question.

``grader`` puts the pieces together; the others each do one job:

    text           tokens, light stemming and fuzzy term matching (no models)
    features       lexical evidence: key points made, precision, depth
    style          how the answer is put: hedges, structure, examples, STAR
    encoder        all-MiniLM-L6-v2 on onnxruntime (int8), built by ``encoder_graph``
    semantic       evidence from the encoder: paraphrased key points, answer vs reference
    model          the fitted logistic models and their threshold (assets/grader)
    csv_file       ``rehearse grade FILE.csv``: the grader over a CSV of answers

Import the public API from here.
"""

from backend.interviewer.grading.grader import (active_model, cap_technical, grade_answer,
                                                key_points_from_reference, prepare_grading,
                                                prepare_grading_soon, technical_probability)

__all__ = ["active_model", "cap_technical", "grade_answer", "key_points_from_reference",
           "prepare_grading", "prepare_grading_soon", "technical_probability"]
