"""The optional LLM interviewer: any OpenAI-compatible chat server (Ollama, LM Studio,
llama.cpp's server) writes questions, feedback and the report narrative, while the
built-in interviewer plans, anchors the scores and takes over whenever the model fails.
See ``interviewer.py`` for the rules and docs/protocol.md for the settings API."""
