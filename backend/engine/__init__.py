"""The interview engine: a state machine that knows nothing of FastAPI, SQL or models."""
