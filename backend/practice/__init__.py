"""Practice beside the interview (issue 18): retries, practice sessions, spaced review and
progress over time.

    settings    the candidate's choices: progress on (default), recordings kept (default)
    sources     every graded question, from interviews and practice, as one stream
    review      the spaced-review rule (Leitner boxes) folded over that stream
    compare     a retry against the first attempt: scores before -> after, points gained
    progress    per dimension, per topic and delivery, one point per interview or practice
    selection   which questions a practice session asks
    service     the use cases the REST routes call (blocking: run them off the event loop)

Nothing here imports the API, the engine or Qt: the interviewer grades, the store keeps.
"""
